import { describe, expect, it } from 'vitest';
import { base64Url, buildAuthorizationUrl, isCallbackUrl, parseCallback, pendingTtlMs, pkceChallenge, queryParams, randomToken, type SsoCrypto, type SsoPending } from './sso';

// WebCrypto, as the renderer uses it (core/ itself stays free of crypto typings and imports).
const nodeCrypto: SsoCrypto = {
  randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
  sha256: async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(data))),
};
const randomBytes = (n: number) => nodeCrypto.randomBytes(n);

const issuer = 'https://login.example.com';
const redirectUri = 'http://127.0.0.1:51234/sso/callback';
const now = 1_800_000_000_000;
const pending: SsoPending = {
  state: 'state-abcdefghijklmnop',
  nonce: 'nonce-abcdefghijklmnop',
  codeVerifier: 'v'.repeat(43),
  redirectUri,
  issuer,
  issRequired: true,
  startedAt: now - 1000,
};
const expectation = { pending, now };
const cb = (query: string) => `${redirectUri}?${query}`;
const good = `code=abc123&state=${pending.state}&iss=${encodeURIComponent(issuer)}`;

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await pkceChallenge(nodeCrypto, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('encodes base64url without padding like Node does', () => {
    for (const n of [0, 1, 2, 3, 31, 32, 33]) {
      const bytes = randomBytes(n);
      expect(base64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('makes 43-character verifiers that differ each time', () => {
    const a = randomToken(nodeCrypto);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(nodeCrypto)).not.toBe(a);
  });
});

describe('buildAuthorizationUrl', () => {
  it('asks for a code with S256 PKCE, state, nonce and the loopback redirect', () => {
    const url = buildAuthorizationUrl({ authorizationEndpoint: `${issuer}/auth`, clientId: 'switchboard', scopes: ['openid', 'email'], pending, codeChallenge: 'challenge', uiLocales: 'zh-TW' });
    const q = queryParams(url);
    expect(url.startsWith(`${issuer}/auth?`)).toBe(true);
    expect(Object.fromEntries([...q].map(([k, v]) => [k, v[0]]))).toEqual({
      response_type: 'code',
      client_id: 'switchboard',
      redirect_uri: redirectUri,
      scope: 'openid email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
      ui_locales: 'zh-TW',
    });
  });

  it('refuses a plain-http provider that is not on loopback', () => {
    expect(() => buildAuthorizationUrl({ authorizationEndpoint: 'http://login.example.com/auth', clientId: 'c', scopes: ['openid'], pending, codeChallenge: 'x' })).toThrow(/https/);
  });
});

describe('parseCallback', () => {
  it('accepts the matching response and hands back the code with this attempt’s verifier', () => {
    expect(parseCallback(cb(good), expectation)).toEqual({ ok: true, code: 'abc123', codeVerifier: pending.codeVerifier });
  });

  it('refuses a tampered state', () => {
    const r = parseCallback(cb(good.replace(pending.state, 'state-forged-by-someone')), expectation);
    expect(r).toMatchObject({ ok: false, problem: 'state-mismatch' });
  });

  it('refuses when no sign-in was started here, or it is older than the TTL', () => {
    expect(parseCallback(cb(good), { ...expectation, pending: null })).toMatchObject({ ok: false, problem: 'state-mismatch' });
    expect(parseCallback(cb(good), { ...expectation, now: pending.startedAt + pendingTtlMs + 1 })).toMatchObject({ ok: false, problem: 'state-mismatch', detail: /expired/ });
  });

  it('refuses another issuer, a missing iss the provider promised, and a repeated iss (RFC 9207)', () => {
    expect(parseCallback(cb(good.replace(encodeURIComponent(issuer), encodeURIComponent('https://evil.example'))), expectation)).toMatchObject({ ok: false, problem: 'issuer-mismatch' });
    const noIss = `code=abc123&state=${pending.state}`;
    expect(parseCallback(cb(noIss), expectation)).toMatchObject({ ok: false, problem: 'issuer-mismatch' });
    expect(parseCallback(cb(noIss), { ...expectation, pending: { ...pending, issRequired: false } })).toMatchObject({ ok: true });
    expect(parseCallback(cb(`${good}&iss=${encodeURIComponent(issuer)}`), expectation)).toMatchObject({ ok: false, problem: 'issuer-mismatch' });
  });

  it('refuses an attempt that lost its PKCE verifier', () => {
    const { codeVerifier: _dropped, ...withoutVerifier } = pending;
    expect(parseCallback(cb(good), { ...expectation, pending: withoutVerifier })).toMatchObject({ ok: false, problem: 'verifier-missing' });
  });

  it('refuses a response on another path or port', () => {
    expect(parseCallback(`http://127.0.0.1:51235/sso/callback?${good}`, expectation)).toMatchObject({ ok: false, problem: 'wrong-redirect' });
    expect(parseCallback(`http://127.0.0.1:51234/other?${good}`, expectation)).toMatchObject({ ok: false, problem: 'wrong-redirect' });
  });

  it('reports the provider’s error (user cancelled) only after the state matched', () => {
    const denied = `error=access_denied&error_description=${encodeURIComponent('End-User aborted interaction')}&state=${pending.state}&iss=${encodeURIComponent(issuer)}`;
    expect(parseCallback(cb(denied), expectation)).toEqual({ ok: false, problem: 'provider-error', detail: 'access_denied: End-User aborted interaction' });
    expect(parseCallback(cb(denied.replace(pending.state, 'forged-state-value-xx')), expectation)).toMatchObject({ problem: 'state-mismatch' });
  });

  it('refuses a response without a code, or with two', () => {
    expect(parseCallback(cb(`state=${pending.state}&iss=${encodeURIComponent(issuer)}`), expectation)).toMatchObject({ problem: 'missing-code' });
    expect(parseCallback(cb(`${good}&code=other`), expectation)).toMatchObject({ problem: 'missing-code' });
  });
});

describe('isCallbackUrl', () => {
  it('recognises a provider redirect and nothing else', () => {
    expect(isCallbackUrl(cb(good))).toBe(true);
    expect(isCallbackUrl('http://127.0.0.1:7611/')).toBe(false);
    expect(isCallbackUrl('http://127.0.0.1:7611/?code=1')).toBe(false);
  });
});
