import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createMissedCallsRepo, missedCallsKept } from './missedCallsRepo';
import { OutboxDb } from './outboxDb';
import { uniqueName } from '../../../tests/support/renderer/dexieProbes';

describe('missed calls in the outbox database (issue 15)', () => {
  it('survive a restart with their reasons and the unseen badge, newest first', async () => {
    const name = uniqueName('missed');
    const first = new OutboxDb(name);
    const repo = createMissedCallsRepo(first);
    await repo.add({ id: 'c1', at: 1000, remote: '1099', remoteName: 'Demo customer', reason: 'background' });
    await repo.add({ id: 'c2', at: 2000, remote: '1002', reason: 'declined' });
    first.close();

    const reopened = new OutboxDb(name);
    const again = createMissedCallsRepo(reopened);
    expect(await again.recent()).toEqual([
      { id: 'c2', at: 2000, remote: '1002', reason: 'declined' },
      { id: 'c1', at: 1000, remote: '1099', remoteName: 'Demo customer', reason: 'background' },
    ]);
    expect(await again.unseenCount()).toBe(2);
    await again.markAllSeen();
    expect(await again.unseenCount()).toBe(0);
    await again.add({ id: 'c3', at: 3000, remote: '1003', reason: 'background' });
    expect(await again.unseenCount()).toBe(1);
    // Queryable: the calls missed with the app in the background since a time.
    expect((await again.byReason('background', 1500)).map((m) => m.id)).toEqual(['c3']);
    expect((await again.byReason('background')).map((m) => m.id)).toEqual(['c3', 'c1']);
    await reopened.delete();
  });

  it(`keeps the newest ${missedCallsKept}, dropping the oldest`, async () => {
    const db = new OutboxDb(uniqueName('missed'));
    const repo = createMissedCallsRepo(db);
    for (let i = 0; i < missedCallsKept + 3; i++) await repo.add({ id: `c${i}`, at: i, remote: '1002', reason: 'timed-out' });
    const all = await repo.recent(missedCallsKept + 10);
    expect(all).toHaveLength(missedCallsKept);
    expect(all.at(-1)?.id).toBe('c3');
    await db.delete();
  });

  it('moves the list an earlier version kept in localStorage, once, as seen; refuses a tampered one', async () => {
    const db = new OutboxDb(uniqueName('missed'));
    const repo = createMissedCallsRepo(db);
    const legacy = JSON.stringify([{ id: 'old1', at: 500, remote: '1099', reason: 'timed-out' }]);
    expect(await repo.importLegacy(legacy)).toBe(1);
    expect(await repo.importLegacy(legacy)).toBe(1);
    expect(await repo.recent()).toEqual([{ id: 'old1', at: 500, remote: '1099', reason: 'timed-out' }]);
    expect(await repo.unseenCount()).toBe(0);
    expect(await repo.importLegacy(JSON.stringify([{ id: 'x', at: 1, remote: '1', reason: '<script>' }]))).toBe(0);
    expect(await repo.importLegacy('{not json')).toBe(0);
    expect(await repo.recent()).toHaveLength(1);
    await db.delete();
  });
});
