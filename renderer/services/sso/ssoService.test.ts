import { describe, expect, it, vi } from 'vitest';
import { pkceChallenge, queryParams, type SsoPending } from '../../../core/auth/sso';
import type { LoginResponse } from '../../../core/wire/auth';
import type { SsoExchangeRequest, SsoProvider } from '../../../core/wire/sso';
import { memoryStorage } from '../../../tests/support/renderer/storeFakes';
import { createSsoService, SsoError, ssoPendingKey, webSsoCrypto } from './ssoService';

const provider: SsoProvider = {
  issuer: 'https://login.example.com',
  clientId: 'switchboard-desktop',
  authorizationEndpoint: 'https://login.example.com/auth',
  scopes: ['openid', 'profile'],
  issParameterSupported: true,
};
const session = { accessToken: 'a', expiresIn: 900, refreshToken: 'r' } as LoginResponse;

/** A host whose "browser" answers each authorization request with what `respond` builds from it. */
function setup(respond: ((authUrl: string) => string) | null) {
  const storage = memoryStorage();
  const opened: string[] = [];
  const exchange = vi.fn(async (_request: SsoExchangeRequest) => session);
  const host = {
    ssoBegin: vi.fn(async () => ({ redirectUri: 'http://127.0.0.1:50001/sso/abc' })),
    ssoAuthorize: vi.fn(async (url: string) => {
      opened.push(url);
      return respond ? respond(url) : null;
    }),
  };
  const service = createSsoService({ api: { ssoExchange: exchange }, host, storage, crypto: webSsoCrypto() });
  return { service, storage, opened, exchange };
}

const param = (url: string, name: string) => queryParams(url).get(name)?.[0] ?? '';
const answer = (authUrl: string, overrides: Record<string, string> = {}) => {
  const q = new URLSearchParams({ code: 'the-code', state: param(authUrl, 'state'), iss: provider.issuer, ...overrides });
  return `${param(authUrl, 'redirect_uri')}?${q}`;
};

describe('sso service', () => {
  it('Electron: opens the request, checks the answer and exchanges the code with the verifier that matches the challenge', async () => {
    const { service, opened, exchange, storage } = setup((url) => answer(url));
    expect(await service.signIn(provider, 'zh-TW')).toBe(session);
    const authUrl = opened[0]!;
    expect(param(authUrl, 'code_challenge_method')).toBe('S256');
    expect(param(authUrl, 'ui_locales')).toBe('zh-TW');
    const request = exchange.mock.calls[0]![0];
    expect(request).toMatchObject({ code: 'the-code', redirectUri: 'http://127.0.0.1:50001/sso/abc', nonce: param(authUrl, 'nonce') });
    expect(await pkceChallenge(webSsoCrypto(), request.codeVerifier)).toBe(param(authUrl, 'code_challenge'));
    // The verifier itself never went to the browser.
    expect(authUrl).not.toContain(request.codeVerifier);
    expect(storage.data.has(ssoPendingKey)).toBe(false);
  });

  it('web: keeps the attempt across the page’s trip to the provider and completes it once', async () => {
    const { service, opened, exchange, storage } = setup(null);
    expect(await service.signIn(provider, 'en')).toBeNull();
    expect(storage.data.has(ssoPendingKey)).toBe(true);
    const callback = answer(opened[0]!);
    await service.complete(callback);
    expect(exchange).toHaveBeenCalledOnce();
    // The same answer again (reload, history) finds no attempt: refused here, nothing sent.
    await expect(service.complete(callback)).rejects.toMatchObject({ problem: 'state-mismatch' });
    expect(exchange).toHaveBeenCalledOnce();
  });

  it('refuses a tampered state, another issuer, and an attempt that lost its verifier, without asking the server', async () => {
    for (const [tamper, problem] of [
      [(url: string) => answer(url, { state: 'forged-state-0123456789' }), 'state-mismatch'],
      [(url: string) => answer(url, { iss: 'https://evil.example' }), 'issuer-mismatch'],
    ] as const) {
      const { service, exchange } = setup(tamper);
      const err = await service.signIn(provider, 'en').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SsoError);
      expect(err).toMatchObject({ problem });
      expect(exchange).not.toHaveBeenCalled();
    }
    const { service, storage, opened, exchange } = setup(null);
    await service.signIn(provider, 'en');
    const pending = JSON.parse(storage.data.get(ssoPendingKey)!) as SsoPending;
    delete pending.codeVerifier;
    storage.data.set(ssoPendingKey, JSON.stringify(pending));
    await expect(service.complete(answer(opened[0]!))).rejects.toMatchObject({ problem: 'verifier-missing' });
    expect(exchange).not.toHaveBeenCalled();
  });
});
