import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { PullRequest, PullResponse, PushRequest, PushResponse, syncRoutes as paths } from '../../core/sync/wire';
import { actorOf } from '../http/actor';
import type { AppContext } from '../http/context';
import { parseWith } from '../http/errors';
import { bindAgent } from '../realtime/bindings';
import type { RealtimeHub } from '../realtime/hub';
import { createPokeHub } from './pokeHub';
import { pullPage } from './pull';
import { applyPush } from './push';
import { pruneSyncHistory } from './retention';
import type { Touched } from './sqlTicketTx';

export type SyncOptions = {
  /** Rows per pull page (tickets, comments and customers together). */
  pageSize: number;
  heartbeatMs: number;
  authDeadlineMs: number;
  /** Pokes carry the next pull page when the client is known to be up to date (see pokeHub.ts). */
  pokeDeltas: boolean;
  /** How often sync bookkeeping nobody can need any more is deleted (retention.ts); 0 turns it off. */
  pruneEveryMs: number;
  now: () => number;
};

export const defaultSyncOptions: SyncOptions = { pageSize: 2000, heartbeatMs: 20_000, authDeadlineMs: 5_000, pokeDeltas: true, pruneEveryMs: 3_600_000, now: Date.now };

/**
 * POST /sync/push, POST /sync/pull and the poke socket (GET /sync/poke, also at /sync/socket).
 * Socket protocol: client → `{type:'auth', token, clientId?}` within 5 s; server → `{type:'ready'}`,
 * then `{type:'poke', version, delta?}` whenever something in the user's scope changed. The socket lives
 * on the realtime hub (server/realtime/hub.ts): heartbeat, session binding and close codes are its.
 */
/** What other server parts use: `pokeTouched` after they write ticket rows outside a push (chat, intake). */
export type SyncRuntime = { pokeTouched(touched: Touched): Promise<number> };

export function syncRoutes(app: FastifyInstance, ctx: AppContext, realtime: RealtimeHub, options: Partial<SyncOptions> = {}): SyncRuntime {
  const opts = { ...defaultSyncOptions, ...options };
  const hub = createPokeHub(realtime, {
    authDeadlineMs: opts.authDeadlineMs,
    bindAgent: (token) => bindAgent(ctx.db, ctx.tokens, token),
    delta: opts.pokeDeltas ? (actor, clientId, cursor) => pullPage(ctx.db, actor, { clientId, cursor }, opts) : undefined,
    log: (message) => app.log.debug(message),
  });
  if (opts.pruneEveryMs > 0) {
    const prune = setInterval(() => {
      pruneSyncHistory(ctx.db, opts.now()).then(
        (r) => app.log.info(`sync retention: pruned ${r.clients} retired client(s), ${r.mutations} mutation-log row(s), ${r.touches} touch(es)`),
        (err: unknown) => app.log.warn(`sync retention failed (retried next time): ${err instanceof Error ? err.message : String(err)}`),
      );
    }, opts.pruneEveryMs);
    prune.unref();
    app.addHook('onClose', async () => clearInterval(prune));
  }

  app.post(paths.push, async (request): Promise<PushResponse> => {
    const actor = await actorOf(ctx, request);
    const req = parseWith(PushRequest, request.body);
    const { response, touched, applied } = await applyPush(ctx.db, actor, req, opts.now);
    if (applied > 0) {
      const { rows } = await ctx.db.query<{ v: string | number }>('select last_value as v from sync_version');
      const sent = hub.notify(touched, Number(rows[0]!.v), { userId: actor.userId, clientId: req.clientId });
      request.log.debug(`${req.clientId}: ${applied} mutation(s) applied, ${sent} poke(s) sent`);
    }
    return response;
  });

  app.post(paths.pull, async (request): Promise<PullResponse> => {
    const actor = await actorOf(ctx, request);
    const req = parseWith(PullRequest, request.body);
    const page = await pullPage(ctx.db, actor, req, opts);
    if (!page.more) hub.noteCursor(actor.userId, req.clientId, page.cursor);
    return page;
  });

  void app.register(websocket, { options: { maxPayload: 8 * 1024 } });
  void app.register(async (scoped) => {
    const handler = (socket: WebSocket) => realtime.serve(socket, hub.kind);
    scoped.get(paths.poke, { websocket: true }, handler);
    // The issue names /sync/socket; core's route table says /sync/poke. Both lead to the same socket.
    scoped.get('/sync/socket', { websocket: true }, handler);
  });

  return {
    async pokeTouched(touched) {
      const { rows } = await ctx.db.query<{ v: string | number }>('select last_value as v from sync_version');
      // No pushing client to skip: every concerned socket, the writer's own included, gets the poke.
      return hub.notify(touched, Number(rows[0]!.v), { userId: '', clientId: '' });
    },
  };
}
