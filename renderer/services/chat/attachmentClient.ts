import { type AttachmentMime, chatPath, chatRoutes, Message } from '../../../core/wire/chat';

export type AttachmentClientDeps = {
  baseUrl: string;
  postJson(path: string, body: unknown): Promise<unknown>;
  accessToken(): string | null;
  fetch?: typeof fetch;
};

export class AttachmentFetchError extends Error {
  override readonly name = 'AttachmentFetchError';
  constructor(readonly status: number) {
    super(`attachment fetch failed (${status})`);
  }
}

/** Standard base64 of a blob, in chunks so a 5 MB file does not overflow the argument list of fromCharCode. */
async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Agent attachments. Sending is online only, on purpose: the message outbox lives in IndexedDB and is
 * replayed in order, and queueing multi-megabyte blobs there would slow every drain and fill a laptop's
 * quota on a bad day. The composer says "attachments need a connection" instead.
 * Files are fetched with the Bearer header (an <img src> cannot carry it), as blobs for object URLs.
 */
export function createAttachmentClient(deps: AttachmentClientDeps) {
  const doFetch = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = deps.baseUrl.replace(/\/+$/, '');
  return {
    async send(conversationId: string, file: { id: string; name: string; mime: AttachmentMime; blob: Blob }): Promise<Message> {
      const body = { id: file.id, name: file.name, mime: file.mime, dataBase64: await toBase64(file.blob) };
      return Message.parse(await deps.postJson(chatPath(chatRoutes.attachments, { id: conversationId }), body));
    },
    async fetchFile(attachmentId: string): Promise<Blob> {
      const token = deps.accessToken();
      const res = await doFetch(`${base}${chatPath(chatRoutes.attachment, { id: attachmentId })}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new AttachmentFetchError(res.status);
      return res.blob();
    },
  };
}
export type AttachmentClient = ReturnType<typeof createAttachmentClient>;
