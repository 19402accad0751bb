import { Dexie } from 'dexie';
import type { OutboxDb } from './outboxDb';
import type { OutboxRow } from './rows';

export type PendingMutation = Required<Pick<OutboxRow, 'id'>> & OutboxRow;

/**
 * The outbox: mutations in mutation-id order (the auto-increment key is the mutation id, and IndexedDB
 * key generators never go back, even after deletes). Confirmed mutations are deleted; refused ones stay
 * as 'failed' with the server's reason until the agent dismisses them, so nothing disappears silently.
 */
export function createOutboxRepo(db: OutboxDb) {
  const pendingRange = () => db.mutations.where('[status+id]').between(['pending', Dexie.minKey], ['pending', Dexie.maxKey]);
  return {
    /** Appends one mutation and resolves with its mutation id once the write is durable. */
    async append(m: Omit<OutboxRow, 'id' | 'status' | 'error'>): Promise<number> {
      return db.mutations.add({ ...m, status: 'pending' });
    },
    async listPending(limit = Infinity): Promise<PendingMutation[]> {
      const rows = await pendingRange().limit(limit).toArray();
      return rows as PendingMutation[];
    },
    countPending: () => pendingRange().count(),
    /** Server confirmed these (applied): they are now part of pulled state. */
    async confirm(ids: readonly number[]): Promise<void> {
      await db.mutations.bulkDelete([...ids]);
    },
    async markFailed(id: number, error: { code: string; message: string }): Promise<void> {
      await db.mutations.update(id, { status: 'failed', error });
    },
    async failedForTicket(ticketId: string): Promise<PendingMutation[]> {
      const rows = await db.mutations.where('ticketId').equals(ticketId).filter((m) => m.status === 'failed').toArray();
      return rows as PendingMutation[];
    },
    async dismissFailed(id: number): Promise<void> {
      await db.transaction('rw', db.mutations, async () => {
        const row = await db.mutations.get(id);
        if (row?.status === 'failed') await db.mutations.delete(id);
      });
    },
    /** This installation's client id; minted once, stored with the mutations it numbers. */
    async clientId(mint: () => string): Promise<string> {
      return db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get('clientId');
        if (row) return row.value;
        const value = mint();
        await db.meta.put({ key: 'clientId', value });
        return value;
      });
    },
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
