import type { Actor } from '../../../core/tickets/scope';
import { createMemoryServer, type MemoryServer } from '../core/memoryServer';
import { PullRequest, PushRequest, type PushResponse } from '../../../core/sync/wire';
import { CacheDb } from '../../../renderer/services/db/cacheDb';
import { OutboxDb } from '../../../renderer/services/db/outboxDb';
import { uniqueName } from './dexieProbes';
import { createSyncEngine, type Clock, type PokeHandlers, type SyncTransport } from '../../../renderer/services/sync/syncEngine';

/** Test doubles for the sync engine: a controllable clock and a network in front of the in-memory spec server. */
export function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  const timers = new Set<{ at: number; fn: () => void }>();
  const delays: number[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      delays.push(ms);
      const timer = { at: now + ms, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
  };
  return {
    clock,
    delays,
    pendingTimers: () => timers.size,
    /** Moves time forward and fires the timers that fall due, in order. */
    advance(ms: number) {
      now += ms;
      for (const t of [...timers].sort((a, b) => a.at - b.at)) {
        if (t.at > now) break;
        timers.delete(t);
        t.fn();
      }
    },
  };
}

export type Network = {
  up: boolean;
  /** Drop the push response after the server applied it (the worst moment for a Wi-Fi drop). */
  losePushResponses: number;
  /** Server answers pushes with "not now" (no results), as a busy server may. */
  deferPushes: boolean;
  pushes: number;
  pulls: number;
  /** The server's own pokes are not delivered (a test delivers its own, e.g. with a delta). */
  mutePokes: boolean;
  sockets: PokeHandlers[];
};

/** `actor` is who the server takes the user for; a function lets a test change the user's teams on the server. */
export function fakeTransport(server: MemoryServer, actorOrNow: Actor | (() => Actor), net: Network): SyncTransport {
  const who = () => (typeof actorOrNow === 'function' ? actorOrNow() : actorOrNow);
  const offline = () => new TypeError('Failed to fetch');
  return {
    async push(req) {
      net.pushes += 1;
      if (!net.up) throw offline();
      const body = PushRequest.parse(JSON.parse(JSON.stringify(req)));
      if (net.deferPushes) return { results: [], lastMutationId: server.lastMutationId(body.clientId) } satisfies PushResponse;
      const res = await server.push(who(), body);
      if (net.losePushResponses > 0) {
        net.losePushResponses -= 1;
        throw offline();
      }
      return JSON.parse(JSON.stringify(res)) as unknown;
    },
    async pull(req) {
      net.pulls += 1;
      if (!net.up) throw offline();
      return JSON.parse(JSON.stringify(server.pull(who(), PullRequest.parse(req)))) as unknown;
    },
    openPokeSocket(handlers) {
      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        net.sockets.splice(net.sockets.indexOf(handlers), 1);
        handlers.onClose();
      };
      const unsubscribe = server.onChange(() => open && !net.mutePokes && handlers.onPoke());
      net.sockets.push(handlers);
      if (net.up) queueMicrotask(() => open && handlers.onOpen());
      else queueMicrotask(close);
      return { close };
    },
  };
}

let seq = 0;
export const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

/** One agent's app: its databases, network and engine, against a shared server. */
export function agentApp(
  server: MemoryServer,
  actor: Actor,
  opts: { names?: { cache: string; outbox: string }; clock?: ReturnType<typeof fakeClock>; pageSize?: number; serverActor?: () => Actor; refreshActor?: () => Promise<Actor>; whileOnCall?: () => Promise<void> } = {},
) {
  const names = opts.names ?? { cache: uniqueName('cache'), outbox: uniqueName('outbox') };
  const clock = opts.clock ?? fakeClock();
  const net: Network = { up: true, losePushResponses: 0, deferPushes: false, pushes: 0, pulls: 0, mutePokes: false, sockets: [] };
  const cacheDb = new CacheDb(names.cache);
  const outboxDb = new OutboxDb(names.outbox);
  const logs: string[] = [];
  // Mutable, so a test can put a refusal in front of one call.
  const real = fakeTransport(server, opts.serverActor ?? actor, net);
  const transport: SyncTransport = { push: (req) => real.push(req), pull: (req) => real.pull(req), openPokeSocket: (h) => real.openPokeSocket(h) };
  const engine = createSyncEngine({
    cacheDb,
    outboxDb,
    transport: { push: (req) => transport.push(req), pull: (req) => transport.pull(req), openPokeSocket: (h) => transport.openPokeSocket(h) },
    actor,
    refreshActor: opts.refreshActor,
    ...(opts.whileOnCall ? { whileOnCall: opts.whileOnCall } : {}),
    clock: clock.clock,
    random: () => 0.5,
    newClientId: uuid,
    log: (line) => logs.push(line),
  });
  return { engine, cacheDb, outboxDb, net, clock, names, logs, transport };
}

export const newServer = (pageSize?: number) => createMemoryServer({ now: () => 1_700_000_500_000, pageSize });
