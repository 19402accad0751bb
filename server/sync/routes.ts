import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { PullRequest, PullResponse, PushRequest, PushResponse, SocketAuth, syncRoutes as paths } from '../../core/sync/wire';
import type { Actor } from '../../core/tickets/scope';
import { isSessionLive, liveSessionIds } from '../auth/sessions';
import type { AppContext } from '../http/context';
import { parseWith } from '../http/errors';
import { loadActor } from '../tickets/scope';
import { closeCodes, createPokeHub } from './pokeHub';
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

/** The caller's current scope: `authenticate` already read the user's role and teams with the session. */
export async function actorOf(ctx: AppContext, request: FastifyRequest): Promise<Actor> {
  const caller = await ctx.authenticate(request);
  return { userId: caller.sub, role: caller.role, teamIds: caller.teamIds };
}

/**
 * POST /sync/push, POST /sync/pull and the poke socket (GET /sync/poke, also at /sync/socket).
 * Socket protocol: client → `{type:'auth', token, clientId?}` within 5 s; server → `{type:'ready'}`,
 * then `{type:'poke', version, delta?}` whenever something in the user's scope changed; ping every 20 s.
 */
/** What other server parts use: `pokeTouched` after they write ticket rows outside a push (chat, intake). */
export type SyncRuntime = { pokeTouched(touched: Touched): Promise<number> };

export function syncRoutes(app: FastifyInstance, ctx: AppContext, options: Partial<SyncOptions> = {}): SyncRuntime {
  const opts = { ...defaultSyncOptions, ...options };
  const hub = createPokeHub({
    heartbeatMs: opts.heartbeatMs,
    delta: opts.pokeDeltas ? (actor, clientId, cursor) => pullPage(ctx.db, actor, { clientId, cursor }, opts) : undefined,
    liveSessions: (ids) => liveSessionIds(ctx.db, ids),
    log: (message) => app.log.debug(message),
  });
  app.addHook('onClose', async () => hub.close());
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
    const handler = (socket: WebSocket) => {
      const deadline = setTimeout(() => socket.close(closeCodes.authTimeout, 'auth-timeout'), opts.authDeadlineMs);
      socket.once('close', () => clearTimeout(deadline));
      socket.once('message', (data) => {
        clearTimeout(deadline);
        void authenticateSocket(data.toString()).then(
          (who) => {
            if (!who) return socket.close(closeCodes.unauthorized, 'unauthorized');
            if (socket.readyState !== socket.OPEN) return;
            hub.add(socket, who);
            socket.send(JSON.stringify({ type: 'ready' }));
            socket.on('message', () => socket.close(closeCodes.badMessage, 'unexpected-message'));
          },
          () => socket.close(1011, 'server-error'),
        );
      });
    };
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

  async function authenticateSocket(text: string): Promise<{ actor: Actor; clientId: string | null; sessionId: string } | null> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return null;
    }
    const msg = SocketAuth.safeParse(json);
    if (!msg.success) return null;
    const claims = await ctx.tokens.verifyAccess(msg.data.token);
    if (!claims || !(await isSessionLive(ctx.db, claims.sid, claims.sub))) return null;
    const actor = await loadActor(ctx.db, claims.sub);
    return actor ? { actor, clientId: msg.data.clientId ?? null, sessionId: claims.sid } : null;
  }
}
