import { maxPokeDeltaBytes, pokeCloseCodes, type Poke, type PullResponse, SocketAuth } from '../../core/sync/wire';
import { realtimeCloseCodes } from '../../core/wire/realtime';
import type { Actor } from '../../core/tickets/scope';
import type { Binding, RealtimeHub, SocketKind } from '../realtime/hub';
import type { Touched } from './sqlTicketTx';
import { parseJson } from '../realtime/parseJson';
import { timeFanout } from '../health/metrics';

/**
 * The poke socket's kind on the realtime hub (server/realtime/hub.ts does auth, session binding,
 * heartbeat and backpressure). After a push commits, every socket whose user's scope could include a
 * changed ticket gets a poke: admins, members (agents and leads) of a changed ticket's team, and its old
 * and new assignees. Over-poking costs one empty pull; under-poking would leave a screen stale, so when
 * in doubt, poke.
 *
 * When the hub knows a socket's client is up to date (its last pull ended at a cursor the hub noted), the
 * poke carries the pull page that client would fetch next (`delta`), computed by the same pull code, so
 * the client skips a round trip. Deltas for one socket are computed one after another, each from the
 * cursor the previous one ended at; anything unexpected falls back to a plain poke.
 *
 * A delta is one pull's worth of database work per socket. One push that concerns 2,000 sockets would
 * queue 2,000 pulls at once: on PostgreSQL the last poke waited seconds (p99 6.7 s at 500 agents), and on
 * the embedded PGlite, which runs its queries on the event loop, the loop stalled long enough for the
 * heartbeat to drop healthy sockets (issue 18). So one notify computes at most `maxDeltas` deltas, for
 * the first concerned sockets found; every other socket gets a plain poke at once and pulls (the pull
 * route is the same code, and each client's pull comes when that client asks, spread by the network).
 */
export type DeltaSource = (actor: Actor, clientId: string, cursor: string) => Promise<PullResponse>;

export type PokeHub = {
  readonly kind: SocketKind<PokeState>;
  /** A pull by this client ended (no more pages) at `cursor`: pokes to its socket may carry deltas from there. */
  noteCursor(userId: string, clientId: string, cursor: string): void;
  /** Pokes the concerned sockets (on every instance); returns how many of this instance's it poked. */
  notify(touched: Touched, version: number, from: { userId: string; clientId: string }): number;
  readonly size: number;
};

/** The socket's close codes live in the wire contract, beside the messages; the realtime ones are shared. */
export const closeCodes = { ...pokeCloseCodes, scopeChanged: realtimeCloseCodes.scopeChanged, tooSlow: realtimeCloseCodes.tooSlow } as const;

type PokeState = { clientId: string | null; cursor: string | null; queue: Promise<void> };

export type PokeHubOptions = {
  authDeadlineMs: number;
  bindAgent(token: string): Promise<Extract<Binding, { kind: 'agent' }> | null>;
  delta?: DeltaSource;
  /** Deltas computed per notify at most; the rest of the concerned sockets get a plain poke (default 16). */
  maxDeltas?: number;
  /** A delta not ready this long after the notify is dropped for a plain poke (default 100 ms). */
  deltaDeadlineMs?: number;
  log?: (message: string) => void;
};

type PokeMessage = { teamIds: string[]; userIds: string[]; version: number; from: { userId: string; clientId: string } };

export function createPokeHub(realtime: RealtimeHub, opts: PokeHubOptions): PokeHub {
  const kind: SocketKind<PokeState> = {
    name: 'poke',
    authDeadlineMs: opts.authDeadlineMs,
    async authenticate(text) {
      const msg = parseJson(text, SocketAuth);
      if (!msg) return null;
      const binding = await opts.bindAgent(msg.token);
      return binding ? { binding, state: { clientId: msg.clientId ?? null, cursor: null, queue: Promise.resolve() } } : null;
    },
    onBound(client) {
      client.send({ type: 'ready' });
    },
  };

  const noteCursor = realtime.topic<{ userId: string; clientId: string; cursor: string }, void>('sync.cursor', ({ userId, clientId, cursor }) => {
    for (const client of realtime.clients(kind)) {
      if (client.binding.kind === 'agent' && client.state.clientId === clientId && client.binding.actor.userId === userId) client.state.cursor = cursor;
    }
  });

  const poke = realtime.topic<PokeMessage, number>('sync.poke', ({ teamIds, userIds, version, from }) => {
    const done = timeFanout('poke');
    const text = JSON.stringify({ type: 'poke', version } satisfies Poke);
    const teams = new Set(teamIds);
    const users = new Set(userIds);
    let sent = 0;
    let deltas = 0;
    const maxDeltas = opts.maxDeltas ?? 16;
    const late: (() => void)[] = [];
    for (const client of realtime.clients(kind)) {
      if (client.binding.kind !== 'agent') continue;
      const { actor } = client.binding;
      const entry = client.state;
      const { clientId } = entry;
      // The pushing client pulls after its own push anyway; the user's other devices do need the poke.
      if (clientId === from.clientId && actor.userId === from.userId) continue;
      const concerned = actor.role === 'admin' || actor.userId === from.userId || users.has(actor.userId) || actor.teamIds.some((t) => teams.has(t));
      if (!concerned || !client.open) continue;
      sent += 1;
      if (!opts.delta || !clientId || !entry.cursor || deltas >= maxDeltas) {
        // The client's own pull moves its cursor on (noteCursor); until then no delta may start from it.
        if (opts.delta && entry.cursor) entry.cursor = null;
        client.send(text);
        continue;
      }
      deltas += 1;
      const source = opts.delta;
      // Whichever comes first answers the socket: its delta, or a plain poke at the deadline.
      let settled = false;
      const fallback = () => {
        if (settled) return;
        settled = true;
        entry.cursor = null;
        client.send(text);
      };
      late.push(fallback);
      entry.queue = entry.queue.then(async () => {
        const base = entry.cursor;
        if (settled) return;
        if (!base || !client.open) return fallback();
        let out = text;
        try {
          const page = await source(actor, clientId, base);
          if (settled) return;
          const withDelta = JSON.stringify({ type: 'poke', version, delta: { base, page } } satisfies Poke);
          if (!page.more && withDelta.length <= maxPokeDeltaBytes) {
            out = withDelta;
            entry.cursor = page.cursor;
          }
        } catch (err) {
          if (settled) return;
          // Scope changed (cursor-reset), client retired, database busy: the client's own pull will say.
          opts.log?.(`poke delta for client ${clientId} not computed: ${err instanceof Error ? err.message : String(err)}`);
          entry.cursor = null;
        }
        settled = true;
        client.send(out);
      });
    }
    // A delta saves its client one round trip; it must never make the poke itself late (bench/scale.mjs saw
    // 40 deltas take 600 ms on a loaded machine): what is not computed by the deadline goes as a plain poke.
    if (late.length > 0) setTimeout(() => late.forEach((f) => f()), opts.deltaDeadlineMs ?? 100).unref();
    // The plain pokes are sent; deltas finish on their own queues (their time shows in the clients' latency).
    done();
    return sent;
  });

  return {
    kind,
    noteCursor: (userId, clientId, cursor) => noteCursor({ userId, clientId, cursor }),
    notify: (touched, version, from) => poke({ teamIds: [...touched.teamIds], userIds: [...touched.userIds], version, from }),
    get size() {
      return realtime.clients(kind).length;
    },
  };
}
