import type { WebSocket } from 'ws';
import { pokeCloseCodes, type Poke } from '../../core/sync/wire';
import type { Actor } from '../../core/tickets/scope';
import type { Touched } from './sqlTicketTx';

/**
 * The sockets of signed-in clients and who they belong to. After a push commits, every socket whose
 * user's scope could include a changed ticket gets a poke: admins, members (agents and leads) of a
 * changed ticket's team, and its old and new assignees. Over-poking costs one empty pull; under-poking
 * would leave a screen stale, so when in doubt, poke.
 */
export type PokeHub = {
  add(socket: WebSocket, who: { actor: Actor; clientId: string | null }): void;
  notify(touched: Touched, version: number, from: { userId: string; clientId: string }): number;
  readonly size: number;
  close(): void;
};

/** The socket's close codes live in the wire contract, beside the messages. */
export const closeCodes = pokeCloseCodes;

type Entry = { actor: Actor; clientId: string | null; alive: boolean };

export function createPokeHub(opts: { heartbeatMs: number }): PokeHub {
  const sockets = new Map<WebSocket, Entry>();
  const timer = setInterval(() => {
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
      const entry: Entry = { ...who, alive: true };
      sockets.set(socket, entry);
      socket.on('pong', () => {
        entry.alive = true;
      });
      socket.on('close', () => sockets.delete(socket));
    },
    notify(touched, version, from) {
      const poke = JSON.stringify({ type: 'poke', version } satisfies Poke);
      let sent = 0;
      for (const [socket, { actor, clientId }] of sockets) {
        // The pushing client pulls after its own push anyway; the user's other devices do need the poke.
        if (clientId === from.clientId && actor.userId === from.userId) continue;
        const concerned =
          actor.role === 'admin' || actor.userId === from.userId || touched.userIds.has(actor.userId) || actor.teamIds.some((t) => touched.teamIds.has(t));
        if (!concerned || socket.readyState !== socket.OPEN) continue;
        socket.send(poke);
        sent += 1;
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
