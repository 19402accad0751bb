import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { createDraftsRepo } from './draftsRepo';
import { OutboxDb } from './outboxDb';
import { createOutboxRepo } from './outboxRepo';
import { uniqueName } from '../../../tests/support/renderer/dexieProbes';

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
    expect((await again.listPending()).map((m) => [m.mutationId, m.args])).toEqual([[1, { n: 1 }], [2, { n: 2 }], [3, { n: 3 }]]);
    expect((await createDraftsRepo(reopened).get('t1'))?.body).toBe('您好，退款已处理');
    await reopened.delete();
  });

  it('never reuses a mutation id after confirmed mutations are deleted, and never leaves a gap', async () => {
    const db = new OutboxDb(uniqueName('outbox'));
    const repo = createOutboxRepo(db);
    const a = await repo.append({ name: 'x', args: {}, createdAt: 1, ticketId: null });
    const b = await repo.append({ name: 'x', args: {}, createdAt: 2, ticketId: null });
    await repo.confirm([a.id, b.id]);
    expect((await repo.append({ name: 'x', args: {}, createdAt: 3, ticketId: null })).mutationId).toBe(3);
    await db.delete();
  });

  it('starts a new client with the pending mutations renumbered from 1 in order; refusals keep their old ids', async () => {
    const db = new OutboxDb(uniqueName('outbox'));
    const repo = createOutboxRepo(db);
    await repo.clientId(() => 'client-1');
    const failed = await repo.append({ name: 'x', args: { n: 1 }, createdAt: 1, ticketId: 't1' });
    await repo.markFailed(failed.id, { code: 'forbidden', message: 'no' });
    for (const n of [2, 3]) await repo.append({ name: 'x', args: { n }, createdAt: n, ticketId: 't1' });
    expect(await repo.startNewClient(() => 'client-2')).toEqual({ clientId: 'client-2', renumbered: 2 });
    expect(await repo.clientId(() => 'client-3')).toBe('client-2');
    expect((await repo.listPending()).map((m) => [m.mutationId, m.args])).toEqual([[1, { n: 2 }], [2, { n: 3 }]]);
    expect((await repo.append({ name: 'x', args: { n: 4 }, createdAt: 4, ticketId: null })).mutationId).toBe(3);
    expect((await repo.listFailed()).map((m) => m.id)).toEqual([failed.id]);
    await db.delete();
  });

  it('upgrades an outbox from before wire ids: pending rows keep their ids; with none pending, a new client starts at 1', async () => {
    const withPending = uniqueName('outbox');
    const empty = uniqueName('outbox');
    for (const name of [withPending, empty]) {
      const old = new Dexie(name);
      old.version(30).stores({ mutations: '++id, [status+id], ticketId', drafts: 'ticketId', meta: 'key', callLog: 'id, startedAt, ticketId' });
      await old.table('meta').put({ key: 'clientId', value: 'old-client' });
      const ids = await old.table('mutations').bulkAdd([1, 2, 3].map((n) => ({ name: 'x', args: { n }, createdAt: n, ticketId: null, status: 'pending' })), { allKeys: true });
      if (name === empty) await old.table('mutations').bulkDelete(ids);
      else await old.table('mutations').bulkDelete(ids.slice(0, 1));
      old.close();
    }
    const a = createOutboxRepo(new OutboxDb(withPending));
    expect(await a.clientId(() => 'new-client')).toBe('old-client');
    expect((await a.listPending()).map((m) => m.mutationId)).toEqual([2, 3]);
    expect((await a.append({ name: 'x', args: {}, createdAt: 4, ticketId: null })).mutationId).toBe(4);
    const b = createOutboxRepo(new OutboxDb(empty));
    expect(await b.clientId(() => 'new-client')).toBe('new-client');
    expect((await b.append({ name: 'x', args: {}, createdAt: 4, ticketId: null })).mutationId).toBe(1);
  });

  it('keeps a refused mutation visible on its ticket, out of the pending queue, until dismissed', async () => {
    const db = new OutboxDb(uniqueName('outbox'));
    const repo = createOutboxRepo(db);
    const { id } = await repo.append({ name: 'updateTicket', args: {}, createdAt: 1, ticketId: 't9' });
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
