import { Poke, syncRoutes } from '../../../core/sync/wire';
import type { PokeHandlers, SyncTransport } from './syncEngine';

/** The minimum of a WebSocket the poke channel needs (the browser's, or a fake in tests). */
export type PokeSocketLike = {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
};

export type HttpTransportDeps = {
  /** POSTs JSON to a server path with the session's access token; rejects on network or HTTP errors. */
  postJson(path: string, body: unknown): Promise<unknown>;
  /** Opens the poke WebSocket (the caller adds the server origin and the token, e.g. as a subprotocol). */
  openWebSocket(path: string): PokeSocketLike;
  log?: (line: string) => void;
};

/**
 * The sync engine's transport over the server's sync routes. Responses are returned raw: the engine
 * parses them with the wire schemas. Socket messages other than a valid Poke are ignored (logged),
 * so a newer server's extra message types do not break an older client.
 */
export function createHttpTransport(deps: HttpTransportDeps): SyncTransport {
  return {
    push: (req) => deps.postJson(syncRoutes.push, req),
    pull: (req) => deps.postJson(syncRoutes.pull, req),
    openPokeSocket(handlers: PokeHandlers) {
      let closed = false;
      const finish = () => {
        if (closed) return;
        closed = true;
        handlers.onClose();
      };
      let ws: PokeSocketLike;
      try {
        ws = deps.openWebSocket(syncRoutes.poke);
      } catch (err) {
        deps.log?.(`[sync] poke socket failed to open: ${String(err)}`);
        queueMicrotask(finish);
        return { close: finish };
      }
      ws.onopen = () => handlers.onOpen();
      ws.onmessage = (ev) => {
        if (Poke.safeParse(parseJson(ev.data)).success) handlers.onPoke();
        else deps.log?.('[sync] ignored an unknown poke-socket message');
      };
      // Browsers fire error then close; either ends this socket, and the engine reconnects after backoff.
      ws.onerror = () => finish();
      ws.onclose = () => finish();
      return {
        close() {
          finish();
          ws.close();
        },
      };
    },
  };
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

type EventTargetLike = { addEventListener(type: string, fn: () => void): void; removeEventListener(type: string, fn: () => void): void };

/**
 * Wires browser signals to the engine: `online` and window focus retry at once (no backoff wait),
 * `offline` shows offline. Host resume (Electron `power:resumed`) is wired by the caller to `onResume`.
 */
export function attachBrowserTriggers(
  engine: { onOnline(): void; onOffline(): void; onFocus(): void },
  win: EventTargetLike,
  doc?: EventTargetLike & { visibilityState: string },
): () => void {
  const online = () => engine.onOnline();
  const offline = () => engine.onOffline();
  const focus = () => engine.onFocus();
  const visible = () => doc?.visibilityState === 'visible' && engine.onFocus();
  win.addEventListener('online', online);
  win.addEventListener('offline', offline);
  win.addEventListener('focus', focus);
  doc?.addEventListener('visibilitychange', visible);
  return () => {
    win.removeEventListener('online', online);
    win.removeEventListener('offline', offline);
    win.removeEventListener('focus', focus);
    doc?.removeEventListener('visibilitychange', visible);
  };
}
