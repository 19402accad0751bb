import type { WebSocket } from 'ws';
import { maxPokeDeltaBytes, pokeCloseCodes, type Poke, type PullResponse } from '../../core/sync/wire';
import type { Actor } from '../../core/tickets/scope';
import type { Touched } from './sqlTicketTx';

/**
 * The sockets of signed-in clients and who they belong to. After a push commits, every socket whose
 * user's scope could include a changed ticket gets a poke: admins, members (agents and leads) of a
 * changed ticket's team, and its old and new assignees. Over-poking costs one empty pull; under-poking
 * would leave a screen stale, so when in doubt, poke.
 *
 * When the hub knows a socket's client is up to date (its last pull ended at a cursor the hub noted), the
 * poke carries the pull page that client would fetch next (`delta`), computed by the same pull code, so
 * the client skips a round trip. Deltas for one socket are computed one after another, each from the
 * cursor the previous one ended at; anything unexpected falls back to a plain poke.
 */
export type DeltaSource = (actor: Actor, clientId: string, cursor: string) => Promise<PullResponse>;

export type PokeHub = {
  add(socket: WebSocket, who: { actor: Actor; clientId: string | null; sessionId: string }): void;
  /** A pull by this client ended (no more pages) at `cursor`: pokes to its socket may carry deltas from there. */
  noteCursor(userId: string, clientId: string, cursor: string): void;
  notify(touched: Touched, version: number, from: { userId: string; clientId: string }): number;
  readonly size: number;
  close(): void;
};

/** The socket's close codes live in the wire contract, beside the messages. */
export const closeCodes = pokeCloseCodes;

type Entry = { actor: Actor; clientId: string | null; sessionId: string; alive: boolean; cursor: string | null; queue: Promise<void> };

export type PokeHubOptions = {
  heartbeatMs: number;
  delta?: DeltaSource;
  /**
   * Of these sessions, the live ones. Checked every heartbeat, so a socket of a session that signed out,
   * was revoked or whose user was disabled stops receiving pokes (and deltas) within one heartbeat.
   */
  liveSessions?: (sessionIds: string[]) => Promise<Set<string>>;
  log?: (message: string) => void;
};

export function createPokeHub(opts: PokeHubOptions): PokeHub {
  const sockets = new Map<WebSocket, Entry>();
  const dropRevoked = async () => {
    if (!opts.liveSessions || sockets.size === 0) return;
    const live = await opts.liveSessions([...sockets.values()].map((e) => e.sessionId));
    for (const [socket, entry] of sockets) {
      if (live.has(entry.sessionId)) continue;
      sockets.delete(socket);
      socket.close(pokeCloseCodes.unauthorized, 'session-ended');
    }
  };
  const timer = setInterval(() => {
    dropRevoked().catch((err: unknown) => opts.log?.(`poke hub: session check failed: ${err instanceof Error ? err.message : String(err)}`));
    for (const [socket, entry] of sockets) {
      if (!entry.alive) {
        socket.terminate();
        sockets.delete(socket);
        continue;
      }
      entry.alive = false;
      socket.ping();
    }
  }, opts.heartbeatMs);
  timer.unref();

  return {
    add(socket, who) {
      const entry: Entry = { ...who, alive: true, cursor: null, queue: Promise.resolve() };
      sockets.set(socket, entry);
      socket.on('pong', () => {
        entry.alive = true;
      });
      socket.on('close', () => sockets.delete(socket));
    },
    noteCursor(userId, clientId, cursor) {
      for (const entry of sockets.values()) {
        if (entry.clientId === clientId && entry.actor.userId === userId) entry.cursor = cursor;
      }
    },
    notify(touched, version, from) {
      const poke = JSON.stringify({ type: 'poke', version } satisfies Poke);
      let sent = 0;
      for (const [socket, entry] of sockets) {
        const { actor, clientId } = entry;
        // The pushing client pulls after its own push anyway; the user's other devices do need the poke.
        if (clientId === from.clientId && actor.userId === from.userId) continue;
        const concerned =
          actor.role === 'admin' || actor.userId === from.userId || touched.userIds.has(actor.userId) || actor.teamIds.some((t) => touched.teamIds.has(t));
        if (!concerned || socket.readyState !== socket.OPEN) continue;
        sent += 1;
        if (!opts.delta || !clientId || !entry.cursor) {
          socket.send(poke);
          continue;
        }
        const source = opts.delta;
        entry.queue = entry.queue.then(async () => {
          const base = entry.cursor;
          if (!base || socket.readyState !== socket.OPEN) return;
          let text = poke;
          try {
            const page = await source(actor, clientId, base);
            const withDelta = JSON.stringify({ type: 'poke', version, delta: { base, page } } satisfies Poke);
            if (!page.more && withDelta.length <= maxPokeDeltaBytes) {
              text = withDelta;
              entry.cursor = page.cursor;
            }
          } catch (err) {
            // Scope changed (cursor-reset), client retired, database busy: the client's own pull will say.
            opts.log?.(`poke delta for client ${clientId} not computed: ${err instanceof Error ? err.message : String(err)}`);
            entry.cursor = null;
          }
          if (socket.readyState === socket.OPEN) socket.send(text);
        });
      }
      return sent;
    },
    get size() {
      return sockets.size;
    },
    close() {
      clearInterval(timer);
      for (const socket of sockets.keys()) socket.close(1001, 'server shutting down');
      sockets.clear();
    },
  };
}
