import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LoginResponse, TokenPair, TeamRoster, User } from '../core/wire/auth';
import { buildServer } from './app';
import { makeConfig, type ServerConfigInput } from './config';
import type { Db } from './db/db';
import { migrate } from './db/migrate';
import { openPglite } from './db/pglite';
import { demoPassword, seedDemo } from './seed/seed';

// One PGlite per file: creating one takes seconds. Each test builds its own app (cheap) on it.
const secret = 'test-secret-that-is-long-enough-0123456789';
let db: Db;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openPglite('memory://');
  await migrate(db);
  await seedDemo(db, { tickets: 40, customers: 20, kpiHistory: false });
  app = build();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

function build(overrides: Partial<ServerConfigInput> = {}): FastifyInstance {
  return buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', ...overrides }), { db });
}

async function login(username: string, password = demoPassword, server = app) {
  return server.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
}

async function loginOk(username: string): Promise<LoginResponse> {
  const res = await login(username);
  expect(res.statusCode).toBe(200);
  return LoginResponse.parse(res.json());
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function teamId(name: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('select id from teams where name = $1', [name]);
  return rows[0]!.id;
}

describe('login', () => {
  test('the right password returns tokens and the user with teams', async () => {
    const body = await loginOk('agent1');
    expect(body.user).toMatchObject({ username: 'agent1', role: 'agent', language: 'zh-CN', extension: '1001' });
    expect(body.user.teams.map((t) => t.name)).toEqual(['Team Shanghai']);
    expect(body.expiresIn).toBe(900);
    const me = await app.inject({ method: 'GET', url: '/me', headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(User.parse(me.json()).username).toBe('agent1');
  });

  test('usernames are case-insensitive', async () => {
    expect((await login('Agent3')).statusCode).toBe(200);
  });

  test('a wrong password and an unknown user get the same 401', async () => {
    const wrong = await login('agent2', 'not-the-password');
    const unknown = await login('nobody', 'whatever');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'Wrong username or password.' } });
  });

  test('repeated failures for one username are refused with 429 and Retry-After, other users unaffected', async () => {
    const server = build();
    for (let i = 0; i < 5; i++) expect((await login('agent4', 'guess', server)).statusCode).toBe(401);
    const limited = await login('agent4', demoPassword, server);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('too-many-requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('agent3', demoPassword, server)).statusCode).toBe(200);
    await server.close();
  });

  test('a disabled account cannot sign in', async () => {
    await db.query(`update users set disabled = true where username = 'agent4'`);
    try {
      expect((await login('agent4')).json().error.code).toBe('forbidden');
    } finally {
      await db.query(`update users set disabled = false where username = 'agent4'`);
    }
  });
});

describe('access tokens', () => {
  const me = (token: string) => app.inject({ method: 'GET', url: '/me', headers: bearer(token) });
  const sign = async (key: string, exp: number, sid: string, sub: string) =>
    new SignJWT({ role: 'admin', sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('switchboard')
      .setAudience('switchboard-api')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(key));
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string; sub: string };

  test('no token, garbage, and a non-Bearer scheme are refused with 401', async () => {
    expect((await app.inject({ method: 'GET', url: '/me' })).statusCode).toBe(401);
    expect((await me('garbage.garbage.garbage')).statusCode).toBe(401);
    const basic = await app.inject({ method: 'GET', url: '/me', headers: { authorization: 'Basic YWdlbnQxOnN3aXRjaGJvYXJk' } });
    expect(basic.statusCode).toBe(401);
    expect(basic.json().error.code).toBe('unauthorized');
  });

  test('an expired token is refused', async () => {
    const { accessToken } = await loginOk('admin');
    const { sid, sub } = claimsOf(accessToken);
    const expired = await sign(secret, Math.floor(Date.now() / 1000) - 5, sid, sub);
    expect((await me(expired)).statusCode).toBe(401);
    expect((await me(await sign(secret, Math.floor(Date.now() / 1000) + 60, sid, sub))).statusCode).toBe(200);
  });

  test('a token from a server with a short TTL expires', async () => {
    const server = build({ accessTtl: 1 });
    const { accessToken } = LoginResponse.parse((await login('agent3', demoPassword, server)).json());
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await server.inject({ method: 'GET', url: '/me', headers: bearer(accessToken) })).statusCode).toBe(401);
    await server.close();
  });

  test('a token signed with another key, or with alg none, is refused', async () => {
    const { accessToken } = await loginOk('admin');
    const { sid, sub } = claimsOf(accessToken);
    expect((await me(await sign('another-secret-of-the-right-length-000000', Math.floor(Date.now() / 1000) + 60, sid, sub))).statusCode).toBe(401);
    const [, payload] = accessToken.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    expect((await me(none)).statusCode).toBe(401);
  });

  test('after logout the session access token is refused', async () => {
    const { accessToken, refreshToken } = await loginOk('agent2');
    const out = await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(accessToken) });
    expect(out.statusCode).toBe(204);
    expect((await me(accessToken)).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } })).statusCode).toBe(401);
  });
});

describe('refresh tokens', () => {
  const refresh = (refreshToken: string) => app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

  test('a refresh returns a new pair that works, and the old refresh token is consumed', async () => {
    const first = await loginOk('agent3');
    const res = await refresh(first.refreshToken);
    expect(res.statusCode).toBe(200);
    const next = TokenPair.parse(res.json());
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(next.accessToken) })).statusCode).toBe(200);
    expect((await refresh(next.refreshToken)).statusCode).toBe(200);
  });

  test('reusing a consumed refresh token is refused and revokes the whole session', async () => {
    const first = await loginOk('agent1');
    const next = TokenPair.parse((await refresh(first.refreshToken)).json());
    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toMatch(/already used/);
    // The legitimate holder's newer tokens die with the session: the thief cannot keep it alive either.
    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(next.accessToken) })).statusCode).toBe(401);
    expect((await refresh(next.refreshToken)).statusCode).toBe(401);
    const { rows } = await db.query<{ revoked_reason: string }>('select revoked_reason from sessions where id = $1', [
      JSON.parse(Buffer.from(first.accessToken.split('.')[1]!, 'base64url').toString()).sid,
    ]);
    expect(rows[0]!.revoked_reason).toBe('refresh-reuse');
  });

  test('only hashes of refresh tokens are stored', async () => {
    const { refreshToken } = await loginOk('lead2');
    const { rows } = await db.query('select 1 from refresh_tokens where token_hash = $1', [refreshToken]);
    expect(rows).toHaveLength(0);
  });

  test('an unknown refresh token is refused', async () => {
    expect((await refresh('x'.repeat(43))).statusCode).toBe(401);
  });
});

describe('team roster', () => {
  const roster = (token: string, id: string) => app.inject({ method: 'GET', url: `/teams/${id}/roster`, headers: bearer(token) });

  test('an agent gets 403', async () => {
    const { accessToken } = await loginOk('agent1');
    const res = await roster(accessToken, await teamId('Team Shanghai'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  test('the team lead gets the roster; a lead of another team gets 403', async () => {
    const shanghai = await teamId('Team Shanghai');
    const own = await roster((await loginOk('lead1')).accessToken, shanghai);
    expect(own.statusCode).toBe(200);
    const body = TeamRoster.parse(own.json());
    expect(body.team.name).toBe('Team Shanghai');
    expect(body.members.map((m) => m.displayName).sort()).toEqual(['李娜', '王军', '陳怡婷'].sort());
    expect((await roster((await loginOk('lead2')).accessToken, shanghai)).statusCode).toBe(403);
  });

  test('an admin sees any team; an unknown team is 404 and a malformed id 400', async () => {
    const { accessToken } = await loginOk('admin');
    expect((await roster(accessToken, await teamId('Team Berlin'))).statusCode).toBe(200);
    expect((await roster(accessToken, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await roster(accessToken, 'berlin');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/teamId/);
  });
});

describe('bad requests', () => {
  test('a body missing a field is a 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent1' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'bad-request' });
    expect(res.json().error.message).toMatch(/password/);
  });

  test('malformed JSON is a 400 with the error body', async () => {
    const res = await app.inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad-request');
  });

  test('a body over the limit is a 413', async () => {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent1', password: 'x'.repeat(1_100_000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload-too-large');
  });

  test('an unknown route is a 404 with the error body', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not-found');
  });
});

describe('health, headers, web mode and CORS', () => {
  test('health reports the database kind', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.json()).toMatchObject({ status: 'ok', db: 'pglite' });
  });

  test('web mode serves the renderer with a strict CSP, and client routes fall back to index.html', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'sb-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Switchboard</title>');
    writeFileSync(join(webRoot, 'app.js'), 'console.log(1)');
    const server = build({ webRoot });
    try {
      const page = await server.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>Switchboard</title>');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['content-security-policy']).toContain("connect-src 'self' ws: wss:");
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect((await server.inject({ method: 'GET', url: '/app.js' })).body).toBe('console.log(1)');
      expect((await server.inject({ method: 'GET', url: '/inbox/42', headers: { accept: 'text/html' } })).body).toContain('Switchboard');
      expect((await server.inject({ method: 'GET', url: '/health' })).json().status).toBe('ok');
    } finally {
      await server.close();
      rmSync(webRoot, { recursive: true, force: true });
    }
  });

  test('CORS lets the Electron app:// origin in and no other', async () => {
    const preflight = (origin: string) =>
      app.inject({ method: 'OPTIONS', url: '/auth/login', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect((await preflight('app://switchboard')).headers['access-control-allow-origin']).toBe('app://switchboard');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});
