import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { safeFileName } from '../../core/chat/safeText';
import { toWellFormed } from '../../core/chat/wellFormed';
import type { Actor } from '../../core/tickets/scope';
import { AgentAttachmentRequest, type AttachmentMime, type Message, chatLimits, chatRoutes as paths } from '../../core/wire/chat';
import type { Queryable } from '../db/db';
import type { AppContext } from '../http/context';
import { HttpError, badRequest, forbidden, notFound, parseWith } from '../http/errors';
import { actorOf } from '../http/actor';
import { sniffMime } from '../widget/sniff';
import { conflict, payloadTooLarge, unsupportedMedia } from './errors';
import { type ConversationRow, loadConversationRow, loadMessage } from './rows';
import { type ChatService, mayWork } from './service';
import { insertMessage } from './store';

/** Base64 of the largest file plus the JSON around it; the decoded size is checked exactly. */
export const attachmentBodyLimit = Math.ceil((chatLimits.attachmentBytes * 4) / 3) + 64 * 1024;

export type VerifiedFile = { name: string; mime: AttachmentMime; data: Buffer };

/** The decoded size of base64 text, without decoding it (the quota is charged before any work). */
export function base64Bytes(text: string): number {
  let pad = 0;
  while (pad < 2 && text.charCodeAt(text.length - 1 - pad) === 61) pad++;
  return Math.max(0, Math.floor((text.length * 3) / 4) - pad);
}

/**
 * Strict standard base64 (padding optional), or null. Node's decoder skips anything outside the alphabet,
 * so the bytes are encoded again and compared: both native and linear, where a regex over 7 MB of text
 * held the event loop for about 40 ms.
 */
function decodeBase64(text: string): Buffer | null {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (text.length - end > 2) return null;
  const data = Buffer.from(text, 'base64');
  const again = data.toString('base64');
  let againEnd = again.length;
  while (againEnd > 0 && again.charCodeAt(againEnd - 1) === 61) againEnd--;
  return again.slice(0, againEnd) === text.slice(0, end) ? data : null;
}

/**
 * File bytes are stored as parts of at most 64 KiB (0024-chat-attachment-parts.sql), each by its own
 * short statement, outside the transaction that writes the message. On the embedded database a statement
 * runs on the event loop's thread, so one 5 MiB bytea insert (PGlite serializes it to hex in JavaScript,
 * byte by byte) stalled every other request for seconds. The bytes travel as base64 text decoded by SQL,
 * which is native on both ends instead of that per-byte conversion.
 */
const partBytes = 64 * 1024;
/** Awaiting PGlite alone never reaches the event loop's I/O phase; this lets waiting requests in between parts. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function writeBlob(db: Queryable, data: Buffer): Promise<string> {
  const blobId = randomUUID();
  try {
    for (let seq = 0, offset = 0; seq === 0 || offset < data.length; seq++, offset += partBytes) {
      await db.query("insert into chat_attachment_parts (blob_id, seq, data) values ($1, $2, decode($3, 'base64'))", [
        blobId,
        seq,
        data.subarray(offset, offset + partBytes).toString('base64'),
      ]);
      await yieldToIo();
    }
  } catch (err) {
    await deleteBlob(db, blobId).catch(() => undefined);
    throw err;
  }
  return blobId;
}

export async function deleteBlob(db: Queryable, blobId: string): Promise<void> {
  await db.query('delete from chat_attachment_parts where blob_id = $1', [blobId]);
}

async function readBlob(db: Queryable, blobId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  const page = 16;
  for (let seq = 0; ; seq += page) {
    const { rows } = await db.query<{ data: string }>(
      "select encode(data, 'base64') as data from chat_attachment_parts where blob_id = $1 and seq >= $2 and seq < $3 order by seq",
      [blobId, seq, seq + page],
    );
    for (const row of rows) parts.push(Buffer.from(row.data, 'base64'));
    if (rows.length < page) return Buffer.concat(parts);
    await yieldToIo();
  }
}

/**
 * Stores the bytes first (outside any transaction), then runs `write`, which links them with the returned
 * blob id inside its own short transaction and says whether it did; unlinked or failed, the parts go again.
 */
export async function withStoredFile<T>(db: Queryable, data: Buffer, write: (blobId: string) => Promise<{ value: T; linked: boolean }>): Promise<T> {
  const blobId = await writeBlob(db, data);
  let linked = false;
  try {
    const out = await write(blobId);
    linked = out.linked;
    return out.value;
  } finally {
    if (!linked) await deleteBlob(db, blobId).catch(() => undefined);
  }
}

/** The attachment row of a stored file; its bytes are in the parts of blobId. */
export async function insertAttachmentRow(tx: Queryable, row: { id: string; conversationId: string; name: string; mime: AttachmentMime; size: number; blobId: string }): Promise<void> {
  await tx.query('insert into chat_attachments (id, conversation_id, name, mime, size, blob_id) values ($1, $2, $3, $4, $5, $6)', [
    row.id,
    row.conversationId,
    row.name,
    row.mime,
    row.size,
    row.blobId,
  ]);
}

/**
 * One check for every upload (widget and agent): valid base64, at most the byte limit, the content's magic
 * bytes agree with the declared type, and a file name that is safe to show and to save.
 */
export function verifyUpload(req: { name: string; mime: AttachmentMime; dataBase64: string }): VerifiedFile {
  const data = decodeBase64(req.dataBase64);
  if (!data) throw badRequest('The attachment is not valid base64.');
  if (data.length > chatLimits.attachmentBytes) throw payloadTooLarge('An attachment is at most 5 MB.');
  const actual = sniffMime(data);
  if (actual === null) throw unsupportedMedia('Only PNG, JPEG, GIF and WebP images, PDF and plain text files can be sent.');
  if (actual !== req.mime) throw unsupportedMedia(`The file's content is ${actual}, not ${req.mime}.`);
  return { name: safeFileName(toWellFormed(req.name), { maxLength: chatLimits.fileName }), mime: actual, data };
}

/**
 * Serves a stored file. For agents images are inline (thumbnails; the widget keeps its downloads); everything else downloads. The stored type
 * was verified on upload, and nosniff keeps a browser from second-guessing it; the sandbox CSP means no
 * script runs even if a browser were talked into rendering the file as a page.
 */
export function sendFile(reply: FastifyReply, file: { name: string; mime: AttachmentMime; data: Uint8Array }, opts = { inlineImages: true }) {
  const disposition = opts.inlineImages && file.mime.startsWith('image/') ? 'inline' : 'attachment';
  return reply
    .header('content-disposition', `${disposition}; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .type(file.mime)
    .send(Buffer.from(file.data));
}

type StoredFile = { conversation_id: string; name: string; mime: AttachmentMime; data: Uint8Array };

export async function loadFile(ctx: AppContext, id: string): Promise<StoredFile | null> {
  // encode(): PGlite parses a bytea result in JavaScript two hex digits at a time (0.7 s for 5 MiB).
  const { rows } = await ctx.db.query<{ conversation_id: string; name: string; mime: AttachmentMime; blob_id: string | null; data: string | null }>(
    "select conversation_id, name, mime, blob_id, encode(data, 'base64') as data from chat_attachments where id = $1",
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const data = row.blob_id ? await readBlob(ctx.db, row.blob_id) : Buffer.from(row.data ?? '', 'base64');
  return { conversation_id: row.conversation_id, name: row.name, mime: row.mime, data };
}

const IdParams = z.object({ id: z.uuid('an id is a UUID') });

/** Only the agent the customer is talking to, or a lead of the team, puts a file in front of the customer. */
const maySendTo = (actor: Actor, conv: ConversationRow) =>
  conv.assignee_id === actor.userId || actor.role === 'admin' || (actor.role === 'lead' && actor.teamIds.includes(conv.team_id));

/** Agent upload and download routes (core/wire/chat.ts). */
export function agentAttachmentRoutes(app: FastifyInstance, ctx: AppContext, service: ChatService, now: () => number): void {
  app.post(paths.attachments, { bodyLimit: attachmentBodyLimit }, async (request): Promise<Message> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const req = parseWith(AgentAttachmentRequest, request.body);
    // A retry after a lost answer returns the stored message before the file is decoded again.
    const stored = await loadMessage(ctx.db, req.id);
    if (stored) {
      if (stored.conversationId !== id) throw new HttpError(409, 'conflict', 'That message id is already used.');
      const conv = await loadConversationRow(ctx.db, id);
      if (!conv || !mayWork(actor, conv)) throw notFound('No such conversation.');
      return stored;
    }
    const file = verifyUpload(req);
    return withStoredFile(ctx.db, file.data, (blobId) =>
      service.write(async (tx) => {
        const conv = await loadConversationRow(tx, id, true);
        if (!conv || !mayWork(actor, conv)) throw notFound('No such conversation.');
        const existing = await loadMessage(tx, req.id);
        if (existing) {
          if (existing.conversationId !== conv.id) throw conflict('That message id is already used in another conversation.');
          return { value: existing, linked: false };
        }
        if (!maySendTo(actor, conv)) throw forbidden('Accept the chat before sending the customer a file.');
        if (conv.state === 'closed') throw conflict('This chat has ended; the customer cannot see new files.');
        const { rows } = await tx.query<{ display_name: string }>('select display_name from users where id = $1', [actor.userId]);
        await insertAttachmentRow(tx, { id: req.id, conversationId: conv.id, name: file.name, mime: file.mime, size: file.data.length, blobId });
        const { message } = await insertMessage(
          tx,
          conv,
          { id: req.id, author: 'agent', authorId: actor.userId, authorName: rows[0]?.display_name ?? null, kind: 'attachment', body: file.name, attachmentId: req.id },
          new Date(now()),
        );
        return { value: message, linked: true };
      }),
    );
  });

  app.get(paths.attachment, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const file = await loadFile(ctx, id);
    const conv = file ? await loadConversationRow(ctx.db, file.conversation_id) : null;
    // Out of scope looks exactly like missing: an id never confirms that someone else's file exists.
    if (!file || !conv || !mayWork(actor, conv)) throw notFound('No such attachment.');
    return sendFile(reply, file);
  });
}
