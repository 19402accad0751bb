import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTicket } from '../../../tests/support/core/ticketFixtures';
import type { PullResponse } from '../../../core/sync/wire';
import { agentAnna } from '../../../tests/support/core/ticketFixtures';
import { Dexie } from 'dexie';
import { CacheDb } from './cacheDb';
import { migration0010Initial } from './migrations/cache/0010-initial';
import { migration0020Chat } from './migrations/cache/0020-chat';
import { toCachedTicket } from './rows';
import { createCacheWriter } from './cacheWriter';
import { recordIndexUse, uniqueName } from '../../../tests/support/renderer/dexieProbes';
import { searchTickets } from './ticketSearch';
import { createTicketsRepo, createCommentsRepo } from './ticketsRepo';

const page = (over: Partial<PullResponse>): PullResponse => ({ cursor: '1', lastMutationId: 0, tickets: [], customers: [], comments: [], removed: [], more: false, ...over });

describe('ticketsRepo', () => {
  let db: CacheDb;
  let used: string[];
  beforeEach(async () => {
    db = new CacheDb(uniqueName('cache'));
    // Middleware must be registered before open to take part.
    used = recordIndexUse(db, 'tickets');
    await db.open();
  });
  afterEach(async () => db.delete());

  const load = (over: Partial<PullResponse>) => createCacheWriter(db).applyPull(page(over), [], agentAnna, () => 1);

  it('lists each view from its compound index, in the right order, with filters and paging', async () => {
    const mine = [
      makeTicket({ assigneeId: 'u-anna', updatedAt: 300, slaFirstResponseDue: 9_000 }),
      makeTicket({ assigneeId: 'u-anna', updatedAt: 100, slaFirstResponseDue: 2_000, priority: 'urgent' }),
      makeTicket({ assigneeId: 'u-anna', updatedAt: 200, slaFirstResponseDue: null, status: 'pending' }),
    ];
    const queue = [makeTicket({ assigneeId: null, updatedAt: 50 }), makeTicket({ assigneeId: null, updatedAt: 60, teamId: 't-tech' })];
    await load({ tickets: [...mine, ...queue, makeTicket({ assigneeId: 'u-bo', updatedAt: 999 })] });
    const repo = createTicketsRepo(db);
    used.length = 0;

    const ids = (ts: { id: string }[]) => ts.map((t) => t.id);
    expect(ids(await repo.list({ kind: 'mine', userId: 'u-anna' }))).toEqual([mine[0]!.id, mine[2]!.id, mine[1]!.id]);
    expect(ids(await repo.list({ kind: 'mine', userId: 'u-anna' }, { sort: 'sla' }))).toEqual([mine[1]!.id, mine[0]!.id, mine[2]!.id]);
    expect(ids(await repo.list({ kind: 'mine', userId: 'u-anna' }, { offset: 1, limit: 1 }))).toEqual([mine[2]!.id]);
    expect(ids(await repo.list({ kind: 'mine', userId: 'u-anna' }, { filter: { priorities: ['urgent'] } }))).toEqual([mine[1]!.id]);
    expect(ids(await repo.list({ kind: 'team-queue', teamId: 't-billing' }))).toEqual([queue[0]!.id]);
    expect(ids(await repo.list({ kind: 'status', status: 'pending' }))).toEqual([mine[2]!.id]);
    expect(await repo.count({ kind: 'mine', userId: 'u-anna' })).toBe(3);
    expect(new Set(used)).toEqual(
      new Set(['[assigneeKey+updatedAt]', '[assigneeKey+slaDue]', '[teamKey+assigneeKey+updatedAt]', '[status+updatedAt]']),
    );
  });

  it('searches by subject prefix, customer name, number and Chinese words', async () => {
    const refund = makeTicket({ subject: '客户申请退款', customerId: 'c-1', number: 4711, updatedAt: 10 });
    const billing = makeTicket({ subject: 'Billing address wrong', updatedAt: 20 });
    await load({ tickets: [refund, billing], customers: [{ id: 'c-1', name: 'Wang Xiaoming 王小明', phone: '+86 138 0013 8000', email: 'Wang@Example.com', updatedAt: 1 }] });
    const repo = createTicketsRepo(db);
    used.length = 0;
    expect((await repo.search('退款')).map((t) => t.id)).toEqual([refund.id]);
    expect((await repo.search('bill addr')).map((t) => t.id)).toEqual([billing.id]);
    expect((await repo.search('wang')).map((t) => t.id)).toEqual([refund.id]);
    expect((await repo.search('王小明')).map((t) => t.id)).toEqual([refund.id]);
    expect((await repo.search('471')).map((t) => t.id)).toEqual([refund.id]);
    expect(await repo.search('退货')).toEqual([]);
    // Tickets are only fetched by id: ranking comes from the ticketWords keys, never a tickets scan.
    expect(used.every((i) => i === '')).toBe(true);
    expect((await repo.customerByPhone('0086-138-0013-8000'))?.id).toBe('c-1');
    expect((await repo.customerByEmail(' wang@example.COM'))?.id).toBe('c-1');
  });

  it('finds the newest matches first whichever way the words are read, and follows edits', async () => {
    // 60 tickets: "refund" on all, "invoice" on every third, "early" on 0–31, "late" on 31–59, "urgent" on
    // one. Small tuning makes them behave as at 100k: "refund", "early", "late" common, the rest rare.
    const tickets = Array.from({ length: 60 }, (_, i) =>
      makeTicket({
        subject: ['refund', i % 3 === 0 ? 'invoice' : '', i < 32 ? 'early' : '', i >= 31 ? 'late' : '', i === 7 ? 'urgent' : ''].join(' '),
        updatedAt: 1_000 + ((i * 37) % 60),
      }),
    );
    await load({ tickets });
    const tuning = { probeRange: 10, smallRange: 25, walkBudget: 10 };
    const newest = (pred: (s: string) => boolean, n: number) =>
      tickets.filter((t) => pred(t.subject)).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, n).map((t) => t.id);
    const ids = async (q: string, limit = 5) => (await searchTickets(db, q, limit, tuning)).map((t) => t.id);

    expect(await ids('refund')).toEqual(newest(() => true, 5));
    expect(await ids('refu')).toEqual(newest(() => true, 5));
    expect(await ids('invoice')).toEqual(newest((s) => s.includes('invoice'), 5));
    expect(await ids('refund inv')).toEqual(newest((s) => s.includes('invoice'), 5));
    expect(await ids('refund urgent')).toEqual([tickets[7]!.id]);
    // Both common, matches sparse: the walk gives up and the exact intersection answers.
    expect(await ids('early late')).toEqual([tickets[31]!.id]);
    expect(await ids('early late invoice')).toEqual([]);
    // "late" walked newest-first finds too few with "invoice"; the larger sample shows "invoice" is rare after all.
    expect(await ids('late invoice')).toEqual(newest((s) => s.includes('late') && s.includes('invoice'), 5));

    // An edit moves the ticket to the top and its old words stop matching.
    const edited = { ...tickets[7]!, subject: 'refund chargeback', updatedAt: 5_000 };
    await load({ tickets: [edited] });
    expect(await ids('refund', 1)).toEqual([edited.id]);
    expect(await ids('urgent')).toEqual([]);
    expect(await ids('charge')).toEqual([edited.id]);
    await load({ removed: [edited.id] });
    expect(await ids('charge')).toEqual([]);
    const remaining = await db.tickets.toArray();
    expect(await db.ticketWords.count()).toBe(remaining.reduce((n, t) => n + t.words.length, 0));
  });

  it('keeps an existing cache searchable across the upgrade to ticketWords (no re-download)', async () => {
    const name = uniqueName('cache-v20');
    const old = new Dexie(name);
    migration0010Initial(old);
    migration0020Chat(old);
    const t = makeTicket({ subject: '客户申请退款 refund', updatedAt: 7 });
    await old.table('tickets').put(toCachedTicket(t, undefined));
    old.close();
    const upgraded = new CacheDb(name);
    try {
      expect((await createTicketsRepo(upgraded).search('退款 ref')).map((x) => x.id)).toEqual([t.id]);
    } finally {
      await upgraded.delete();
    }
  });

  it('re-derives search words when a customer is renamed', async () => {
    const t = makeTicket({ customerId: 'c-2' });
    await load({ tickets: [t], customers: [{ id: 'c-2', name: 'Alice', phone: null, email: null, updatedAt: 1 }] });
    await load({ customers: [{ id: 'c-2', name: 'Alicia Chen 陈', phone: null, email: null, updatedAt: 2 }] });
    const repo = createTicketsRepo(db);
    expect((await repo.search('chen')).map((x) => x.id)).toEqual([t.id]);
  });

  it('drops a ticket that left the scope, with its comments', async () => {
    const t = makeTicket();
    const comment = { id: 'k1', ticketId: t.id, authorId: 'u-bo', kind: 'public' as const, body: 'hello', createdAt: 5 };
    await load({ tickets: [t], comments: [comment] });
    expect(await createCommentsRepo(db).forTicket(t.id)).toEqual([comment]);
    await load({ removed: [t.id] });
    expect(await createTicketsRepo(db).get(t.id)).toBeUndefined();
    expect(await createCommentsRepo(db).forTicket(t.id)).toEqual([]);
  });
});
