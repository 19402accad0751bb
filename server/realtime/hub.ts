import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { realtimeCloseCodes as codes, realtimeCloseReasons as reasons } from '../../core/wire/realtime';
import type { Actor } from '../../core/tickets/scope';
import type { Bus, Json } from './bus';

/**
 * The one place that owns the server's sockets (sync pokes, the agent's chat, the widget). A socket kind
 * says how its first message authenticates and what it does once bound; the hub does the rest for all:
 *
 *   connect ─► first message within the kind's deadline ─► authenticate ─► bound ─► kind.onBound
 *      │              └─ none: 4408                             └─ null: 4401
 *   bound: heartbeat ping (no pong by the next beat: terminate), binding re-checked every beat and at once
 *          when this process ends the session; ended → 4401, role or teams changed → 4403, token or widget
 *          session expired → 4401; a send that finds the socket's buffer over the limit → 4429
 *
 * A binding names what the socket may carry: an agent's session and the scope (role, teams) it had when
 * it was bound, or a customer's widget session and conversation. Fan-out goes through `clients(kind)`,
 * and each `send` re-checks the binding's expiry, so nothing is sent on a socket whose token lapsed.
 *
 * Cross-instance fan-out goes through topics on a Bus (bus.ts): `topic(name, deliver)` returns a
 * publisher that delivers here at once and on every other instance through the bus.
 */
export type Binding =
  /** `tokenExpiresAt` is wall-clock ms: access tokens are signed and verified against the real clock. */
  | { kind: 'agent'; sessionId: string; actor: Actor; tokenExpiresAt: number }
  /** `expiresAt` is on the server's clock (`now`), like the widget session row it came from. */
  | { kind: 'customer'; conversationId: string; tokenHash: string; expiresAt: number };

/** Why a binding no longer holds, as the close code and reason the socket gets. */
export type Unbound = { code: number; reason: string };

/** Re-reads the bindings' sessions (one query per kind); returns those that no longer hold. */
export type BindingCheck = (bindings: readonly Binding[]) => Promise<Map<Binding, Unbound>>;

export type Client<S> = {
  readonly id: string;
  readonly binding: Binding;
  /** The kind's own per-socket state. */
  readonly state: S;
  readonly open: boolean;
  /** Sends unless the socket is closed, its binding expired, or it is not keeping up (then it is closed). */
  send(message: string | object): boolean;
  /** The socket's buffer is above the low-water mark: a sender that can wait (a replay) should, with `drained`. */
  readonly backlogged: boolean;
  /** Resolves true once the socket's buffer is low again; false if it closed or stayed full too long (closed 4429). */
  drained(): Promise<boolean>;
  close(code: number, reason: string): void;
};

export type SocketKind<S> = {
  readonly name: string;
  readonly authDeadlineMs: number;
  /** The socket's first message: what it is bound to, or null (closed 4401). */
  authenticate(text: string): Promise<{ binding: Binding; state: S } | null>;
  /** Bound and tracked: send `ready` and whatever the kind starts with. */
  onBound(client: Client<S>): void | Promise<void>;
  /** Later messages; without it, any later message closes the socket with 4400. */
  onMessage?(client: Client<S>, text: string): void | Promise<void>;
};

export type RealtimeOptions = {
  heartbeatMs: number;
  /** A socket whose send buffer (ws `bufferedAmount`) is above this is not keeping up. */
  maxBufferedBytes: number;
  /** How long `drained()` waits for a full buffer to empty before closing the socket as too slow. */
  drainTimeoutMs: number;
  /** The server's clock (widget sessions expire on it). */
  now: () => number;
  check: BindingCheck;
  bus: Bus;
  log: (line: string) => void;
};

export const defaultRealtimeOptions = { heartbeatMs: 20_000, maxBufferedBytes: 4 * 1024 * 1024, drainTimeoutMs: 10_000 } as const;

export type RealtimeHub = {
  serve<S>(socket: WebSocket, kind: SocketKind<S>): void;
  clients<S>(kind: SocketKind<S>): Client<S>[];
  /** A publisher on a bus topic: `deliver` runs here at once (its result is returned) and on every other instance. */
  topic<T extends Json, R>(name: string, deliver: (message: T) => R): (message: T) => R;
  /** Runs after the bus's broker reconnected (bus.ts `onResume`): re-read what a lost message would have said. */
  onResume(handler: () => void): void;
  /** Closes this session's sockets on every instance (logout, revoke). */
  endSession(sessionId: string): void;
  /** Runs one binding check now (the heartbeat does this every beat). */
  recheck(): Promise<void>;
  readonly size: number;
  close(): void;
};

type Tracked = { client: Client<unknown>; kind: SocketKind<unknown>; socket: WebSocket; alive: boolean; timer: NodeJS.Timeout | null };

export function createRealtimeHub(opts: RealtimeOptions): RealtimeHub {
  const instance = randomUUID();
  const sockets = new Map<WebSocket, Tracked>();
  const unsubscribes: (() => void)[] = [];

  const expired = (b: Binding): Unbound | null => {
    if (b.kind === 'agent') return Date.now() >= b.tokenExpiresAt ? { code: codes.unauthorized, reason: reasons.tokenExpired } : null;
    return opts.now() >= b.expiresAt ? { code: codes.unauthorized, reason: reasons.sessionEnded } : null;
  };

  const drop = (socket: WebSocket, code: number, reason: string) => {
    const tracked = sockets.get(socket);
    sockets.delete(socket);
    if (tracked?.timer) clearTimeout(tracked.timer);
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    // A socket that does not read will not read the close frame behind its full buffer either, and ws would
    // hold the buffer for its 30 s close timeout: cut it after a short grace.
    if (code === codes.tooSlow) setTimeout(() => socket.terminate(), opts.drainTimeoutMs).unref();
  };

  const lowWater = opts.maxBufferedBytes / 4;
  const makeClient = <S>(socket: WebSocket, binding: Binding, state: S): Client<S> => {
    const client: Client<S> = {
      id: randomUUID(),
      binding,
      state,
      get open() {
        return sockets.has(socket) && socket.readyState === socket.OPEN;
      },
      send(message) {
        if (!client.open) return false;
        const lapsed = expired(binding);
        if (lapsed) {
          drop(socket, lapsed.code, lapsed.reason);
          return false;
        }
        if (socket.bufferedAmount > opts.maxBufferedBytes) {
          opts.log(`realtime: socket ${client.id} is not reading (${socket.bufferedAmount} bytes buffered); closed`);
          drop(socket, codes.tooSlow, reasons.tooSlow);
          return false;
        }
        socket.send(typeof message === 'string' ? message : JSON.stringify(message));
        return true;
      },
      get backlogged() {
        return socket.bufferedAmount > lowWater;
      },
      async drained() {
        const until = Date.now() + opts.drainTimeoutMs;
        while (client.open && socket.bufferedAmount > lowWater) {
          if (Date.now() >= until) {
            opts.log(`realtime: socket ${client.id} did not drain in ${opts.drainTimeoutMs} ms; closed`);
            drop(socket, codes.tooSlow, reasons.tooSlow);
            return false;
          }
          await new Promise((r) => setTimeout(r, 10));
        }
        return client.open;
      },
      close(code, reason) {
        drop(socket, code, reason);
      },
    };
    return client;
  };

  const recheck = async () => {
    const tracked = [...sockets.values()];
    if (tracked.length === 0) return;
    const verdicts = await opts.check(tracked.map((t) => t.client.binding));
    for (const t of tracked) {
      const verdict = verdicts.get(t.client.binding) ?? expired(t.client.binding);
      if (verdict && sockets.has(t.socket)) drop(t.socket, verdict.code, verdict.reason);
    }
  };
  let checking = false;
  // The beat runs in the check phase (setImmediate), after the poll phase: when this process's own loop
  // was held up past a beat, the timers phase would otherwise fire before the pongs already waiting in
  // the sockets are read, and every healthy socket would be cut for the server's own stall.
  let stopped = false;
  const heartbeat = setInterval(() => void setImmediate(beat), opts.heartbeatMs);
  function beat() {
    if (stopped) return;
    for (const [socket, t] of sockets) {
      if (!t.alive) {
        sockets.delete(socket);
        if (t.timer) clearTimeout(t.timer);
        socket.terminate();
        continue;
      }
      t.alive = false;
      socket.ping();
    }
    // One check at a time: a slow database must not pile checks up.
    if (checking) return;
    checking = true;
    recheck()
      .catch((err: unknown) => opts.log(`realtime: binding check failed (next beat retries): ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (checking = false));
  }
  heartbeat.unref();

  const topic = <T extends Json, R>(name: string, deliver: (message: T) => R): ((message: T) => R) => {
    unsubscribes.push(
      opts.bus.subscribe(name, (envelope) => {
        const e = envelope as { origin: string; message: T };
        if (e.origin !== instance) deliver(e.message);
      }),
    );
    return (message) => {
      const result = deliver(message);
      opts.bus.publish(name, { origin: instance, message });
      return result;
    };
  };

  const endSessionHere = topic<{ sessionId: string }, void>('session.ended', ({ sessionId }) => {
    for (const [socket, t] of sockets) {
      const b = t.client.binding;
      if (b.kind === 'agent' && b.sessionId === sessionId) drop(socket, codes.unauthorized, reasons.sessionEnded);
    }
  });

  const track = <S>(socket: WebSocket, kind: SocketKind<S>, binding: Binding, state: S): Client<S> => {
    const client = makeClient(socket, binding, state);
    const t: Tracked = { client: client as Client<unknown>, kind: kind as SocketKind<unknown>, socket, alive: true, timer: null };
    sockets.set(socket, t);
    // An access token's expiry is known to the millisecond: close then, not at the next beat.
    if (binding.kind === 'agent') {
      const lapse = binding.tokenExpiresAt - Date.now();
      t.timer = setTimeout(() => sockets.has(socket) && drop(socket, codes.unauthorized, reasons.tokenExpired), Math.max(0, Math.min(lapse, 2 ** 31 - 1)));
      t.timer.unref();
    }
    socket.on('pong', () => (t.alive = true));
    return client;
  };

  return {
    serve(socket, kind) {
      const deadline = setTimeout(() => socket.close(codes.authTimeout, reasons.authTimeout), kind.authDeadlineMs);
      socket.once('close', () => {
        clearTimeout(deadline);
        const t = sockets.get(socket);
        if (t?.timer) clearTimeout(t.timer);
        sockets.delete(socket);
      });
      socket.once('message', (data) => {
        clearTimeout(deadline);
        void (async () => {
          const bound = await kind.authenticate(String(data));
          if (!bound || expired(bound.binding)) return socket.close(codes.unauthorized, reasons.unauthorized);
          if (socket.readyState !== socket.OPEN) return;
          const client = track(socket, kind, bound.binding, bound.state);
          socket.on('message', (raw) => {
            if (!kind.onMessage) return client.close(codes.badMessage, reasons.badMessage);
            Promise.resolve(kind.onMessage(client, String(raw))).catch((err: unknown) => {
              opts.log(`realtime: ${kind.name} socket ${client.id}: ${err instanceof Error ? err.message : String(err)}`);
              client.close(1011, 'server-error');
            });
          });
          await kind.onBound(client);
        })().catch((err: unknown) => {
          opts.log(`realtime: ${kind.name} socket failed to bind: ${err instanceof Error ? err.message : String(err)}`);
          socket.close(1011, 'server-error');
        });
      });
    },
    clients<S>(kind: SocketKind<S>) {
      const out: Client<S>[] = [];
      for (const t of sockets.values()) if (t.kind === kind) out.push(t.client as Client<S>);
      return out;
    },
    topic,
    onResume(handler) {
      if (opts.bus.onResume) unsubscribes.push(opts.bus.onResume(handler));
    },
    endSession(sessionId) {
      endSessionHere({ sessionId });
    },
    recheck,
    get size() {
      return sockets.size;
    },
    close() {
      stopped = true;
      clearInterval(heartbeat);
      for (const off of unsubscribes.splice(0)) off();
      for (const [socket, t] of sockets) {
        if (t.timer) clearTimeout(t.timer);
        socket.close(1001, 'server shutting down');
      }
      sockets.clear();
    },
  };
}
