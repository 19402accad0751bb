import { Poke, SocketReady, syncRoutes, type SocketAuth } from '../../../core/sync/wire';
import { realtimeCloseCodes } from '../../../core/wire/realtime';
import type { PokeHandlers, SyncTransport } from './syncEngine';

/** The minimum of a WebSocket the poke channel needs (the browser's, or a fake in tests). */
export type PokeSocketLike = {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
  send?(data: string): void;
};

export type HttpTransportDeps = {
  /** POSTs JSON to a server path with the session's access token; rejects on network or HTTP errors. */
  postJson(path: string, body: unknown): Promise<unknown>;
  /** Opens the poke WebSocket (the caller adds the server origin). */
  openWebSocket(path: string): PokeSocketLike;
  /**
   * When given, the transport speaks the socket's auth protocol itself: it sends `SocketAuth` with this
   * token (and the client id) as the first message, and reports the socket open only on `{type:'ready'}`,
   * so a sync that runs on open is not raced by pokes the server would not yet deliver. Without it the
   * caller's socket authenticates itself and open means open.
   */
  accessToken?: () => string | null;
  clientId?: () => string | undefined;
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
      const finish = (reason?: 'unauthorized') => {
        if (closed) return;
        closed = true;
        handlers.onClose(reason);
      };
      let ws: PokeSocketLike;
      try {
        ws = deps.openWebSocket(syncRoutes.poke);
      } catch (err) {
        deps.log?.(`[sync] poke socket failed to open: ${String(err)}`);
        queueMicrotask(finish);
        return { close: finish };
      }
      const speaksAuth = deps.accessToken !== undefined;
      ws.onopen = () => {
        if (!speaksAuth) return handlers.onOpen();
        const token = deps.accessToken?.() ?? null;
        if (token === null || !ws.send) {
          deps.log?.('[sync] poke socket: no access token to authenticate with');
          return ws.close();
        }
        const auth: SocketAuth = { type: 'auth', token, clientId: deps.clientId?.() };
        ws.send(JSON.stringify(auth));
      };
      ws.onmessage = (ev) => {
        const message = parseJson(ev.data);
        const poke = Poke.safeParse(message);
        if (poke.success) handlers.onPoke(poke.data.delta);
        else if (SocketReady.safeParse(message).success) {
          if (speaksAuth) handlers.onOpen();
        } else deps.log?.('[sync] ignored an unknown poke-socket message');
      };
      // Browsers fire error then close; either ends this socket, and the engine reconnects after backoff.
      // A 4401 close is not an error: the server says the token or session ended (core/wire/realtime.ts).
      ws.onclose = (ev) => finish((ev as { code?: number } | null)?.code === realtimeCloseCodes.unauthorized ? 'unauthorized' : undefined);
      ws.onerror = () => queueMicrotask(() => finish());
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
