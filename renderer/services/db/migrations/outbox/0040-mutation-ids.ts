import type { Dexie, Transaction } from 'dexie';
import type { OutboxMeta, OutboxRow } from '../../rows';

/**
 * Wire mutation ids become a field of their own (`mutationId`), counted by `nextMutationId` in meta,
 * apart from the row key. The server refuses gaps, and a client it forgot must renumber its pending
 * mutations from 1 under a new client id: neither is possible with the auto-increment key as the wire id
 * (key generators never go back, and whether one skips after an aborted add differs by engine).
 *
 * Existing rows keep their key as their id. With pending rows, the next id follows the last of them
 * (a confirmed row is never newer than a pending one). Without, the server may hold ids we no longer
 * know, so the client starts over with a new client id from 1: reusing an old id would be taken for a replay.
 */
export function migration0040MutationIds(db: Dexie): void {
  db.version(40)
    .stores({})
    .upgrade(async (tx: Transaction) => {
      const mutations = tx.table<OutboxRow, number>('mutations');
      const meta = tx.table<OutboxMeta, OutboxMeta['key']>('meta');
      let lastPending = 0;
      await mutations.toCollection().modify((row) => {
        row.mutationId = row.id!;
        if (row.status === 'pending') lastPending = Math.max(lastPending, row.id!);
      });
      if (lastPending > 0) await meta.put({ key: 'nextMutationId', value: lastPending + 1 });
      else {
        await meta.delete('clientId');
        await meta.put({ key: 'nextMutationId', value: 1 });
      }
    });
}
