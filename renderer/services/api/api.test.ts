import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, type TokenStore } from './api';

const user = { id: 'u1', username: 'agent1', displayName: 'Ada Agent', role: 'agent', teams: [{ id: 't1', name: 'Support' }], language: 'en', extension: '1001' };

function memoryTokens(initial: string | null = null): TokenStore & { value: string | null } {
  const store = {
    value: initial,
    load: async () => store.value,
    save: async (t: string) => {
      store.value = t;
    },
    clear: async () => {
      store.value = null;
    },
  };
  return store;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake server: access tokens `a<n>`, refresh tokens `refresh-token-<n>`, rotating on each refresh. */
function fakeServer() {
  let n = 0;
  let validAccess = '';
  let validRefresh = '';
  const calls: string[] = [];
  const issue = () => {
    n += 1;
    validAccess = `a${n}`;
    validRefresh = `refresh-token-${n}`;
    return { accessToken: validAccess, expiresIn: 900, refreshToken: validRefresh };
  };
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(url)).pathname;
    calls.push(`${init?.method ?? 'GET'} ${path}`);
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, string>) : {};
    const auth = new Headers(init?.headers).get('authorization');
    if (path === '/auth/login') {
      if (body.password !== 'switchboard') return json(401, { error: { code: 'bad-credentials', message: 'wrong username or password' } });
      return json(200, { ...issue(), user });
    }
    if (path === '/auth/refresh') {
      if (body.refreshToken !== validRefresh) return json(401, { error: { code: 'refresh-reused', message: 'session revoked' } });
      return json(200, issue());
    }
    if (auth !== `Bearer ${validAccess}`) return json(401, { error: { code: 'unauthorized', message: 'token expired' } });
    if (path === '/me') return json(200, user);
    if (path === '/auth/logout') {
      validAccess = validRefresh = 'revoked';
      return new Response(null, { status: 204 });
    }
    return json(404, { error: { code: 'not-found', message: 'no such route' } });
  });
  return { fetch, calls, expireAccess: () => (validAccess = 'expired'), get refresh() { return validRefresh; } };
}

describe('api client', () => {
  it('logs in, keeps the refresh token in the token store and calls /me with the bearer token', async () => {
    const server = fakeServer();
    const tokens = memoryTokens();
    const api = createApi({ baseUrl: 'http://server.test/', tokens, fetch: server.fetch });
    const session = await api.login('agent1', 'switchboard');
    expect(session.user.displayName).toBe('Ada Agent');
    expect(tokens.value).toBe('refresh-token-1');
    expect((await api.me()).username).toBe('agent1');
  });

  it('turns an error body into a typed ApiError with the server code', async () => {
    const api = createApi({ baseUrl: 'http://server.test', tokens: memoryTokens(), fetch: fakeServer().fetch });
    const err = await api.login('agent1', 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'bad-credentials' });
  });

  it('reports an unreachable server as code "unreachable"', async () => {
    const api = createApi({ baseUrl: 'http://server.test', tokens: memoryTokens(), fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(api.login('a', 'b')).rejects.toMatchObject({ code: 'unreachable', status: 0 });
  });

  it('rejects a response that breaks the wire contract', async () => {
    const api = createApi({ baseUrl: 'http://server.test', tokens: memoryTokens(), fetch: async () => json(200, { accessToken: 1 }) });
    await expect(api.login('a', 'b')).rejects.toMatchObject({ code: 'bad-response' });
  });

  it('on 401 refreshes once, stores the rotated refresh token and retries', async () => {
    const server = fakeServer();
    const tokens = memoryTokens();
    const api = createApi({ baseUrl: 'http://server.test', tokens, fetch: server.fetch });
    await api.login('agent1', 'switchboard');
    server.expireAccess();
    expect((await api.me()).id).toBe('u1');
    expect(tokens.value).toBe('refresh-token-2');
    expect(server.calls.filter((c) => c === 'POST /auth/refresh')).toHaveLength(1);
  });

  it('shares one refresh between concurrent 401s (a second would reuse a revoked token)', async () => {
    const server = fakeServer();
    const tokens = memoryTokens();
    const api = createApi({ baseUrl: 'http://server.test', tokens, fetch: server.fetch });
    await api.login('agent1', 'switchboard');
    server.expireAccess();
    const results = await Promise.all([api.me(), api.me(), api.me()]);
    expect(results.map((u) => u.id)).toEqual(['u1', 'u1', 'u1']);
    expect(server.calls.filter((c) => c === 'POST /auth/refresh')).toHaveLength(1);
  });

  it('resumes a session from a stored refresh token, and clears a refused one', async () => {
    const server = fakeServer();
    const first = createApi({ baseUrl: 'http://server.test', tokens: memoryTokens(), fetch: server.fetch });
    await first.login('agent1', 'switchboard');
    const stored = memoryTokens(server.refresh);
    const resumed = createApi({ baseUrl: 'http://server.test', tokens: stored, fetch: server.fetch });
    expect(await resumed.resume()).toBe(true);
    expect((await resumed.me()).id).toBe('u1');

    const stale = memoryTokens('refresh-token-stale');
    const lost = vi.fn();
    const refused = createApi({ baseUrl: 'http://server.test', tokens: stale, fetch: server.fetch, onSessionLost: lost });
    expect(await refused.resume()).toBe(false);
    expect(stale.value).toBeNull();
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('logout revokes the session on the server with the bearer token and forgets both tokens', async () => {
    const server = fakeServer();
    const tokens = memoryTokens();
    const api = createApi({ baseUrl: 'http://server.test', tokens, fetch: server.fetch });
    await api.login('agent1', 'switchboard');
    await api.logout();
    expect(server.calls).toContain('POST /auth/logout');
    expect(tokens.value).toBeNull();
    await expect(api.me()).rejects.toMatchObject({ status: 401 });
  });

  it('logout clears the stored token even when the server is unreachable', async () => {
    const tokens = memoryTokens('refresh-token-9');
    const api = createApi({ baseUrl: 'http://server.test', tokens, fetch: async () => Promise.reject(new TypeError('offline')) });
    await api.logout();
    expect(tokens.value).toBeNull();
  });
});
