import type { SocketLike } from '../chat/chatSocket';
import type { PokeSocketLike } from '../sync/httpTransport';

/** Both shapes at once: the chat socket reads the close code, the poke transport only that it closed. */
export type BrowserSocket = SocketLike & PokeSocketLike;

/**
 * The one adapter from the browser's WebSocket to the small socket shape the sync poke transport and the
 * chat socket drive (both authenticate with their first message, so no token is ever in the URL).
 */
export function openBrowserSocket(baseUrl: string, path: string): BrowserSocket {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  const socket: BrowserSocket = { onopen: null, onmessage: null, onclose: null, onerror: null, send: (d) => ws.send(d), close: () => ws.close() };
  ws.onopen = (ev) => socket.onopen?.(ev);
  ws.onmessage = (ev) => socket.onmessage?.({ data: ev.data });
  ws.onerror = (ev) => socket.onerror?.(ev);
  ws.onclose = (ev) => socket.onclose?.({ code: ev.code });
  return socket;
}
