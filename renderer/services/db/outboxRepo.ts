import { Dexie } from 'dexie';
import type { OutboxDb } from './outboxDb';
import type { OutboxRow } from './rows';

export type PendingMutation = Required<Pick<OutboxRow, 'id'>> & OutboxRow;

/**
 * The outbox: mutations in order (row key = local order; `mutationId` = the id on the wire). Wire ids
 * are handed out consecutively from `nextMutationId` in the same transaction that stores the row, so a
 * client never makes a gap (the server refuses one): not after deletes, aborted writes or a restart.
 * Confirmed mutations are deleted; refused ones stay as 'failed' with the server's reason until the
 * agent dismisses them, so nothing disappears silently.
 */
export function createOutboxRepo(db: OutboxDb) {
  const pendingRange = () => db.mutations.where('[status+id]').between(['pending', Dexie.minKey], ['pending', Dexie.maxKey]);
  const failedRange = () => db.mutations.where('[status+id]').between(['failed', Dexie.minKey], ['failed', Dexie.maxKey]);
  const nextId = async () => {
    const row = await db.meta.get('nextMutationId');
    return row?.key === 'nextMutationId' ? row.value : 1;
  };
  return {
    /** Appends one mutation and resolves with its row id and wire id once the write is durable. */
    async append(m: Omit<OutboxRow, 'id' | 'status' | 'error' | 'mutationId'>): Promise<{ id: number; mutationId: number }> {
      return db.transaction('rw', db.mutations, db.meta, async () => {
        const mutationId = await nextId();
        const id = await db.mutations.add({ ...m, mutationId, status: 'pending' });
        await db.meta.put({ key: 'nextMutationId', value: mutationId + 1 });
        return { id, mutationId };
      });
    },
    async listPending(limit = Infinity): Promise<PendingMutation[]> {
      const rows = await pendingRange().limit(limit).toArray();
      return rows as PendingMutation[];
    },
    countPending: () => pendingRange().count(),
    /** Server confirmed these (applied; row ids): they are now part of pulled state. */
    async confirm(ids: readonly number[]): Promise<void> {
      await db.mutations.bulkDelete([...ids]);
    },
    async markFailed(id: number, error: { code: string; message: string }): Promise<void> {
      await db.mutations.update(id, { status: 'failed', error });
    },
    /**
     * The server refused this mutation's request as a whole (400: a name it does not know, args over
     * its limit) so it never got a wire id there. It fails locally, and the pending ones after it move
     * down one id, in one transaction: the server expects the next id right after its last, and none of
     * them can have reached it (every push starts at the oldest pending mutation, which was this one).
     */
    async refuseUnsent(id: number, error: { code: string; message: string }): Promise<void> {
      await db.transaction('rw', db.mutations, db.meta, async () => {
        const row = await db.mutations.get(id);
        if (row?.status !== 'pending') return;
        const later = (await pendingRange().filter((m) => m.mutationId > row.mutationId).toArray()) as PendingMutation[];
        await db.mutations.bulkPut([{ ...row, status: 'failed', error }, ...later.map((m) => ({ ...m, mutationId: m.mutationId - 1 }))]);
        await db.meta.put({ key: 'nextMutationId', value: (await nextId()) - 1 });
      });
    },
    async failedForTicket(ticketId: string): Promise<PendingMutation[]> {
      const rows = await db.mutations.where('ticketId').equals(ticketId).filter((m) => m.status === 'failed').toArray();
      return rows as PendingMutation[];
    },
    /** Every refusal not yet dismissed, also of tickets no longer in the cache (moved out of the agent's scope). */
    async listFailed(): Promise<PendingMutation[]> {
      return (await failedRange().toArray()) as PendingMutation[];
    },
    countFailed: () => failedRange().count(),
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
        if (row?.key === 'clientId') return row.value;
        const value = mint();
        await db.meta.put({ key: 'clientId', value });
        return value;
      });
    },
    /**
     * The server forgot this client (client-reset) or lost mutations it had confirmed (mutation-gap):
     * continue as a new client, the pending mutations renumbered 1…n in their order, in one transaction,
     * so a crash leaves either the old numbering or the new one. Failed rows keep their old ids (settled).
     */
    async startNewClient(mint: () => string): Promise<{ clientId: string; renumbered: number }> {
      return db.transaction('rw', db.mutations, db.meta, async () => {
        const pending = (await pendingRange().toArray()) as PendingMutation[];
        const clientId = mint();
        await db.mutations.bulkPut(pending.map((m, i) => ({ ...m, mutationId: i + 1 })));
        await db.meta.bulkPut([
          { key: 'clientId', value: clientId },
          { key: 'nextMutationId', value: pending.length + 1 },
        ]);
        return { clientId, renumbered: pending.length };
      });
    },
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
