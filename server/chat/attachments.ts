import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { safeFileName } from '../../core/chat/safeText';
import { toWellFormed } from '../../core/chat/wellFormed';
import type { Actor } from '../../core/tickets/scope';
import { AgentAttachmentRequest, type AttachmentMime, type Message, chatLimits, chatRoutes as paths } from '../../core/wire/chat';
import type { AppContext } from '../http/context';
import { HttpError, badRequest, forbidden, notFound, parseWith } from '../http/errors';
import { actorOf } from '../sync/routes';
import { sniffMime } from '../widget/sniff';
import { conflict, payloadTooLarge, unsupportedMedia } from './errors';
import { type ConversationRow, loadConversationRow, loadMessage } from './rows';
import { type ChatService, mayWork } from './service';
import { insertMessage } from './store';

/** Base64 of the largest file plus the JSON around it; the decoded size is checked exactly. */
export const attachmentBodyLimit = Math.ceil((chatLimits.attachmentBytes * 4) / 3) + 64 * 1024;

export type VerifiedFile = { name: string; mime: AttachmentMime; data: Buffer };

/**
 * One check for every upload (widget and agent): valid base64, at most the byte limit, the content's magic
 * bytes agree with the declared type, and a file name that is safe to show and to save.
 */
export function verifyUpload(req: { name: string; mime: AttachmentMime; dataBase64: string }): VerifiedFile {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(req.dataBase64)) throw badRequest('The attachment is not valid base64.');
  const data = Buffer.from(req.dataBase64, 'base64');
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
  const { rows } = await ctx.db.query<StoredFile>('select conversation_id, name, mime, data from chat_attachments where id = $1', [id]);
  return rows[0] ?? null;
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
    return service.write(async (tx) => {
      const conv = await loadConversationRow(tx, id, true);
      if (!conv || !mayWork(actor, conv)) throw notFound('No such conversation.');
      const existing = await loadMessage(tx, req.id);
      if (existing) {
        if (existing.conversationId !== conv.id) throw conflict('That message id is already used in another conversation.');
        return existing;
      }
      if (!maySendTo(actor, conv)) throw forbidden('Accept the chat before sending the customer a file.');
      if (conv.state === 'closed') throw conflict('This chat has ended; the customer cannot see new files.');
      const { rows } = await tx.query<{ display_name: string }>('select display_name from users where id = $1', [actor.userId]);
      await tx.query('insert into chat_attachments (id, conversation_id, name, mime, size, data) values ($1, $2, $3, $4, $5, $6)', [
        req.id, conv.id, file.name, file.mime, file.data.length, file.data,
      ]);
      const { message } = await insertMessage(
        tx,
        conv,
        { id: req.id, author: 'agent', authorId: actor.userId, authorName: rows[0]?.display_name ?? null, kind: 'attachment', body: file.name, attachmentId: req.id },
        new Date(now()),
      );
      return message;
    });
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
