import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../tests/support/server/throwawayDatabase';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PushResponse } from '../../core/sync/wire';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import type { Db } from '../db/db';
import { openPostgres } from '../db/postgres';
import { createWorld, insertTicket, secret, type Person, type World } from '../../tests/support/server/syncWorld';

// Lock ordering only shows on a real PostgreSQL with a pool of connections (PGlite runs one transaction at
// a time). The unit step sets DATABASE_URL; this file creates and drops its own database under it.
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log('server/sync/contention.test.ts skipped: DATABASE_URL is not set (scripts/postgres.mjs starts a PostgreSQL)');

describe.skipIf(!baseUrl)('issue 12 item 12 (deadlock): concurrent pushes on real PostgreSQL', () => {
  let scratch: ThrowawayDatabase | undefined;
  let db: Db;
  let w: World;
  let app: FastifyInstance;

  beforeAll(async () => {
    scratch = await createThrowawayDatabase(baseUrl!, 'switchboard_contention');
    db = await openPostgres(scratch.url);
    w = await createWorld(db);
    app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db, sync: { pruneEveryMs: 0 } });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await scratch?.drop();
  });

  type Plan = { who: Person; tickets: string[] };
  type Tally = { statuses: number[]; comments: Map<string, number> };

  /** Each plan is one client pushing `rounds` batches (a priority change and a comment per ticket, in its order), all at once. */
  async function race(plans: Plan[], rounds: number): Promise<Tally> {
    const statuses: number[] = [];
    const comments = new Map<string, number>();
    await Promise.all(
      plans.map(async ({ who, tickets }) => {
        const clientId = randomUUID();
        let next = 1;
        for (let round = 0; round < rounds; round++) {
          const mutations = tickets.flatMap((ticketId) => [
            { id: next++, name: 'updateTicket', args: { ticketId, changes: { priority: ['low', 'normal', 'high'][round % 3] } }, createdAt: 1 },
            { id: next++, name: 'addComment', args: { commentId: randomUUID(), ticketId, kind: 'internal', body: `round ${round}` }, createdAt: 1 },
          ]);
          const res = await app.inject({ method: 'POST', url: '/sync/push', headers: who.auth, payload: { clientId, mutations } });
          statuses.push(res.statusCode);
          if (res.statusCode !== 200) {
            // Rolled back as a whole: the next batch reuses these ids, as a client renumbers nothing and resends.
            next -= mutations.length;
            continue;
          }
          const body = PushResponse.parse(res.json());
          expect(body.results.every((r) => r.status === 'applied'), res.body).toBe(true);
          for (const t of tickets) comments.set(t, (comments.get(t) ?? 0) + 1);
        }
      }),
    );
    return { statuses, comments };
  }

  const stored = async (ticketId: string) =>
    Number((await db.query<{ n: number }>('select count(*)::int as n from ticket_comments where ticket_id = $1', [ticketId])).rows[0]!.n);

  async function expectNoErrorsAndNothingLost(tally: Tally) {
    const failed = tally.statuses.filter((s) => s !== 200);
    console.log(`[contention] ${tally.statuses.length} pushes, ${failed.length} not 200 (${[...new Set(failed)].join(',') || 'none'})`);
    expect(failed).toEqual([]);
    for (const [ticketId, n] of tally.comments) expect(await stored(ticketId)).toBe(n);
  }

  test('issue 12 item 12 (deadlock): 8 clients pushing the same tickets in crossed order: no 500, nothing lost', async () => {
    const tickets = await Promise.all(Array.from({ length: 6 }, () => insertTicket(db, { teamId: w.teamA, assigneeId: null })));
    const people = [w.anna, w.bo, w.lead];
    const plans = Array.from({ length: 8 }, (_, i): Plan => ({ who: people[i % 3]!, tickets: i % 2 === 0 ? tickets : [...tickets].reverse() }));
    await expectNoErrorsAndNothingLost(await race(plans, 10));
  }, 120_000);

  test('issue 12 item 12 (deadlock): same-order pushes racing single-ticket pushes: no 500, nothing lost', async () => {
    const tickets = await Promise.all(Array.from({ length: 6 }, () => insertTicket(db, { teamId: w.teamA, assigneeId: null })));
    const people = [w.anna, w.bo, w.lead];
    const plans = Array.from({ length: 8 }, (_, i): Plan => ({ who: people[i % 3]!, tickets: i % 2 === 0 ? tickets : [tickets[(i * 5) % tickets.length]!] }));
    await expectNoErrorsAndNothingLost(await race(plans, 10));
  }, 120_000);

  test("issue 12 item 12 (deadlock): pushes racing call reports (chat's ticket writes) on the same tickets: no 500, nothing lost", async () => {
    await db.query("insert into chat_queues (name, team_id) values ('Team A', $1)", [w.teamA]);
    const customer = (await db.query<{ id: string }>("insert into customers (name, phone) values ('Lena', '+49301234567') returning id")).rows[0]!.id;
    const tickets = await Promise.all(Array.from({ length: 4 }, () => insertTicket(db, { teamId: w.teamA, assigneeId: null, customerId: customer })));
    const people = [w.anna, w.bo, w.lead];
    const plans = Array.from({ length: 4 }, (_, i): Plan => ({ who: people[i % 3]!, tickets: i % 2 === 0 ? tickets : [...tickets].reverse() }));
    const calls = Array.from({ length: 40 }, (_, i) => ({
      id: randomUUID(), callId: `c${i}`, direction: 'inbound', remote: '+49 30 1234567', startedAt: Date.parse('2026-03-02T08:50:00Z'),
      durationMs: 1000, outcome: 'answered', ticketId: tickets[i % tickets.length],
    }));
    const [tally, callStatuses] = await Promise.all([
      race(plans, 10),
      Promise.all(calls.map(async (body) => (await app.inject({ method: 'POST', url: '/chat/calls', headers: w.lead.auth, payload: body })).statusCode)),
    ]);
    expect(callStatuses.filter((s) => s !== 200)).toEqual([]);
    for (const t of tickets) tally.comments.set(t, (tally.comments.get(t) ?? 0) + calls.filter((c) => c.ticketId === t).length);
    await expectNoErrorsAndNothingLost(tally);
  }, 120_000);
});
