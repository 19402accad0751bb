/**
 * The renderer's Content-Security-Policy, built in one place so the header Electron main sets on every
 * `app://` response and the `<meta>` tag in renderer/index.html cannot drift apart.
 *
 * No 'unsafe-inline' and no 'unsafe-eval': customer text (chats, e-mails, ticket bodies) is rendered in
 * this page, and these two are what turn an HTML-injection slip into running script. Styles are held to
 * 'self' too, so an injected <style> cannot exfiltrate through attribute selectors.
 */
export type CspOptions = {
  /** Origins the page may fetch / open WebSockets to besides itself (the central server, its ws origin). */
  connectSrc: readonly string[];
  /**
   * 'meta' leaves out frame-ancestors, which browsers ignore (with a console warning) in a <meta> tag;
   * the header that main and the server send carries it.
   */
  delivery?: 'header' | 'meta';
};

const sourceToken = /^(?:'self'|'none'|[a-z][a-z0-9+.-]*:(?:\/\/[A-Za-z0-9.*:[\]-]+)?)$/;

export function contentSecurityPolicy(options: CspOptions): string {
  for (const source of options.connectSrc) {
    // A source with ';' or a space would smuggle in a directive of its own.
    if (!sourceToken.test(source)) throw new Error(`CSP: refused connect-src source ${JSON.stringify(source)}`);
  }
  const connect = ["'self'", ...options.connectSrc.filter((s) => s !== "'self'")];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    ...(options.delivery === 'meta' ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

/**
 * http(s) and ws(s) origins of the central server, as CSP sources. `http://127.0.0.1:7600` gives
 * `http://127.0.0.1:7600` and `ws://127.0.0.1:7600`.
 */
export function serverConnectSources(serverUrl: string): string[] {
  const url = new URL(serverUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`CSP: server URL must be http(s), got ${url.protocol}`);
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [`${url.protocol}//${url.host}`, `${ws}//${url.host}`];
}

/**
 * The softphone's SIP-over-WebSocket origins (RFC 7118): the managed SipWebSocketUrl when IT sets one, and
 * when the central server is on this machine (`npm start`), the embedded phone server beside it on any
 * loopback port (server/pbx; its port block is configurable). A PBX the server provisions elsewhere is
 * not known to main at start and needs the SipWebSocketUrl policy.
 */
export function sipConnectSources(serverUrl: string, sipWebSocketUrl: string | null): string[] {
  const out: string[] = [];
  const host = new URL(serverUrl).hostname;
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') out.push('ws://127.0.0.1:*', 'ws://localhost:*');
  if (sipWebSocketUrl) {
    const sip = new URL(sipWebSocketUrl);
    if (sip.protocol === 'ws:' || sip.protocol === 'wss:') out.push(`${sip.protocol}//${sip.host}`);
  }
  return out;
}

/**
 * The policy baked into renderer/index.html's <meta> tag. The page does not know the server's address at
 * build time (agents point the app at their own server), so connect-src allows any http(s)/ws(s) origin
 * here; in Electron the stricter header from main (naming the one server) also applies, and a page is
 * bound by every policy it receives.
 */
export const baselineContentSecurityPolicy = contentSecurityPolicy({ connectSrc: ['http:', 'https:', 'ws:', 'wss:'], delivery: 'meta' });
