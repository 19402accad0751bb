import type { Queryable } from '../db/db';

/**
 * Takes the locks every writer of synced rows holds, in the one order (0060-sync-lock-order.sql): the
 * chat event log, then sync versions. Call it first in a transaction that locks ticket rows before it
 * writes them (push's `select … for no key update`); plain INSERT/UPDATE statements take them by trigger.
 * Both are transaction-scoped and re-entrant, so calling it again is harmless.
 */
export async function lockSyncWrites(q: Queryable): Promise<void> {
  await q.query('select sync_lock_writes()');
}
