import type { AttachmentMime } from '../../core/wire/chat';

const startsWith = (data: Uint8Array, bytes: readonly number[], offset = 0) => bytes.every((b, i) => data[offset + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The attachment's type from its first bytes (the declared type and the name are the customer's word
 * only). Text must be valid UTF-8 without NUL: anything else calling itself text is refused.
 */
export function sniffMime(data: Uint8Array): AttachmentMime | null {
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
  if (data.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return 'text/plain';
  } catch {
    return null;
  }
}
