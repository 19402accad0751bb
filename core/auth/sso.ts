import { z } from 'zod';

/**
 * The client half of OpenID Connect sign-in for a public native app (RFC 8252): authorization code with
 * PKCE S256 (RFC 7636), a `state` bound to this attempt, a `nonce` for the ID token, and the RFC 9207
 * `iss` check on the response. Pure: randomness and SHA-256 come in through `SsoCrypto`, because core/
 * runs without WebCrypto typings (renderer passes crypto.subtle, tests pass node:crypto).
 *
 *   idle ──start──▶ pending (state, nonce, verifier kept by this client)
 *                      │ system browser ▸ identity provider ▸ redirect back with ?code&state&iss
 *                      ▼
 *                 parseCallback ──ok──▶ exchange at the central server (code + verifier + nonce)
 *                      └──refused──▶ nothing is sent anywhere; the user starts again
 */

export type SsoCrypto = {
  randomBytes(length: number): Uint8Array;
  sha256(data: Uint8Array): Promise<Uint8Array>;
};

const base64UrlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url (RFC 4648 §5), the encoding PKCE and JWTs use. */
export function base64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += base64UrlAlphabet[a >> 2];
    out += base64UrlAlphabet[((a & 3) << 4) | ((b ?? 0) >> 4)];
    if (b !== undefined) out += base64UrlAlphabet[((b & 15) << 2) | ((c ?? 0) >> 6)];
    if (c !== undefined) out += base64UrlAlphabet[c & 63];
  }
  return out;
}

/** RFC 7636 §4.1: 43–128 characters of the unreserved set. */
export const PkceVerifier = z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'must be a PKCE code verifier (43-128 unreserved characters)');

/** A fresh random value: 32 bytes give a 43-character verifier, more entropy than RFC 7636 §7.1 asks. */
export function randomToken(crypto: SsoCrypto, bytes = 32): string {
  return base64Url(crypto.randomBytes(bytes));
}

/** S256: BASE64URL(SHA256(ASCII(verifier))). "plain" is never used; it protects nothing against a code thief who saw the request. */
export async function pkceChallenge(crypto: SsoCrypto, verifier: string): Promise<string> {
  const ascii = new Uint8Array(verifier.length);
  for (let i = 0; i < verifier.length; i++) ascii[i] = verifier.charCodeAt(i);
  return base64Url(await crypto.sha256(ascii));
}

/** What this client remembers between opening the browser and the redirect coming back. */
export const SsoPending = z.object({
  state: z.string().min(16).max(200),
  nonce: z.string().min(16).max(200),
  /** Optional in the schema so a stored attempt that lost it is recognised as such, not as garbage. */
  codeVerifier: PkceVerifier.optional(),
  redirectUri: z.string().min(1).max(2048),
  issuer: z.string().min(1).max(2048),
  /** The provider promised `iss` in its responses (RFC 9207), so a response without one is refused. */
  issRequired: z.boolean(),
  /** ms since epoch; an attempt older than `pendingTtlMs` is refused. */
  startedAt: z.number().int().nonnegative(),
});
export type SsoPending = z.infer<typeof SsoPending>;

/** Long enough to type a password and pass MFA; short enough that a forgotten tab is not a live key. */
export const pendingTtlMs = 10 * 60_000;

export type AuthorizationRequest = {
  authorizationEndpoint: string;
  clientId: string;
  scopes: readonly string[];
  pending: SsoPending;
  codeChallenge: string;
  /** e.g. the UI language, passed on as `ui_locales` so the provider's page matches the app. */
  uiLocales?: string;
};

function encodeQuery(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

export function buildAuthorizationUrl(request: AuthorizationRequest): string {
  const { pending } = request;
  const endpoint = new URL(request.authorizationEndpoint);
  if (endpoint.protocol !== 'https:' && !isLoopbackHost(endpoint.hostname)) throw new Error('authorization endpoint must use https');
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: pending.redirectUri,
    scope: request.scopes.join(' '),
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    ...(request.uiLocales ? { ui_locales: request.uiLocales } : {}),
  };
  const base = request.authorizationEndpoint;
  return `${base}${base.includes('?') ? '&' : '?'}${encodeQuery(params)}`;
}

/** RFC 8252 §8.3: loopback redirects use the IP literal; plain http is only acceptable there. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1' || hostname === 'localhost';
}

/** Query parameters of a URL; a repeated parameter is kept as its list so callers can refuse it. */
export function queryParams(url: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const query = new URL(url).search.replace(/^\?/, '');
  if (!query) return out;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      continue;
    }
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** Why a redirect back from the provider is refused; each is shown to the user in their language. */
export type SsoCallbackProblem =
  /** Not the redirect URI this attempt registered (another page, another port). */
  | 'wrong-redirect'
  /** No attempt is pending here, it expired, or `state` differs: a forged or stale response (RFC 6749 §10.12). */
  | 'state-mismatch'
  /** The response names another issuer, or none where the provider promised one (RFC 9207 mix-up defence). */
  | 'issuer-mismatch'
  /** This attempt lost its PKCE verifier: whoever holds the code cannot prove they started it. */
  | 'verifier-missing'
  /** The provider answered with `error` (the user cancelled, access denied, ...). */
  | 'provider-error'
  | 'missing-code';

export type SsoCallback =
  | { ok: true; code: string; codeVerifier: string }
  | { ok: false; problem: SsoCallbackProblem; detail: string };

export type CallbackExpectation = { pending: SsoPending | null; now: number };

function single(params: Map<string, string[]>, name: string): string | null | 'repeated' {
  const values = params.get(name);
  if (!values) return null;
  return values.length === 1 ? values[0]! : 'repeated';
}

function sameRedirect(callbackUrl: string, redirectUri: string): boolean {
  const a = new URL(callbackUrl);
  const b = new URL(redirectUri);
  return a.origin === b.origin && a.pathname === b.pathname;
}

/**
 * Checks a redirect back from the provider against the attempt this client started. The order matters:
 * state first, so a forged response reveals nothing about the provider's error text; `iss` before the
 * code is trusted, so a code from a mixed-up provider is never sent on.
 */
export function parseCallback(callbackUrl: string, expect: CallbackExpectation): SsoCallback {
  let params: Map<string, string[]>;
  try {
    params = queryParams(callbackUrl);
  } catch {
    return { ok: false, problem: 'wrong-redirect', detail: 'not a URL' };
  }
  const { pending } = expect;
  if (!pending) return { ok: false, problem: 'state-mismatch', detail: 'no sign-in was started here' };
  if (!sameRedirect(callbackUrl, pending.redirectUri)) return { ok: false, problem: 'wrong-redirect', detail: 'not the redirect URI of this sign-in' };
  const state = single(params, 'state');
  if (state !== pending.state) return { ok: false, problem: 'state-mismatch', detail: 'state does not match this sign-in' };
  if (expect.now - pending.startedAt > pendingTtlMs || expect.now < pending.startedAt) {
    return { ok: false, problem: 'state-mismatch', detail: 'this sign-in attempt expired' };
  }
  const iss = single(params, 'iss');
  if (iss === 'repeated' || (iss !== null && iss !== pending.issuer) || (iss === null && pending.issRequired)) {
    return { ok: false, problem: 'issuer-mismatch', detail: `response issuer ${iss === null ? 'missing' : JSON.stringify(iss)}, expected ${pending.issuer}` };
  }
  const error = single(params, 'error');
  if (error !== null) {
    const description = single(params, 'error_description');
    const text = error === 'repeated' ? 'error' : error;
    return { ok: false, problem: 'provider-error', detail: description && description !== 'repeated' ? `${text}: ${description}` : text };
  }
  const code = single(params, 'code');
  if (code === null || code === 'repeated' || code === '') return { ok: false, problem: 'missing-code', detail: 'the response has no code' };
  if (!pending.codeVerifier) return { ok: false, problem: 'verifier-missing', detail: 'the PKCE verifier of this sign-in is missing' };
  return { ok: true, code, codeVerifier: pending.codeVerifier };
}

/** True when a URL looks like a provider's redirect back (code or error with state), so the app handles it at start. */
export function isCallbackUrl(url: string): boolean {
  try {
    const params = queryParams(url);
    return params.has('state') && (params.has('code') || params.has('error'));
  } catch {
    return false;
  }
}
