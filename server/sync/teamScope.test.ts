import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PullResponse, PushResponse } from '../../core/sync/wire';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { createWorld, insertTicket, secret, snapshot, type Person, type World } from '../../tests/support/server/syncWorld';

// Team A: anna, bo (agents), lead. Team B: zed. As in the review: a Team A ("Berlin") agent naming Team B
// ("Shanghai") and its customer in a mutation.
let w: World;
let app: FastifyInstance;
let customerB: string;
let customerA: string;

beforeAll(async () => {
  w = await createWorld();
  app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db: w.db, sync: { pruneEveryMs: 0 } });
  const customer = async (name: string, teamId: string) => {
    const id = (await w.db.query<{ id: string }>("insert into customers (name, phone, email) values ($1, '+8613812345678', 'x@example.cn') returning id", [name])).rows[0]!.id;
    await insertTicket(w.db, { teamId, customerId: id, assigneeId: null });
    return id;
  };
  customerB = await customer('Wang Shanghai', w.teamB);
  customerA = await customer('Lena Berlin', w.teamA);
});
afterAll(async () => {
  await app?.close();
  await w?.db.close();
});

type Mutation = { name: string; args: Record<string, unknown> };
const pushOne = async (who: Person, m: Mutation) => {
  const res = await app.inject({ method: 'POST', url: '/sync/push', headers: who.auth, payload: { clientId: randomUUID(), mutations: [{ id: 1, createdAt: 1, ...m }] } });
  expect(res.statusCode, res.body).toBe(200);
  return PushResponse.parse(res.json()).results[0]!;
};
const create = (over: Record<string, unknown>): Mutation => ({ name: 'createTicket', args: { ticketId: randomUUID(), subject: 'Invoice', customerId: null, teamId: w.teamA, ...over } });
const outcome = (r: { status: string; error?: { code: string } }) => [r.status, r.error?.code];
const customersPulled = async (who: Person) => {
  const page = PullResponse.parse((await app.inject({ method: 'POST', url: '/sync/pull', headers: who.auth, payload: { clientId: randomUUID(), cursor: null } })).json());
  return page.customers.map((c) => c.id);
};

describe('issue 12 item 3 (team scope): every mutator checks the ticket team and the customer against the caller', () => {
  test("issue 12 item 3 (team scope): createTicket in another team, with myself as assignee and that team's customer, is refused and leaks nothing", async () => {
    const before = await snapshot(w.db);
    const ticketId = randomUUID();
    const r = await pushOne(w.anna, create({ ticketId, teamId: w.teamB, assigneeId: w.anna.id, customerId: customerB }));
    expect(outcome(r)).toEqual(['failed', 'forbidden']);
    expect((await w.db.query('select 1 from tickets where id = $1', [ticketId])).rows).toEqual([]);
    expect((await app.inject({ method: 'GET', url: `/tickets/${ticketId}`, headers: w.anna.auth })).statusCode).toBe(404);
    expect(await customersPulled(w.anna)).not.toContain(customerB);
    // Only the failure is logged; no ticket, comment or touch.
    const after = await snapshot(w.db);
    expect(after.split('\n').filter((part, i) => part !== before.split('\n')[i]).length).toBe(2);
  });

  test("issue 12 item 3 (team scope): createTicket in my team naming another team's customer is refused; my team's customer is fine", async () => {
    expect(outcome(await pushOne(w.anna, create({ customerId: customerB, assigneeId: w.anna.id })))).toEqual(['failed', 'not-found']);
    expect(outcome(await pushOne(w.lead, create({ customerId: customerB })))).toEqual(['failed', 'not-found']);
    expect(outcome(await pushOne(w.anna, create({ customerId: randomUUID() })))).toEqual(['failed', 'not-found']);
    expect(outcome(await pushOne(w.anna, create({ customerId: customerA, assigneeId: w.anna.id })))).toEqual(['applied', undefined]);
    expect(outcome(await pushOne(w.admin, create({ teamId: w.teamB, customerId: customerA })))).toEqual(['applied', undefined]);
  });

  test('issue 12 item 3 (team scope): a ticket assigned to me in another team cannot be updated or commented on', async () => {
    const t = await insertTicket(w.db, { teamId: w.teamB, assigneeId: w.anna.id, customerId: customerB });
    expect(outcome(await pushOne(w.anna, { name: 'updateTicket', args: { ticketId: t, changes: { assigneeId: null } } }))).toEqual(['failed', 'forbidden']);
    expect(outcome(await pushOne(w.anna, { name: 'updateTicket', args: { ticketId: t, changes: { status: 'solved' } } }))).toEqual(['failed', 'forbidden']);
    expect(outcome(await pushOne(w.anna, { name: 'addComment', args: { commentId: randomUUID(), ticketId: t, kind: 'public', body: 'hi' } }))).toEqual(['failed', 'forbidden']);
    expect((await w.db.query<{ assignee_id: string }>('select assignee_id from tickets where id = $1', [t])).rows[0]!.assignee_id).toBe(w.anna.id);
  });

  test("issue 12 item 3 (team scope): reassigning (or creating) a ticket to someone outside its team is refused, even for a lead; moving team is not a field", async () => {
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: null, customerId: customerA });
    expect(outcome(await pushOne(w.lead, { name: 'updateTicket', args: { ticketId: t, changes: { assigneeId: w.zed.id } } }))).toEqual(['failed', 'forbidden']);
    expect(outcome(await pushOne(w.lead, create({ assigneeId: w.zed.id })))).toEqual(['failed', 'forbidden']);
    expect(outcome(await pushOne(w.lead, { name: 'updateTicket', args: { ticketId: t, changes: { teamId: w.teamB } } }))).toEqual(['failed', 'invalid']);
    expect(outcome(await pushOne(w.lead, { name: 'updateTicket', args: { ticketId: t, changes: { assigneeId: w.bo.id } } }))).toEqual(['applied', undefined]);
    expect(outcome(await pushOne(w.zed, { name: 'addComment', args: { commentId: randomUUID(), ticketId: t, kind: 'internal', body: 'x' } }))).toEqual(['failed', 'not-found']);
  });
});
