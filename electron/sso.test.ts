import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkAuthorizationUrl, createLoopbackSso, type LoopbackSso } from './sso';

let sso: LoopbackSso | null = null;
afterEach(() => sso?.close());

function authUrl(redirectUri: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: 'app', redirect_uri: redirectUri, state: 's'.repeat(22), code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', ...extra });
  return `https://login.example.com/auth?${q}`;
}

const trusted = async () => 'https://login.example.com/auth';

describe('loopback redirect (RFC 8252 §7.3)', () => {
  it('opens only the authorization endpoint the central server names', async () => {
    const opened: string[] = [];
    sso = createLoopbackSso({ trustedAuthorizationEndpoint: trusted, openExternal: async (url) => void opened.push(url) });
    const { redirectUri } = await sso.begin();
    const elsewhere = authUrl(redirectUri).replace('https://login.example.com/auth', 'https://phish.example.net/auth');
    await expect(sso.authorize(elsewhere)).rejects.toThrow(/not the identity provider the server names/);
    sso.close();
    sso = createLoopbackSso({ trustedAuthorizationEndpoint: async () => null, openExternal: async (url) => void opened.push(url) });
    const second = await sso.begin();
    await expect(sso.authorize(authUrl(second.redirectUri))).rejects.toThrow(/not the identity provider/);
    expect(opened).toEqual([]);
  });

  it('listens on 127.0.0.1, opens the browser, and hands back the one callback the browser delivers', async () => {
    const opened: string[] = [];
    const front = vi.fn();
    sso = createLoopbackSso({ trustedAuthorizationEndpoint: trusted, openExternal: async (url) => void opened.push(url), bringToFront: front });
    const { redirectUri } = await sso.begin();
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sso\/callback$/);
    const callback = sso.authorize(authUrl(redirectUri));
    await vi.waitFor(() => expect(opened).toEqual([authUrl(redirectUri)]));

    // What the system browser does after the provider's redirect: a real HTTP GET on loopback.
    const page = await fetch(`${redirectUri}?code=abc&state=${'s'.repeat(22)}&iss=https%3A%2F%2Flogin.example.com`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('You can close this tab');
    expect(await callback).toBe(`${redirectUri}?code=abc&state=${'s'.repeat(22)}&iss=https%3A%2F%2Flogin.example.com`);
    expect(front).toHaveBeenCalledOnce();
    // One callback only: the listener is gone.
    await expect(fetch(`${redirectUri}?code=again&state=x`)).rejects.toThrow();
  });

  it('answers 404 to other paths and to requests without state, and keeps waiting for the real one', async () => {
    sso = createLoopbackSso({ trustedAuthorizationEndpoint: trusted, openExternal: async () => {} });
    const { redirectUri } = await sso.begin();
    const callback = sso.authorize(authUrl(redirectUri));
    const origin = new URL(redirectUri).origin;
    expect((await fetch(`${origin}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${origin}/sso/guessed-path?code=x&state=y`)).status).toBe(404);
    expect((await fetch(`${redirectUri}?code=x`)).status).toBe(404);
    expect((await fetch(`${redirectUri}?error=access_denied&state=abc`)).status).toBe(200);
    expect(await callback).toBe(`${redirectUri}?error=access_denied&state=abc`);
  });

  it('gives up after the timeout and closes the listener', async () => {
    sso = createLoopbackSso({ trustedAuthorizationEndpoint: trusted, openExternal: async () => {}, timeoutMs: 50 });
    const { redirectUri } = await sso.begin();
    await expect(sso.authorize(authUrl(redirectUri))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/in time/) });
    await expect(fetch(`${redirectUri}?code=late&state=x`)).rejects.toThrow();
  });

  it('a new sign-in ends the previous one', async () => {
    sso = createLoopbackSso({ trustedAuthorizationEndpoint: trusted, openExternal: async () => {} });
    const first = await sso.begin();
    const pending = sso.authorize(authUrl(first.redirectUri));
    const second = await sso.begin();
    await expect(pending).rejects.toMatchObject({ message: expect.stringMatching(/newer sign-in/) });
    // The first listener is closed (the OS may hand its port to the second, so compare the answer, not the port).
    expect(second.redirectUri).toMatch(/\/sso\/callback$/);
  });

  it('refuses to open anything but a PKCE authorization request for this redirect URI', async () => {
    const opened: string[] = [];
    sso = createLoopbackSso({ trustedAuthorizationEndpoint: trusted, openExternal: async (url) => void opened.push(url) });
    await expect(sso.authorize('https://login.example.com/auth')).rejects.toMatchObject({ code: 'unavailable' });
    const { redirectUri } = await sso.begin();
    await expect(sso.authorize(authUrl('http://127.0.0.1:1/elsewhere'))).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(sso.authorize(authUrl(redirectUri).replace('https:', 'http:'))).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(sso.authorize(authUrl(redirectUri, { code_challenge_method: 'plain' }))).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(sso.authorize(`file:///etc/passwd`)).rejects.toMatchObject({ code: 'not-allowed' });
    expect(opened).toEqual([]);
  });
});

describe('checkAuthorizationUrl', () => {
  it('allows plain http only for a provider on loopback (tests, a local IdP)', () => {
    const redirect = 'http://127.0.0.1:5000/sso/x';
    expect(checkAuthorizationUrl(authUrl(redirect).replace('https://login.example.com', 'http://127.0.0.1:9000'), redirect)).toContain('127.0.0.1:9000');
  });
});
