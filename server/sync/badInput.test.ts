import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { createWorld, insertTicket, secret, snapshot, type World } from '../../tests/support/server/syncWorld';

let w: World;
let app: FastifyInstance;
const clock = Date.parse('2026-03-02T09:00:00Z');

beforeAll(async () => {
  w = await createWorld();
  app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', bodyLimit: 256 * 1024 }), { db: w.db, sync: { now: () => clock, pruneEveryMs: 0 } });
});
afterAll(async () => {
  await app?.close();
  await w?.db.close();
});

const rawPush = (payload: string) =>
  app.inject({ method: 'POST', url: '/sync/push', headers: { ...w.anna.auth, 'content-type': 'application/json' }, payload });
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('issue 12 item 13 (bad input): refused with 400 and a reason, never 500', () => {
  test('issue 12 item 13 (bad input): a pull with a forged cursor (16-digit time or version) is 400', async () => {
    const { cursor } = (
      await app.inject({ method: 'POST', url: '/sync/pull', headers: w.anna.auth, payload: { clientId: randomUUID(), cursor: null } })
    ).json<{ cursor: string }>();
    const scope = cursor.split('.')[3]!;
    for (const forged of [`v1.0.9999999999999999.${scope}`, `v1.9999999999999999.0.${scope}`, `v1.0.${clock + 2 * 24 * 3_600_000}.${scope}`]) {
      const res = await app.inject({ method: 'POST', url: '/sync/pull', headers: w.anna.auth, payload: { clientId: randomUUID(), cursor: forged } });
      expect([res.statusCode, res.json().error.code], `${forged}: ${res.body}`).toEqual([400, 'bad-request']);
      expect(res.json().error.message).toContain('cursor');
    }
    // A cursor a little ahead of the clock (a clock stepped back) is still accepted.
    const ahead = await app.inject({ method: 'POST', url: '/sync/pull', headers: w.anna.auth, payload: { clientId: randomUUID(), cursor: `v1.0.${clock + 60_000}.${scope}` } });
    expect(ahead.statusCode, ahead.body).toBe(200);
  });

  test('issue 12 item 13 (bad input): a push whose args.base nests 60,000 deep (~120 kB) is 400 and changes nothing', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const before = await snapshot(w.db);
    const body = `{"clientId":"${randomUUID()}","mutations":[{"id":1,"name":"updateTicket","createdAt":1,"args":{"ticketId":"${t}","changes":{"status":"open"},"base":{"status":${deep(60_000)}}}}]}`;
    expect(body.length).toBeGreaterThan(120_000);
    const res = await rawPush(body);
    expect([res.statusCode, res.json().error.code], res.body).toEqual([400, 'bad-request']);
    expect(res.json().error.message).toMatch(/nested deeper than 64 levels/);
    expect(await snapshot(w.db)).toBe(before);
  });

  test('issue 12 item 13 (bad input): every route parsing a JSON body bounds its depth (POST /chat/calls, POST /auth/login)', async () => {
    for (const url of ['/chat/calls', '/auth/login']) {
      const res = await app.inject({ method: 'POST', url, headers: { ...w.anna.auth, 'content-type': 'application/json' }, payload: `{"remote":${deep(5_000)}}` });
      expect([res.statusCode, res.json().error.message], url).toEqual([400, 'Invalid body: nested deeper than 64 levels']);
    }
  });

  test('issue 12 item 13 (bad input): prototype keys are 400 with a message that names them, not "Body is not valid JSON" alone', async () => {
    for (const [payload, key] of [
      [`{"clientId":"${randomUUID()}","mutations":[],"__proto__":{"admin":true}}`, '__proto__'],
      [`{"clientId":"${randomUUID()}","mutations":[{"id":1,"name":"addComment","createdAt":1,"args":{"constructor":{"prototype":{"x":1}}}}]}`, 'constructor.prototype'],
    ] as const) {
      const res = await rawPush(payload);
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'bad-request']);
      expect(res.json().error.message).toContain(key);
      expect(res.json().error.message).not.toContain('not valid JSON');
    }
    const broken = await rawPush('{"clientId":');
    expect([broken.statusCode, broken.json().error.message]).toEqual([400, expect.stringContaining('not valid JSON')]);
  });

  test('issue 12 item 13 (bad input): a comment (or subject, tag) with a lone surrogate is refused with 400 and nothing is stored; a real pair is stored exactly', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const client = randomUUID();
    const before = await snapshot(w.db);
    const comment = (id: number, body: string) => ({ id, name: 'addComment', createdAt: 1, args: { commentId: randomUUID(), ticketId: t, kind: 'public', body } });
    for (const mutation of [
      comment(1, 'refund done \ud800'),
      comment(1, '\udc00 lone low'),
      { id: 1, name: 'updateTicket', createdAt: 1, args: { ticketId: t, changes: { subject: 'Parcel \udfff late' } } },
      { id: 1, name: 'updateTicket', createdAt: 1, args: { ticketId: t, changes: { tags: ['vip\ud83d'] } } },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/sync/push', headers: w.anna.auth, payload: { clientId: client, mutations: [mutation] } });
      expect([res.statusCode, res.json().error.code], res.body).toEqual([400, 'bad-request']);
      expect(res.json().error.message).toMatch(/surrogate/);
    }
    expect(await snapshot(w.db)).toBe(before);
    const ok = await app.inject({ method: 'POST', url: '/sync/push', headers: w.anna.auth, payload: { clientId: client, mutations: [comment(1, 'thanks 👍 已回电')] } });
    expect(ok.json().results, ok.body).toEqual([{ id: 1, status: 'applied' }]);
    const { rows } = await w.db.query<{ body: string }>('select body from ticket_comments where ticket_id = $1', [t]);
    expect(rows.map((r) => r.body)).toEqual(['thanks 👍 已回电']);
  });
});
