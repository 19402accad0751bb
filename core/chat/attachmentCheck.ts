import { allowedAttachmentMimes, chatLimits, type AttachmentMime } from '../wire/chat';

export type AttachmentProblem = 'type' | 'size' | 'empty';

/**
 * The client's check before reading a file: the same type list and byte limit the server enforces, so the
 * agent hears about a wrong file at once instead of after a 5 MB upload. The server still checks the
 * content by its magic bytes; `type` here is only the browser's guess from the name.
 */
export function checkAttachment(file: { type: string; size: number }): { ok: true; mime: AttachmentMime } | { ok: false; problem: AttachmentProblem } {
  const mime = allowedAttachmentMimes.find((m) => m === file.type);
  if (!mime) return { ok: false, problem: 'type' };
  if (file.size === 0) return { ok: false, problem: 'empty' };
  if (file.size > chatLimits.attachmentBytes) return { ok: false, problem: 'size' };
  return { ok: true, mime };
}

export const isImageMime = (mime: string): boolean => mime.startsWith('image/');

/** The `accept` list of a file input. */
export const attachmentAccept = allowedAttachmentMimes.join(',');
