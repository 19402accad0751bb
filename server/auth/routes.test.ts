import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer } from '../app';
import { makeConfig, type ServerConfigInput } from '../config';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { demoPassword, seedDemo } from '../seed/seed';

const secret = 'test-secret-that-is-long-enough-0123456789';
let db: Db;

beforeAll(async () => {
  db = await openPglite('memory://');
  await migrate(db);
  await seedDemo(db, { tickets: 5, customers: 5, kpiHistory: false });
});
afterAll(async () => {
  await db?.close();
});

const build = (overrides: Partial<ServerConfigInput> = {}): FastifyInstance =>
  buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', ...overrides }), { db });

type From = { peer?: string; forwardedFor?: string };
const login = (app: FastifyInstance, username: string, password: string, { peer = '127.0.0.1', forwardedFor }: From = {}) =>
  app.inject({
    method: 'POST',
    url: '/auth/login',
    remoteAddress: peer,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    payload: { username, password },
  });

describe('issue 12 item 5 (login limiting)', () => {
  test('issue 12 item 5 (login limiting): one password sprayed over many usernames from one address is throttled', async () => {
    const app = build();
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let i = 0; i < 14; i++) {
      const res = await login(app, `agent-spray-${i}`, 'Summer2026!', { peer: '203.0.113.7' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) retryAfter = Number(res.headers['retry-after']);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(4).fill(429));
    expect(retryAfter).toBeGreaterThan(0);
    // Somebody at another address is not slowed by it.
    expect((await login(app, 'agent1', demoPassword, { peer: '192.0.2.44' })).statusCode).toBe(200);
    await app.close();
  });

  test('issue 12 item 5 (login limiting): an attacker at another address cannot lock the real agent out behind a trusted proxy', async () => {
    const app = build({ trustedProxies: ['127.0.0.1'] });
    const attacker = { forwardedFor: '198.51.100.66' };
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) answers.push((await login(app, 'agent4', `guess-${i}`, attacker)).statusCode);
    expect(answers.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(answers.slice(5)).toEqual(Array(3).fill(429));
    // The real agent, through the same proxy, from an address with no failures: straight in.
    expect((await login(app, 'agent4', demoPassword, { forwardedFor: '192.0.2.10' })).statusCode).toBe(200);
    expect((await login(app, 'agent4', 'guess-9', attacker)).statusCode).toBe(401);
    await app.close();
  });

  test('issue 12 item 5 (login limiting): X-Forwarded-For from an untrusted peer is ignored, from a trusted proxy honoured', async () => {
    const app = build({ trustedProxies: ['10.0.0.1'] });
    // A stranger rotating forged X-Forwarded-For values is still one address.
    const forged: number[] = [];
    for (let i = 0; i < 11; i++) forged.push((await login(app, `nobody-${i}`, 'x', { peer: '203.0.113.50', forwardedFor: `192.0.2.${i}` })).statusCode);
    expect(forged.at(-1)).toBe(429);
    // The proxy's own failures are its clients': each forwarded client counts apart.
    const proxied: number[] = [];
    for (let i = 0; i < 11; i++) proxied.push((await login(app, `someone-${i}`, 'x', { peer: '10.0.0.1', forwardedFor: `198.51.100.${i}` })).statusCode);
    expect(proxied).toEqual(Array(11).fill(401));
    await app.close();
  });

  test('issue 12 item 5 (login limiting): a flood of sign-ins gets quick 503s instead of queueing password hashes without bound', async () => {
    const app = build();
    const flood = await Promise.all(Array.from({ length: 60 }, (_, i) => login(app, `flood-${i}`, 'x', { peer: `203.0.113.${100 + i}` })));
    const busy = flood.filter((r) => r.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.json().error.code).toBe('unavailable');
    expect(busy[0]!.headers['retry-after']).toBe('1');
    expect(flood.every((r) => r.statusCode === 401 || r.statusCode === 503)).toBe(true);
    await app.close();
  });

  test('issue 12 item 5 (login limiting): an audit row per refusal', async () => {
    const app = build();
    const peer = '203.0.113.200';
    for (let i = 0; i < 5; i++) await login(app, 'lead2', `wrong-${i}`, { peer });
    expect((await login(app, 'lead2', demoPassword, { peer })).statusCode).toBe(429);
    await db.query(`update users set disabled = true where username = 'agent2'`);
    try {
      expect((await login(app, 'agent2', demoPassword, { peer: '192.0.2.99' })).statusCode).toBe(403);
    } finally {
      await db.query(`update users set disabled = false where username = 'agent2'`);
    }
    await app.close();
    const { rows } = await db.query<{ event: string; username: string; address: string }>(
      `select event, username, address from auth_audit where address in ($1, '192.0.2.99') order by id`,
      [peer],
    );
    expect(rows).toEqual([
      ...Array.from({ length: 5 }, () => ({ event: 'login-failed', username: 'lead2', address: peer })),
      { event: 'login-throttled', username: 'lead2', address: peer },
      { event: 'login-disabled', username: 'agent2', address: '192.0.2.99' },
    ]);
  });
});
