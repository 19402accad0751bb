import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReviewAuditList, ReviewRecord, ReviewSearchResult } from '../../core/wire/review';
import { addPerson, createWorld, secret, type World } from '../../tests/support/server/syncWorld';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { seedReviewConversation } from './seed';

/** Review search and record over the server's routes on PGlite, with the clock fixed at 2026-04-15. */
describe('conversation review', () => {
  let w: World;
  let app: FastifyInstance;
  let otherLead: Awaited<ReturnType<typeof addPerson>>;
  const now = Date.parse('2026-04-15T10:00:00Z');
  const day = (d: string) => new Date(`${d}T09:00:00Z`);
  let marchAnna: string;

  beforeAll(async () => {
    w = await createWorld();
    otherLead = await addPerson(w.db, 'lead-b', 'lead', w.teamB);
    app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db: w.db, sync: { now: () => now, pruneEveryMs: 0 } });
    const seed = (o: Parameters<typeof seedReviewConversation>[1]) => seedReviewConversation(w.db, o);
    marchAnna = (
      await seed({ teamId: w.teamA, agentId: w.anna.id, at: day('2026-03-10'), customerEmail: 'mei@example.com', tags: ['refund'], csat: 2, messages: [
        { author: 'customer', body: 'My order is late' },
        { author: 'agent', kind: 'note', body: 'customer called twice' },
        { author: 'coach', kind: 'note', body: 'offer the voucher' },
        { author: 'agent', body: 'Sorry, a voucher is on its way' },
      ] })
    ).id;
    for (let i = 0; i < 5; i++) await seed({ teamId: w.teamA, agentId: w.anna.id, at: new Date(day('2026-03-20').getTime() + i * 60_000), csat: 5 });
    await seed({ teamId: w.teamA, agentId: w.bo.id, at: day('2026-03-12'), channel: 'email' });
    await seed({ teamId: w.teamA, agentId: w.anna.id, at: day('2025-03-01') }); // older than the one-year retention
    await seed({ teamId: w.teamB, agentId: w.zed.id, at: day('2026-03-11') });
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string, who: { auth: Record<string, string> }) => app.inject({ method: 'GET', url, headers: who.auth });

  test("a lead finds last month's conversations of one agent, pages through them, and opens one with its whole record", async () => {
    const first = await get(`/review/conversations?agentId=${w.anna.id}&from=2026-03-01&to=2026-03-31&limit=4`, w.lead);
    expect(first.statusCode).toBe(200);
    const page1 = first.json<ReviewSearchResult>();
    expect(page1.hits).toHaveLength(4);
    expect(page1.next).not.toBeNull();
    const page2 = (await get(`/review/conversations?agentId=${w.anna.id}&from=2026-03-01&to=2026-03-31&limit=4&after=${page1.next}`, w.lead)).json<ReviewSearchResult>();
    const ids = [...page1.hits, ...page2.hits].map((h) => h.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(page2.next).toBeNull();
    expect(ids.at(-1)).toBe(marchAnna);
    expect([...page1.hits, ...page2.hits].every((h) => h.agentId === w.anna.id && h.teamId === w.teamA)).toBe(true);

    const record = (await get(`/review/conversations/${marchAnna}`, w.lead)).json<ReviewRecord>();
    expect(record.messages.map((m) => [m.author, m.kind, m.body])).toEqual([
      ['customer', 'text', 'My order is late'],
      ['agent', 'note', 'customer called twice'],
      ['coach', 'note', 'offer the voucher'],
      ['agent', 'text', 'Sorry, a voucher is on its way'],
    ]);
    expect(record.survey?.score).toBe(2);
    expect(record.conversation.tags).toEqual(['refund']);
  });

  test('filters: customer e-mail, channel, tag, CSAT, ticket; retention hides what is older than a year', async () => {
    const ids = async (q: string) => (await get(`/review/conversations?teamId=${w.teamA}&${q}`, w.lead)).json<ReviewSearchResult>().hits.map((h) => h.id);
    expect(await ids('customer=MEI@example.com')).toEqual([marchAnna]);
    expect(await ids('tag=refund')).toEqual([marchAnna]);
    expect(await ids('csatMax=2')).toEqual([marchAnna]);
    expect(await ids('channel=email')).toHaveLength(1);
    const record = (await get(`/review/conversations/${marchAnna}`, w.lead)).json<ReviewRecord>();
    expect(await ids(`ticket=${record.conversation.ticketNumber}`)).toEqual([marchAnna]);
    expect(await ids('from=2025-01-01&to=2025-12-31')).toEqual([]);
    expect((await get(`/review/conversations?from=2026-03-02&to=2026-03-01`, w.lead)).statusCode).toBe(400);
    // Values a bigint, integer or uuid cast would refuse are 400s before any SQL, never a 500.
    for (const bad of [`after=99999999999999999999:${marchAnna}`, 'after=1:zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', 'ticket=2147483648', 'csatMax=9', 'channel=fax', 'from=2026-02-30', 'to=0000-00-00']) {
      expect((await get(`/review/conversations?${bad}`, w.lead)).statusCode, bad).toBe(400);
    }
  });

  test("another team's lead is refused on the wire, an admin sees every team, and every access is in the audit", async () => {
    expect((await get(`/review/conversations/${marchAnna}`, otherLead)).statusCode).toBe(404);
    expect((await get(`/review/conversations?teamId=${w.teamA}`, otherLead)).statusCode).toBe(403);
    // Without a team filter the other lead sees their own team only.
    const theirs = (await get('/review/conversations', otherLead)).json<ReviewSearchResult>();
    expect(theirs.hits.every((h) => h.teamId === w.teamB)).toBe(true);
    expect((await get(`/review/conversations/${marchAnna}`, w.anna)).statusCode).toBe(403);
    const all = (await get('/review/conversations?from=2026-03-01&to=2026-03-31', w.admin)).json<ReviewSearchResult>();
    expect(new Set(all.hits.map((h) => h.teamId))).toEqual(new Set([w.teamA, w.teamB]));

    const audit = (await get(`/review/audit?teamId=${w.teamA}&limit=200`, w.lead)).json<ReviewAuditList>().entries;
    expect(audit.some((e) => e.actorId === w.lead.id && e.action === 'open' && e.outcome === 'allowed' && e.conversationId === marchAnna)).toBe(true);
    expect(audit.some((e) => e.actorId === otherLead.id && e.action === 'open' && e.outcome === 'refused' && e.conversationId === marchAnna)).toBe(true);
    expect(audit.some((e) => e.actorId === otherLead.id && e.action === 'search' && e.outcome === 'refused')).toBe(true);
    await expect(w.db.query('delete from review_audit')).rejects.toThrow(/append-only/);
  });
});
