import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SsoConfig } from '../core/wire/sso';
import { HostError } from './ipc/hostError';

/**
 * The desktop half of single sign-on: a loopback redirect listener (RFC 8252 §7.3) for the system
 * browser to return the authorization response to. The renderer builds the request (core/auth/sso.ts)
 * and checks the response; main only listens and relays.
 *
 * - 127.0.0.1, not "localhost": a name can resolve elsewhere or to IPv6 first (RFC 8252 §8.3);
 * - an ephemeral port per attempt; the path is fixed (/sso/callback) because providers match the
 *   registered path exactly and only let the loopback port vary (RFC 8252 §7.3). A forged response
 *   posted here by another local program still fails the renderer's state check;
 * - one callback, then the listener closes; no callback within the timeout closes it too.
 */

export type LoopbackSsoOptions = {
  /** Opens the URL in the user's default browser (shell.openExternal in the app). */
  openExternal: (url: string) => Promise<void>;
  /** Raises the app window once the browser has handed back the response. */
  bringToFront?: () => void;
  /**
   * The authorization endpoint the central server names (GET /auth/sso/config), or null when SSO is off.
   * Only a request to that endpoint is opened, so a compromised page cannot send the browser elsewhere.
   */
  trustedAuthorizationEndpoint: () => Promise<string | null>;
  timeoutMs?: number;
  log?: (line: string) => void;
};

export type LoopbackSso = {
  /** Starts listening (closing any earlier attempt) and returns the redirect URI to register in the request. */
  begin(): Promise<{ redirectUri: string }>;
  /** Opens the authorization request in the system browser; resolves with the full callback URL. */
  authorize(authorizationUrl: string): Promise<string>;
  close(): void;
};

const doneHtml = `<!doctype html><html><head><meta charset="utf-8"><title>Switchboard</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}</style></head>
<body><h1>Switchboard</h1><p>Sign-in is finished. You can close this tab and return to Switchboard.</p>
<p lang="zh-CN">登录已完成。您可以关闭此标签页并返回 Switchboard。</p><p lang="zh-TW">登入已完成。您可以關閉此分頁並返回 Switchboard。</p></body></html>`;

/** Register `http://127.0.0.1/sso/callback` at the identity provider (a native client; any port). */
export const callbackPath = '/sso/callback';

type Attempt = {
  server: Server;
  redirectUri: string;
  path: string;
  waiter: { resolve(url: string): void; reject(err: Error): void } | null;
  received: string | null;
  timer: NodeJS.Timeout | null;
};

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

/** Refuses anything that is not an OpenID authorization request for this attempt's redirect URI. */
export function checkAuthorizationUrl(raw: string, redirectUri: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HostError('bad-args', 'sso: not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) throw new HostError('not-allowed', 'sso: the identity provider must use https');
  if (url.username || url.password) throw new HostError('not-allowed', 'sso: credentials in the URL');
  const q = url.searchParams;
  if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('state')) {
    throw new HostError('not-allowed', 'sso: not an authorization-code request with PKCE S256');
  }
  if (q.get('redirect_uri') !== redirectUri) throw new HostError('not-allowed', 'sso: redirect_uri is not this sign-in’s loopback address');
  return url.toString();
}

/** Same scheme, host, port and path: the query (the request itself) is what differs. */
function sameEndpoint(requested: string, trusted: string): boolean {
  try {
    const a = new URL(requested);
    const b = new URL(trusted);
    return a.origin === b.origin && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

export function createLoopbackSso(options: LoopbackSsoOptions): LoopbackSso {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const log = options.log ?? (() => {});
  let attempt: Attempt | null = null;

  function finish(a: Attempt, outcome: { url: string } | { error: Error }): void {
    if (a.timer) clearTimeout(a.timer);
    a.server.close();
    if (attempt === a) attempt = null;
    if ('url' in outcome) {
      if (a.waiter) a.waiter.resolve(outcome.url);
      else a.received = outcome.url;
    } else {
      a.waiter?.reject(outcome.error);
    }
    a.waiter = null;
  }

  function handle(a: Attempt, req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', a.redirectUri);
    // Only the exact path of this attempt, by GET, with a state: everything else (favicon, probes) is a 404.
    if (req.method !== 'GET' || url.pathname !== a.path || !url.searchParams.has('state')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
    res.end(doneHtml, () => finish(a, { url: `${a.redirectUri}${url.search}` }));
    log('[sso] authorization response received on the loopback listener');
    options.bringToFront?.();
  }

  return {
    async begin() {
      if (attempt) finish(attempt, { error: new HostError('unavailable', 'sso: a newer sign-in was started') });
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const path = callbackPath;
      const a: Attempt = { server, path, redirectUri: `http://127.0.0.1:${port}${path}`, waiter: null, received: null, timer: null };
      server.on('request', (req: IncomingMessage, res: ServerResponse) => handle(a, req, res));
      a.timer = setTimeout(() => finish(a, { error: new HostError('unavailable', 'sso: no answer from the browser in time; start the sign-in again') }), timeoutMs);
      attempt = a;
      log(`[sso] loopback listener on 127.0.0.1:${port}`);
      return { redirectUri: a.redirectUri };
    },

    async authorize(authorizationUrl) {
      const a = attempt;
      if (!a) throw new HostError('unavailable', 'sso: no sign-in was started (call sso:begin first)');
      const url = checkAuthorizationUrl(authorizationUrl, a.redirectUri);
      const trusted = await options.trustedAuthorizationEndpoint().catch((err: unknown) => {
        throw new HostError('unavailable', `sso: the server's sign-in settings could not be read (${err instanceof Error ? err.message : String(err)})`);
      });
      if (!trusted || !sameEndpoint(url, trusted)) throw new HostError('not-allowed', 'sso: not the identity provider the server names');
      // Asking the server took a moment: a newer sign-in (or closing) may have ended this attempt.
      if (attempt !== a) throw new HostError('unavailable', 'sso: a newer sign-in was started');
      const result = new Promise<string>((resolve, reject) => {
        if (a.received) resolve(a.received);
        else a.waiter = { resolve, reject };
      });
      try {
        await options.openExternal(url);
      } catch (err) {
        finish(a, { error: new HostError('unavailable', `sso: the browser could not be opened (${err instanceof Error ? err.message : String(err)})`) });
      }
      return result;
    },

    close() {
      if (attempt) finish(attempt, { error: new HostError('unavailable', 'sso: the app is closing') });
    },
  };
}

/** The authorization endpoint the central server trusts, from its public GET /auth/sso/config. */
export async function ssoAuthorizationEndpoint(serverUrl: string, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  const res = await fetchImpl(new URL('/auth/sso/config', serverUrl), { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status} from /auth/sso/config`);
  return SsoConfig.parse(await res.json()).sso?.authorizationEndpoint ?? null;
}
