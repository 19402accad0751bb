import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createDraftsRepo } from './draftsRepo';
import { OutboxDb } from './outboxDb';
import { createOutboxRepo } from './outboxRepo';
import { uniqueName } from './testing';

describe('outbox', () => {
  it('keeps pending mutations, their order, the client id and drafts across a restart', async () => {
    const name = uniqueName('outbox');
    const first = new OutboxDb(name);
    const repo = createOutboxRepo(first);
    const clientId = await repo.clientId(() => 'client-1');
    for (const i of [1, 2, 3]) await repo.append({ name: 'updateTicket', args: { n: i }, createdAt: i, ticketId: 't1' });
    await createDraftsRepo(first).save('t1', '您好，退款已处理', 'public');
    first.close();

    const reopened = new OutboxDb(name);
    const again = createOutboxRepo(reopened);
    expect(await again.clientId(() => 'client-2')).toBe(clientId);
    expect((await again.listPending()).map((m) => [m.id, m.args])).toEqual([[1, { n: 1 }], [2, { n: 2 }], [3, { n: 3 }]]);
    expect((await createDraftsRepo(reopened).get('t1'))?.body).toBe('您好，退款已处理');
    await reopened.delete();
  });

  it('never reuses a mutation id after confirmed mutations are deleted', async () => {
    const db = new OutboxDb(uniqueName('outbox'));
    const repo = createOutboxRepo(db);
    const a = await repo.append({ name: 'x', args: {}, createdAt: 1, ticketId: null });
    const b = await repo.append({ name: 'x', args: {}, createdAt: 2, ticketId: null });
    await repo.confirm([a, b]);
    expect(await repo.append({ name: 'x', args: {}, createdAt: 3, ticketId: null })).toBe(b + 1);
    await db.delete();
  });

  it('keeps a refused mutation visible on its ticket, out of the pending queue, until dismissed', async () => {
    const db = new OutboxDb(uniqueName('outbox'));
    const repo = createOutboxRepo(db);
    const id = await repo.append({ name: 'updateTicket', args: {}, createdAt: 1, ticketId: 't9' });
    await repo.markFailed(id, { code: 'forbidden', message: 'ticket t9 is outside your queue' });
    expect(await repo.countPending()).toBe(0);
    expect((await repo.failedForTicket('t9')).map((m) => m.error?.code)).toEqual(['forbidden']);
    await repo.dismissFailed(id);
    expect(await repo.failedForTicket('t9')).toEqual([]);
    await db.delete();
  });

  it('runs every transaction with strict durability', async () => {
    const db = new OutboxDb(uniqueName('outbox'));
    const durability = await db.transaction('rw', db.mutations, (tx) => (tx as unknown as { idbtrans: IDBTransaction }).idbtrans.durability);
    expect(durability).toBe('strict');
    await db.delete();
  });

  it('deletes a draft saved empty', async () => {
    const db = new OutboxDb(uniqueName('outbox'));
    const drafts = createDraftsRepo(db);
    await drafts.save('t1', 'x', 'internal');
    await drafts.save('t1', '  ', 'internal');
    expect(await drafts.get('t1')).toBeUndefined();
    await db.delete();
  });
});
