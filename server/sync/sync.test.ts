import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PullResponse, PushResponse } from '../../core/sync/wire';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { createWorld, insertTicket, secret, snapshot, type Person, type World } from '../../tests/support/server/syncWorld';

// One PGlite for the file (creating one takes seconds); each test uses its own tickets and client ids.
let w: World;
let app: FastifyInstance;
let clock = Date.parse('2026-03-02T09:00:00Z');

beforeAll(async () => {
  w = await createWorld();
  app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', bodyLimit: 256 * 1024 }), {
    db: w.db,
    sync: { pageSize: 3, now: () => clock },
  });
});
afterAll(async () => {
  await app?.close();
  await w?.db.close();
});

type Mutation = { id: number; name: string; args: Record<string, unknown>; createdAt?: number };
const push = (who: Person, clientId: string, mutations: Mutation[]) =>
  app.inject({ method: 'POST', url: '/sync/push', headers: who.auth, payload: { clientId, mutations: mutations.map((m) => ({ createdAt: 1, ...m })) } });
const pushOk = async (who: Person, clientId: string, mutations: Mutation[]) => {
  const res = await push(who, clientId, mutations);
  expect(res.statusCode, res.body).toBe(200);
  return PushResponse.parse(res.json());
};
const pull = async (who: Person, clientId: string, cursor: string | null) => {
  const res = await app.inject({ method: 'POST', url: '/sync/pull', headers: who.auth, payload: { clientId, cursor } });
  expect(res.statusCode, res.body).toBe(200);
  return PullResponse.parse(res.json());
};
/** Pulls every page from the cursor, as a client does after a poke. */
const pullAll = async (who: Person, clientId: string, cursor: string | null) => {
  const pages = [await pull(who, clientId, cursor)];
  while (pages.at(-1)!.more) pages.push(await pull(who, clientId, pages.at(-1)!.cursor));
  return { pages, cursor: pages.at(-1)!.cursor, ticketIds: pages.flatMap((p) => p.tickets.map((t) => t.id)), removed: pages.flatMap((p) => p.removed) };
};
const ticketRow = async (id: string) => (await w.db.query<{ status: string; subject: string; assignee_id: string | null }>('select status, subject, assignee_id from tickets where id = $1', [id])).rows[0]!;
const commentCount = async (ticketId: string) => Number((await w.db.query<{ n: string }>('select count(*) as n from ticket_comments where ticket_id = $1', [ticketId])).rows[0]!.n);
const update = (id: number, ticketId: string, changes: Record<string, unknown>): Mutation => ({ id, name: 'updateTicket', args: { ticketId, changes } });
const comment = (id: number, ticketId: string, body = 'called back, refund done'): Mutation => ({ id, name: 'addComment', args: { commentId: randomUUID(), ticketId, kind: 'public', body } });

describe('push', () => {
  test('applies mutations in order, exactly once; replaying the batch applies nothing twice and returns the same results', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const client = randomUUID();
    const batch = [update(1, t, { status: 'pending' }), comment(2, t), update(3, t, { status: 'solved', subject: 'Refund issued' })];
    const first = await pushOk(w.anna, client, batch);
    expect(first).toEqual({ results: [1, 2, 3].map((id) => ({ id, status: 'applied' })), lastMutationId: 3 });
    expect(await ticketRow(t)).toMatchObject({ status: 'solved', subject: 'Refund issued' });
    const again = await pushOk(w.anna, client, batch);
    expect(again).toEqual(first);
    expect(await commentCount(t)).toBe(1);
    const log = await w.db.query('select mutation_id, status from sync_mutation_log where client_id = $1 order by mutation_id', [client]);
    expect(log.rows.map((r) => Number(r.mutation_id))).toEqual([1, 2, 3]);
  });

  test('a mutation that fails for good is recorded with its reason and still advances the id; the rest of the batch applies', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const client = randomUUID();
    const res = await pushOk(w.anna, client, [update(1, randomUUID(), { status: 'open' }), comment(2, t, ' '), update(3, t, { priority: 'urgent' })]);
    expect(res.lastMutationId).toBe(3);
    expect(res.results.map((r) => [r.id, r.status, r.error?.code])).toEqual([[1, 'failed', 'not-found'], [2, 'failed', 'invalid'], [3, 'applied', undefined]]);
    const log = await w.db.query<{ status: string; error: { code: string } | null }>('select status, error from sync_mutation_log where client_id = $1 and mutation_id = 1', [client]);
    expect(log.rows[0]).toMatchObject({ status: 'failed', error: { code: 'not-found' } });
    expect(await commentCount(t)).toBe(0);
    expect((await pushOk(w.anna, client, [update(1, t, { status: 'open' })])).results).toEqual([res.results[0]]);
  });

  test('a gap in mutation ids is refused with 409 mutation-gap and nothing applies', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const client = randomUUID();
    await pushOk(w.anna, client, [update(1, t, { status: 'pending' })]);
    const before = await snapshot(w.db);
    const res = await push(w.anna, client, [update(2, t, { status: 'open' }), update(4, t, { status: 'solved' })]);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'mutation-gap' } });
    expect(await snapshot(w.db)).toBe(before);
  });

  test('an unknown client starting past mutation 1 must reset (409 client-reset)', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const res = await push(w.anna, randomUUID(), [update(7, t, { status: 'pending' })]);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'client-reset' } });
    expect((await ticketRow(t)).status).toBe('new');
  });

  test('a client silent for over 30 days still gets its replays answered, then must reset; its new id starts at 1', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const client = randomUUID();
    await pushOk(w.anna, client, [comment(1, t)]);
    const before = clock;
    clock += 31 * 24 * 3_600_000;
    try {
      // Mutation 1's response was lost before the silence: the client sends it again with its new work.
      const replay = await pushOk(w.anna, client, [comment(1, t), update(2, t, { status: 'pending' })]);
      expect(replay).toEqual({ results: [{ id: 1, status: 'applied' }], lastMutationId: 1 });
      expect((await ticketRow(t)).status).toBe('new');
      const refused = await push(w.anna, client, [update(2, t, { status: 'pending' })]);
      expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'client-reset']);
      await pushOk(w.anna, randomUUID(), [update(1, t, { status: 'pending' })]);
      expect(await commentCount(t)).toBe(1);
      expect((await ticketRow(t)).status).toBe('pending');
    } finally {
      clock = before;
    }
  });

  test.each([
    ['a malformed body', 400, 'bad-request', (t: string) => ({ clientId: 'not-a-uuid', mutations: [update(1, t, { status: 'open' })] })],
    ['an unknown mutation name', 400, 'bad-request', (t: string) => ({ clientId: randomUUID(), mutations: [{ ...update(1, t, { status: 'open' }), createdAt: 1 }, { id: 2, name: 'dropTable', args: {}, createdAt: 1 }] })],
    ['an oversized payload', 413, 'payload-too-large', (t: string) => ({ clientId: randomUUID(), mutations: [{ ...update(1, t, { status: 'open' }), createdAt: 1 }, { ...comment(2, t, 'x'.repeat(300_000)), createdAt: 1 }] })],
    ['args over the per-mutation limit', 400, 'bad-request', (t: string) => ({ clientId: randomUUID(), mutations: [{ ...update(1, t, { status: 'open' }), createdAt: 1 }, { ...comment(2, t, 'x'.repeat(70_000)), createdAt: 1 }] })],
  ])('%s is refused (%i %s) and nothing of the batch applies', async (_what, status, code, body) => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const before = await snapshot(w.db);
    const res = await app.inject({ method: 'POST', url: '/sync/push', headers: w.anna.auth, payload: body(t) });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
    expect(await snapshot(w.db)).toBe(before);
  });

  test("another user's client id is refused with 403 and nothing applies", async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: null });
    const annaClient = randomUUID();
    await pushOk(w.anna, annaClient, [comment(1, t)]);
    const before = await snapshot(w.db);
    const res = await push(w.bo, annaClient, [comment(2, t)]);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(await snapshot(w.db)).toBe(before);
    const stolenPull = await app.inject({ method: 'POST', url: '/sync/pull', headers: w.bo.auth, payload: { clientId: annaClient, cursor: null } });
    expect(stolenPull.statusCode).toBe(403);
  });

  test("an agent of team A cannot change team B's ticket: that mutation fails forbidden/not-found, the others apply", async () => {
    const theirs = await insertTicket(w.db, { teamId: w.teamB, assigneeId: null });
    const mine = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const res = await pushOk(w.anna, randomUUID(), [update(1, theirs, { status: 'solved' }), comment(2, theirs), update(3, mine, { status: 'open' })]);
    expect(res.results.map((r) => r.status)).toEqual(['failed', 'failed', 'applied']);
    expect(['forbidden', 'not-found']).toContain(res.results[0]!.error?.code);
    expect((await ticketRow(theirs)).status).toBe('new');
    expect(await commentCount(theirs)).toBe(0);
  });

  test('createTicket gets a server number and the creator sees it on GET /tickets/:id; outsiders get 404', async () => {
    const ticketId = randomUUID();
    const res = await pushOk(w.anna, randomUUID(), [{ id: 1, name: 'createTicket', args: { ticketId, subject: '发票问题', customerId: null, teamId: w.teamA } }]);
    expect(res.results[0]).toEqual({ id: 1, status: 'applied' });
    const got = await app.inject({ method: 'GET', url: `/tickets/${ticketId}`, headers: w.anna.auth });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ ticket: { id: ticketId, subject: '发票问题', status: 'new', channel: 'phone' }, comments: [] });
    expect(got.json().ticket.number).toBeGreaterThan(1000);
    expect((await app.inject({ method: 'GET', url: `/tickets/${ticketId}`, headers: w.zed.auth })).statusCode).toBe(404);
  });
});

describe('pull', () => {
  test('scope: an agent gets own, queue and touched tickets; a lead all of the team; another team nothing of it', async () => {
    const own = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const queue = await insertTicket(w.db, { teamId: w.teamA, assigneeId: null });
    const bos = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.bo.id });
    const teamB = await insertTicket(w.db, { teamId: w.teamB, assigneeId: w.zed.id });
    const anna = (await pullAll(w.anna, randomUUID(), null)).ticketIds;
    expect(anna).toEqual(expect.arrayContaining([own, queue]));
    expect(anna).not.toContain(bos);
    expect(anna).not.toContain(teamB);
    const lead = (await pullAll(w.lead, randomUUID(), null)).ticketIds;
    expect(lead).toEqual(expect.arrayContaining([own, queue, bos]));
    expect(lead).not.toContain(teamB);
    const zed = (await pullAll(w.zed, randomUUID(), null)).ticketIds;
    expect(zed).toContain(teamB);
    expect(zed).not.toContain(own);
    expect((await app.inject({ method: 'GET', url: `/tickets/${teamB}`, headers: w.anna.auth })).statusCode).toBe(404);
    expect((await pullAll(w.admin, randomUUID(), null)).ticketIds).toEqual(expect.arrayContaining([own, queue, bos, teamB]));
  });

  test('pages with more, and the cursor resumes with only newer changes', async () => {
    const client = randomUUID();
    const first = await pullAll(w.lead, client, null);
    expect(first.pages.length).toBeGreaterThan(1);
    expect(first.pages.slice(0, -1).every((p) => p.more)).toBe(true);
    expect(first.pages[0]!.estimatedTotal).toBeGreaterThan(3);
    expect(new Set(first.ticketIds).size).toBe(first.ticketIds.length);
    expect((await pullAll(w.lead, client, first.cursor)).ticketIds).toEqual([]);
    const fresh = await insertTicket(w.db, { teamId: w.teamA, assigneeId: null });
    const later = await pullAll(w.lead, client, first.cursor);
    expect(later.ticketIds).toEqual([fresh]);
  });

  test('lastMutationId and the ticket state agree; a comment arrives as a change', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const client = randomUUID();
    const { cursor } = await pullAll(w.anna, client, null);
    await pushOk(w.anna, client, [comment(1, t, '已回电')]);
    const later = await pullAll(w.anna, client, cursor);
    expect(later.pages.at(-1)!.lastMutationId).toBe(1);
    expect(later.pages.flatMap((p) => p.comments).map((c) => c.body)).toEqual(['已回电']);
    expect(later.ticketIds).toEqual([t]);
  });

  test('removed lists tickets reassigned out of scope, and never ids the user could not see', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: w.anna.id });
    const hidden = await insertTicket(w.db, { teamId: w.teamB, assigneeId: w.zed.id });
    const client = randomUUID();
    const { cursor } = await pullAll(w.anna, client, null);
    await pushOk(w.lead, randomUUID(), [update(1, t, { assigneeId: w.bo.id })]);
    await w.db.query('update tickets set assignee_id = null where id = $1', [hidden]);
    const later = await pullAll(w.anna, client, cursor);
    expect(later.removed).toEqual([t]);
    expect(later.ticketIds).not.toContain(t);
  });

  test('a ticket an agent touched stays in scope after it leaves their queue, and is removed when the touch expires', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: null });
    const client = randomUUID();
    await pushOk(w.anna, client, [comment(1, t)]);
    const { cursor } = await pullAll(w.anna, client, null);
    await pushOk(w.bo, randomUUID(), [update(1, t, { assigneeId: w.bo.id })]);
    const soon = await pullAll(w.anna, client, cursor);
    expect(soon.removed).toEqual([]);
    expect(soon.ticketIds).toContain(t);
    const saved = clock;
    clock += 8 * 24 * 3_600_000;
    try {
      expect((await pullAll(w.anna, client, soon.cursor)).removed).toContain(t);
    } finally {
      clock = saved;
    }
  });

  test('a garbage cursor is a 400; a cursor from before a team change is 409 cursor-reset', async () => {
    const client = randomUUID();
    const bad = await app.inject({ method: 'POST', url: '/sync/pull', headers: w.zed.auth, payload: { clientId: client, cursor: 'v1.x' } });
    expect(bad.statusCode).toBe(400);
    const { cursor } = await pullAll(w.zed, client, null);
    await w.db.query('insert into team_members (team_id, user_id) values ($1, $2)', [w.teamA, w.zed.id]);
    try {
      const res = await app.inject({ method: 'POST', url: '/sync/pull', headers: w.zed.auth, payload: { clientId: client, cursor } });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'cursor-reset' } });
    } finally {
      await w.db.query('delete from team_members where team_id = $1 and user_id = $2', [w.teamA, w.zed.id]);
    }
  });
});
