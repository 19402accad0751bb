import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import {
  AgentSendRequest,
  type ConversationDetail,
  type ConversationList,
  type EventPage,
  PresenceRequest,
  type QueueList,
  ReadRequest,
  TransferRequest,
  TypingRequest,
  VoiceEventRequest,
  chatRoutes as paths,
} from '../../core/wire/chat';
import { z } from 'zod';
import type { AppContext } from '../http/context';
import { bindAgent } from '../realtime/bindings';
import type { RealtimeHub } from '../realtime/hub';
import { parseWith } from '../http/errors';
import { actorOf } from '../http/actor';
import { agentAttachmentRoutes } from './attachments';
import { callReportRoutes } from './calls';
import { agentMaySee, type ChatHub, createChatHub } from './hub';
import { emailRoutesOf } from './email';
import { messagingRoutes } from './messaging';
import { createOutbox } from './outbox';
import { quickReplyRoutes } from './quickReplies';
import { loadMessages, toConversation } from './rows';
import type { TicketTouch } from './routing';
import { type ChatService, createChatService } from './service';
import { type EventRow, eventsAfter, latestCursor, toEvent } from './store';

export type ChatOptions = {
  now: () => number;
  heartbeatMs: number;
  authDeadlineMs: number;
  /** How often lapsed offers are re-offered and waiting chats routed; 0 turns the timer off (tests sweep by hand). */
  sweepMs: number;
  /** Ticket rows changed by chat (assignment, transcript, survey): the server pokes sync clients with it. */
  onTicketsChanged?: (touches: TicketTouch[]) => void;
  post?: Parameters<typeof createOutbox>[1]['post'];
  /** The wallboard (server/board/): chat events as they are dispatched, and presence changes. */
  board?: { onEvents(rows: readonly EventRow[]): void; onPresenceChanged(teamIds: readonly string[]): void };
};

export const defaultChatOptions: ChatOptions = { now: Date.now, heartbeatMs: 20_000, authDeadlineMs: 5_000, sweepMs: 2_000 };

/** The options in force: the defaults under the given ones (an `undefined` value keeps its default). */
export const chatOptionsOf = (options: Partial<ChatOptions>): ChatOptions => ({
  ...defaultChatOptions,
  ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
});

export type ChatRuntime = { service: ChatService; hub: ChatHub; outbox: ReturnType<typeof createOutbox> };

const IdParams = z.object({ id: z.uuid('a conversation id is a UUID') });

/**
 * Agent chat routes, the agent socket and the messaging webhook (core/wire/chat.ts). The widget, the
 * customer side, registers its own routes (server/widget/routes.ts) over the returned runtime.
 * The agent socket is its own path, /chat/socket, a socket kind on the realtime hub like the sync socket:
 * the sync socket closes on any message after auth, so the two stay separate kinds.
 */
export function chatRoutes(app: FastifyInstance, ctx: AppContext, realtime: RealtimeHub, options: Partial<ChatOptions> = {}): ChatRuntime {
  const opts = chatOptionsOf(options);
  const log = (line: string) => app.log.warn(line);
  const hub = createChatHub(ctx.db, realtime, { authDeadlineMs: opts.authDeadlineMs, bindAgent: (token) => bindAgent(ctx.db, ctx.tokens, token), log, onDispatched: opts.board?.onEvents });
  // The live flush starts from the log's end as it finds it on its first run: run it now, so the first
  // write after a start is dispatched too (the wallboard hears every event; sockets replay by cursor anyway).
  void hub.flush().catch((err: unknown) => log(`chat hub: first flush: ${String(err)}`));
  const outbox = createOutbox(ctx.db, { now: opts.now, post: opts.post, log });
  const service = createChatService({
    db: ctx.db,
    hub,
    now: opts.now,
    onTicketsChanged: (touches) => opts.onTicketsChanged?.(touches),
    onOutbound: () => outbox.kick(),
    onPresenceChanged: (teamIds) => opts.board?.onPresenceChanged(teamIds),
  });
  const runtime: ChatRuntime = { service, hub, outbox };

  if (opts.sweepMs > 0) {
    const timer = setInterval(() => {
      service.sweep().catch((err: unknown) => log(`chat sweep: ${(err as Error).message}`));
      outbox.runOnce().catch((err: unknown) => log(`outbox: ${(err as Error).message}`));
    }, opts.sweepMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  app.get(paths.conversations, async (request): Promise<ConversationList> => {
    const actor = await actorOf(ctx, request);
    const cursor = await latestCursor(ctx.db);
    return { conversations: await service.list(actor), cursor };
  });

  app.get(paths.conversation, async (request): Promise<ConversationDetail> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const cursor = await latestCursor(ctx.db);
    const conv = await service.get(actor, id);
    return { conversation: toConversation(conv), messages: await loadMessages(ctx.db, id, false), cursor };
  });

  app.post(paths.accept, async (request) => service.accept(await actorOf(ctx, request), parseWith(IdParams, request.params, 'path').id));
  app.post(paths.decline, async (request) => service.decline(await actorOf(ctx, request), parseWith(IdParams, request.params, 'path').id));
  app.post(paths.close, async (request) => service.close(await actorOf(ctx, request), parseWith(IdParams, request.params, 'path').id));

  app.post(paths.messages, async (request) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    return service.send(actor, id, parseWith(AgentSendRequest, request.body));
  });

  app.post(paths.typing, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    await service.typingAgent(actor, id, parseWith(TypingRequest, request.body).typing);
    return reply.status(204).send();
  });

  app.post(paths.read, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const conv = await service.get(actor, id);
    await service.markRead('agent', conv, parseWith(ReadRequest, request.body).upToSeq);
    return reply.status(204).send();
  });

  app.post(paths.transfer, async (request) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    return service.transfer(actor, id, parseWith(TransferRequest, request.body));
  });

  app.get(paths.queues, async (request): Promise<QueueList> => {
    const actor = await actorOf(ctx, request);
    const { rows } = await ctx.db.query<{
      id: string; name: string; team_id: string; language: 'en' | 'zh-CN' | 'zh-TW' | null; country: string | null; product: string | null;
      mode: 'offer' | 'auto'; offer_timeout_seconds: number; waiting: number;
    }>(
      `select q.*, (select count(*)::int from conversations c where c.queue_id = q.id and c.state in ('queued', 'offered')) as waiting
       from chat_queues q where $1 or q.team_id = any($2::uuid[]) order by q.name`,
      [actor.role === 'admin', actor.teamIds],
    );
    return {
      queues: rows.map((q) => ({
        id: q.id, name: q.name, teamId: q.team_id, mode: q.mode, offerTimeoutSeconds: q.offer_timeout_seconds, waiting: q.waiting,
        skills: { ...(q.language ? { language: q.language } : {}), ...(q.country ? { country: q.country } : {}), ...(q.product ? { product: q.product } : {}) },
      })),
    };
  });

  app.get(paths.events, async (request): Promise<EventPage> => {
    const actor = await actorOf(ctx, request);
    const { after } = parseWith(z.object({ after: z.coerce.number().int().nonnegative().default(0) }), request.query, 'query');
    const limit = 500;
    const rows = await eventsAfter(ctx.db, after, limit);
    const cursor = rows.length ? Number(rows[rows.length - 1]!.cursor) : after;
    return { events: rows.filter((r) => agentMaySee(actor, r)).map(toEvent), cursor, more: rows.length === limit };
  });

  app.post(paths.presence, async (request) => {
    const actor = await actorOf(ctx, request);
    const body = parseWith(PresenceRequest, request.body);
    return service.setPresence(actor, body.presence, body.reasonId ?? null);
  });

  app.post(paths.voiceEvents, async (request) => service.voiceEvent(await actorOf(ctx, request), parseWith(VoiceEventRequest, request.body)));

  void app.register(async (scoped) => {
    // The sync routes register @fastify/websocket on the root; a server built without them still gets it.
    if (!scoped.hasDecorator('websocketServer')) await scoped.register(websocket, { options: { maxPayload: 8 * 1024 } });
    scoped.get(paths.socket, { websocket: true }, (socket: WebSocket) => realtime.serve(socket, hub.agentKind));
  });
  messagingRoutes(app, ctx, service, opts.now);
  emailRoutesOf(app, ctx, service, opts.now);
  quickReplyRoutes(app, ctx, opts.now, (to) => hub.repliesChanged(to));
  agentAttachmentRoutes(app, ctx, service, opts.now);
  callReportRoutes(app, ctx, service, opts.now);

  return runtime;
}

/** The sync hub's shape of "which tickets, teams and users changed". */
export function touchedOf(touches: TicketTouch[]): { ticketIds: Set<string>; teamIds: Set<string>; userIds: Set<string> } {
  return {
    ticketIds: new Set(touches.map((t) => t.ticketId)),
    teamIds: new Set(touches.flatMap((t) => t.teamIds)),
    userIds: new Set(touches.flatMap((t) => t.userIds)),
  };
}
