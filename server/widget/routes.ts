import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { type AttachmentMime, type Message, ReadRequest, TypingRequest, chatRoutes as paths } from '../../core/wire/chat';
import { SurveyRequest, WidgetAttachmentRequest, type WidgetConversation, WidgetSendRequest, type WidgetSession, WidgetSessionRequest, WidgetSocketClientMessage } from '../../core/wire/chatWidget';
import { bearerToken, type AppContext } from '../http/context';
import { HttpError, notFound, parseWith, unauthorized } from '../http/errors';
import { addressBlocked } from '../mood/blocks';
import type { RealtimeHub } from '../realtime/hub';
import { actorOf } from '../http/actor';
import { attachmentBodyLimit, base64Bytes, insertAttachmentRow, loadFile, sendFile, verifyUpload, withStoredFile } from '../chat/attachments';
import { parseJson } from '../realtime/parseJson';
import type { ChatOptions, ChatRuntime } from '../chat/routes';
import { type ConversationRow, loadConversationRow, loadMessage, loadMessages } from '../chat/rows';
import { mayWork } from '../chat/service';
import { latestCursor, insertMessage } from '../chat/store';
import { widgetAssets } from './assets';
import { type Charge, createWidgetQuotas, quotaLimitsFrom } from './quotas';

const sessionTtlMs = 24 * 3_600_000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The widget's clock and socket sign-in deadline: the chat's (buildServer passes the chat options in force). */
export type WidgetOptions = Pick<ChatOptions, 'now' | 'authDeadlineMs'>;

/**
 * The customer side: the widget page and its API (core/wire/chat.ts). A customer holds one opaque
 * random token per conversation (only its hash is stored) and reaches nothing but that conversation.
 * It works through the chat's service and hub; its socket is a customer kind on the realtime hub, so
 * `app` must have @fastify/websocket loaded (buildServer registers this in a plugin after the sync routes').
 */
export function widgetRoutes(app: FastifyInstance, ctx: AppContext, { service, hub }: Pick<ChatRuntime, 'service' | 'hub'>, opts: WidgetOptions, realtime: RealtimeHub): void {
  const now = () => new Date(opts.now());
  // The widget API is open to the world: every new chat, message and file is charged to its session and address.
  const quotas = createWidgetQuotas(quotaLimitsFrom(ctx.config), { now: opts.now, log: (line) => app.log.warn(line) });

  async function customerOf(request: FastifyRequest): Promise<ConversationRow> {
    const token = bearerToken(request);
    if (!token) throw unauthorized('Missing chat session token.');
    const conv = await conversationForToken(token);
    if (!conv) throw unauthorized('This chat session has expired; start a new chat.');
    return conv;
  }

  async function conversationForToken(token: string): Promise<ConversationRow | null> {
    const { rows } = await ctx.db.query<{ conversation_id: string }>('select conversation_id from widget_sessions where token_hash = $1 and expires_at > $2', [
      hashToken(token),
      now(),
    ]);
    return rows[0] ? loadConversationRow(ctx.db, rows[0].conversation_id) : null;
  }

  const assets = widgetAssets({ builtDir: ctx.config.widgetRoot, log: (line) => app.log.warn(line) });
  for (const [path, asset] of assets.routes) {
    app.get(path, async (_request, reply) => {
      const { body, type } = await asset();
      return reply
        .header('content-security-policy', assets.csp)
        .header('cache-control', 'no-cache')
        .type(type)
        .send(body);
    });
  }

  app.post(paths.widgetSessions, async (request): Promise<WidgetSession> => {
    const req = parseWith(WidgetSessionRequest, request.body);
    // Issue 20: a lead blocked this address for abuse; the widget shows the customer a polite notice.
    if (await addressBlocked(ctx.db, request.ip, new Date(opts.now()))) throw new HttpError(403, 'blocked', 'This chat is not available from here at the moment.');
    return charged(quotas.newChat(request.ip), async () => {
      const conv = await service.start({
        channel: 'webchat',
        name: req.name?.trim() ? req.name : 'Web visitor',
        skills: { language: req.language, country: req.country ?? null, product: req.product ?? null },
      });
      const token = randomBytes(32).toString('base64url');
      await ctx.db.query('insert into widget_sessions (token_hash, conversation_id, customer_id, expires_at, address) values ($1, $2, $3, $4, $5)', [
        hashToken(token),
        conv.id,
        conv.customer_id,
        new Date(opts.now() + sessionTtlMs),
        request.ip,
      ]);
      return { sessionToken: token, conversationId: conv.id, language: conv.language };
    });
  });

  app.get(paths.widgetConversation, async (request): Promise<WidgetConversation> => {
    const conv = await customerOf(request);
    const cursor = await latestCursor(ctx.db);
    const survey = await ctx.db.query('select 1 from survey_responses where conversation_id = $1', [conv.id]);
    return {
      conversationId: conv.id,
      state: conv.state,
      agentName: conv.assignee_name,
      messages: await loadMessages(ctx.db, conv.id, true),
      agentReadSeq: conv.agent_read_seq,
      surveyAnswered: survey.rows.length > 0,
      cursor,
    };
  });

  app.post(paths.widgetMessages, async (request): Promise<Message> => {
    const conv = await customerOf(request);
    const req = parseWith(WidgetSendRequest, request.body);
    // A retry of a stored message is answered again without being charged again.
    const stored = await ownMessage(conv, req.id);
    if (stored) return stored;
    return charged(quotas.message(conv.id, request.ip), () => customerMessage(conv, { id: req.id, kind: 'text', body: req.body }));
  });

  app.post(paths.widgetAttachments, { bodyLimit: attachmentBodyLimit }, async (request): Promise<Message> => {
    const conv = await customerOf(request);
    const req = parseWith(WidgetAttachmentRequest, request.body);
    const stored = await ownMessage(conv, req.id);
    if (stored) return stored;
    // Charged on the size the base64 announces, before a byte is decoded or stored.
    return charged(quotas.file(conv.id, request.ip, base64Bytes(req.dataBase64)), () => {
      const file = verifyUpload(req);
      return customerMessage(conv, { id: req.id, kind: 'attachment', body: file.name, file: { mime: file.mime, data: file.data } });
    });
  });

  app.get(paths.widgetAttachment, async (request, reply) => {
    const { id } = parseWith(z.object({ id: z.uuid() }), request.params, 'path');
    const file = await loadFile(ctx, id);
    if (!file) throw notFound('No such attachment.');
    await mayRead(request, file.conversation_id);
    return sendFile(reply, file, { inlineImages: false });
  });

  app.post(paths.widgetTyping, async (request, reply) => {
    const conv = await customerOf(request);
    service.typingCustomer(conv, parseWith(TypingRequest, request.body).typing);
    return reply.status(204).send();
  });

  app.post(paths.widgetRead, async (request, reply) => {
    const conv = await customerOf(request);
    await service.markRead('customer', conv, parseWith(ReadRequest, request.body).upToSeq);
    return reply.status(204).send();
  });

  app.post(paths.widgetClose, async (request) => {
    const conv = await customerOf(request);
    const closed = await service.close(null, conv.id);
    return { state: closed.state };
  });

  app.post(paths.widgetSurvey, async (request, reply) => {
    const conv = await customerOf(request);
    const survey = parseWith(SurveyRequest, request.body);
    await service.survey(conv, { liked: survey.liked, disliked: survey.disliked, improve: survey.improve, score: survey.score });
    return reply.status(204).send();
  });

  // The customer socket: bound to the widget session (its expiry and the row itself are re-checked every
  // heartbeat by the realtime hub), replaying the conversation's events after its cursor.
  const socketKind = hub.customerKind({
    authDeadlineMs: opts.authDeadlineMs,
    async bind(text) {
      const msg = parseJson(text, WidgetSocketClientMessage);
      if (!msg) return null;
      const tokenHash = hashToken(msg.sessionToken);
      const { rows } = await ctx.db.query<{ conversation_id: string; expires_at: Date }>(
        'select conversation_id, expires_at from widget_sessions where token_hash = $1 and expires_at > $2',
        [tokenHash, now()],
      );
      const session = rows[0];
      if (!session) return null;
      const cursor = msg.cursor ?? (await latestCursor(ctx.db));
      return { binding: { kind: 'customer', conversationId: session.conversation_id, tokenHash, expiresAt: new Date(session.expires_at).getTime() }, cursor };
    },
  });
  app.get(paths.widgetSocket, { websocket: true }, (socket: WebSocket) => realtime.serve(socket, socketKind));

  /** The work behind a taken charge; a refusal or a failure gives the charge back. */
  async function charged<T>(charge: Charge, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      charge.refund();
      throw err;
    }
  }

  async function ownMessage(conv: ConversationRow, id: string): Promise<Message | null> {
    const existing = await loadMessage(ctx.db, id);
    if (existing && existing.conversationId !== conv.id) throw new HttpError(409, 'conflict', 'That message id is already used.');
    return existing;
  }

  async function customerMessage(
    conv0: ConversationRow,
    msg: { id: string; kind: 'text' | 'attachment'; body: string; file?: { mime: AttachmentMime; data: Buffer } },
  ): Promise<Message> {
    const write = (blobId: string | null) =>
      service.write(async (tx) => {
        const conv = (await loadConversationRow(tx, conv0.id, true))!;
        const existing = await loadMessage(tx, msg.id);
        if (!existing && conv.state === 'closed') throw new HttpError(409, 'conflict', 'This chat has ended. Start a new chat to write again.');
        if (!existing && msg.file && blobId) {
          await insertAttachmentRow(tx, { id: msg.id, conversationId: conv.id, name: msg.body, mime: msg.file.mime, size: msg.file.data.length, blobId });
        }
        const { message } = await insertMessage(
          tx,
          conv,
          { id: msg.id, author: 'customer', authorId: null, authorName: conv.customer_name, kind: msg.kind, body: msg.body, attachmentId: msg.file ? msg.id : null },
          now(),
        );
        return { value: message, linked: !existing };
      });
    // The file's bytes are written before, and outside, the message's transaction (server/chat/attachments.ts).
    if (msg.file) return withStoredFile(ctx.db, msg.file.data, write);
    return (await write(null)).value;
  }

  /** The customer of the conversation (session token) or an agent who may work it (access token). */
  async function mayRead(request: FastifyRequest, conversationId: string): Promise<void> {
    const token = bearerToken(request);
    if (!token) throw unauthorized();
    const asCustomer = await conversationForToken(token);
    if (asCustomer) {
      if (asCustomer.id !== conversationId) throw notFound('No such attachment.');
      return;
    }
    const actor = await actorOf(ctx, request);
    const conv = await loadConversationRow(ctx.db, conversationId);
    if (!conv || !mayWork(actor, conv)) throw notFound('No such attachment.');
  }
}
