import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { createWorld, secret, type World } from '../../tests/support/server/syncWorld';

describe('readiness and metrics', () => {
  let w: World;
  let app: FastifyInstance;
  let guarded: FastifyInstance;
  beforeAll(async () => {
    w = await createWorld();
    app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db: w.db, chat: { sweepMs: 0 }, sla: { scan: false } });
    guarded = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', metricsToken: 'a-metrics-token-of-some-length' }), { db: w.db, chat: { sweepMs: 0 }, sla: { scan: false } });
  });
  afterAll(async () => {
    await app.close();
    await guarded.close();
    await w.db.close();
  });

  test('one process without a broker is ready; the answer says there is no broker', async () => {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', db: 'pglite', broker: 'none' });
  });

  test('a scrape shows answered requests by route, open sockets, event-loop lag and the fan-out histogram', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/switchboard_http_requests_total\{method="GET",route="\/health",status="200"\} [1-9]/);
    expect(res.body).toMatch(/^switchboard_sockets \d+$/m);
    expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(res.body).toContain('# TYPE switchboard_fanout_seconds histogram');
  });

  test('with a metrics token set, a scrape without it is refused and one with it answers', async () => {
    expect((await guarded.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer a-metrics-token-of-some-length' } })).statusCode).toBe(200);
  });
});
