import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Actor } from '../../core/tickets/scope';
import { type ConversationMood, type MoodAlert, type MoodAlertList, MoodSocketAuth, type MoodSocketMessage, moodRoutes as paths } from '../../core/wire/mood';
import { mayWork } from '../chat/service';
import { loadConversationRow } from '../chat/rows';
import { actorOf } from '../http/actor';
import type { AppContext } from '../http/context';
import { forbidden, notFound, parseWith } from '../http/errors';
import { bindAgent } from '../realtime/bindings';
import type { Json } from '../realtime/bus';
import type { Binding, RealtimeHub, SocketKind } from '../realtime/hub';
import { parseJson } from '../realtime/parseJson';
import { claimUndelivered, listAlerts, loadAlerts, maySeeAlert, reachesLead } from './alerts';
import { warmSegmenter } from './segmenter';
import { blockRoutes } from './blocks';

export type MoodOptions = {
  now: () => number;
  /** How often undelivered alerts are sent (default 250 ms: an alert reaches the lead well within 2 s). */
  scanIntervalMs: number;
  authDeadlineMs: number;
};

/** The realtime topic mood alerts travel on between instances (server/realtime/bus.ts). */
export const moodAlertTopic = 'mood.alert';

type AlertEvent = { type: 'alert' | 'acknowledged'; alert: MoodAlert };
const IdParams = z.object({ id: z.uuid('must be an id') });

export type MoodRuntime = { scanOnce(): Promise<number>; readonly sockets: number };

/**
 * Customers' mood (issue 20): the trend of a conversation, the leads' alerts (a socket kind on the one
 * realtime hub, only the conversation team's leads), acknowledgment, and the agent's "abusive" flag.
 * Messages are scored where they are stored (record.ts, from server/chat/store.ts).
 */
export function moodRoutes(app: FastifyInstance, ctx: AppContext, realtime: RealtimeHub, options: Partial<MoodOptions> = {}): MoodRuntime {
  const opts: MoodOptions = { now: Date.now, scanIntervalMs: 250, authDeadlineMs: 10_000, ...options };
  const { db } = ctx;
  warmSegmenter();

  const kind: SocketKind<null> = {
    name: 'mood-alerts',
    authDeadlineMs: opts.authDeadlineMs,
    async authenticate(text) {
      const msg = parseJson(text, MoodSocketAuth);
      if (!msg) return null;
      const binding: Extract<Binding, { kind: 'agent' }> | null = await bindAgent(db, ctx.tokens, msg.token);
      return binding ? { binding, state: null } : null;
    },
    onBound(client) {
      client.send({ type: 'ready' } satisfies MoodSocketMessage);
    },
  };

  const deliver = realtime.topic<Json, number>(moodAlertTopic, (message) => {
    const event = message as unknown as AlertEvent;
    const text = JSON.stringify({ type: event.type, alert: event.alert } satisfies MoodSocketMessage);
    let sent = 0;
    for (const client of realtime.clients(kind)) {
      if (client.binding.kind !== 'agent' || !reachesLead(client.binding.actor, event.alert.teamId)) continue;
      if (client.send(text)) sent += 1;
    }
    return sent;
  });
  const publish = (type: AlertEvent['type'], alerts: MoodAlert[]) => {
    for (const alert of alerts) deliver({ type, alert } as unknown as Json);
  };

  const scanOnce = async () => {
    const ids = await claimUndelivered(db, new Date(opts.now()));
    publish('alert', await loadAlerts(db, ids));
    return ids.length;
  };
  let busy = false;
  const timer = opts.scanIntervalMs > 0
    ? setInterval(() => {
        if (busy) return;
        busy = true;
        scanOnce()
          .catch((err: unknown) => app.log.warn(`mood alerts: ${err instanceof Error ? err.message : String(err)}`))
          .finally(() => {
            busy = false;
          });
      }, opts.scanIntervalMs)
    : null;
  timer?.unref();
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });

  const conversationFor = async (actor: Actor, id: string) => {
    const conv = await loadConversationRow(db, id);
    // Outside the caller's scope looks like no conversation at all, as in server/chat.
    if (!conv || !mayWork(actor, conv)) throw notFound('No such conversation.');
    return conv;
  };

  app.get(paths.conversation, async (request): Promise<ConversationMood> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    await conversationFor(actor, id);
    const { rows } = await db.query<{ seq: number; score: number; negative: boolean; abuse_count: number; created_at: Date }>(
      'select seq, score, negative, abuse_count, created_at from message_moods where conversation_id = $1 order by seq',
      [id],
    );
    return { conversationId: id, points: rows.map((r) => ({ seq: r.seq, score: r.score, negative: r.negative, abusive: r.abuse_count > 0, at: r.created_at.getTime() })) };
  });

  app.get(paths.alerts, async (request): Promise<MoodAlertList> => {
    const actor = await actorOf(ctx, request);
    if (actor.role === 'agent') throw forbidden('Only team leads and admins see mood alerts.');
    return { alerts: await listAlerts(db, actor, new Date(opts.now())) };
  });

  app.post(paths.ack, async (request): Promise<MoodAlert> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const [alert] = await loadAlerts(db, [id]);
    if (!alert || !maySeeAlert(actor, alert.teamId)) throw notFound('No such alert.');
    const { rows } = await db.query('update mood_alerts set acknowledged_at = $2, acknowledged_by = $3 where id = $1 and acknowledged_at is null returning id', [
      id,
      new Date(opts.now()),
      actor.userId,
    ]);
    const [after] = await loadAlerts(db, [id]);
    if (rows[0]) publish('acknowledged', [after!]);
    return after!;
  });

  /** The agent working the conversation (or its team's lead) flags the customer as abusive: an alert at once. */
  app.post(paths.abusive, async (request): Promise<MoodAlert> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const conv = await conversationFor(actor, id);
    const { rows } = await db.query<{ id: string }>(
      `insert into mood_alerts (conversation_id, team_id, kind, raised_by, raised_at) values ($1, $2, 'abusive', $3, $4) returning id`,
      [conv.id, conv.team_id, actor.userId, new Date(opts.now())],
    );
    const [alert] = await loadAlerts(db, [rows[0]!.id]);
    return alert!;
  });

  blockRoutes(app, ctx, opts.now);

  void app.register(async (scoped) => {
    if (!scoped.hasDecorator('websocketServer')) await scoped.register(websocket, { options: { maxPayload: 8 * 1024 } });
    scoped.get(paths.socket, { websocket: true }, (socket: WebSocket) => realtime.serve(socket, kind));
  });

  return {
    scanOnce,
    get sockets() {
      return realtime.clients(kind).length;
    },
  };
}
