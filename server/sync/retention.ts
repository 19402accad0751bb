import type { Db } from '../db/db';
import { touchWindowMs } from '../tickets/scope';
import { clientTtlMs } from './push';
import { lockSyncWrites } from './writeLock';

/**
 * Sync bookkeeping that nobody can need any more, deleted so the tables do not grow for ever:
 *
 * - clients not seen for longer than the client lifetime (30 days) and, by cascade, their mutation log.
 *   Such a client is refused as retired, or, once forgotten, meets a mutation gap; either way it
 *   renumbers its pending mutations under a new client id (nothing pending is lost);
 * - mutation-log rows older than the client lifetime: a live client re-sends a mutation only until it
 *   sees it confirmed, which happens on its next successful push or pull;
 * - ticket touches older than the touch window plus the client lifetime: a pull computes "left your
 *   scope because the touch expired" from the window between its cursor and now, and no cursor that
 *   old is still accepted.
 */
export type PruneResult = { clients: number; mutations: number; touches: number };

export async function pruneSyncHistory(db: Db, now: number): Promise<PruneResult> {
  return db.transaction(async (tx) => {
    // The same order as push, which locks a client row after these locks (writeLock.ts).
    await lockSyncWrites(tx);
    const count = async (sql: string, before: number) =>
      Number((await tx.query<{ n: string | number }>(`with gone as (${sql} returning 1) select count(*) as n from gone`, [new Date(before)])).rows[0]!.n);
    // The log first: rows of retired clients would go by cascade anyway, but counted here they say why.
    const mutations = await count('delete from sync_mutation_log where applied_at < $1', now - clientTtlMs);
    const clients = await count('delete from sync_clients where last_seen < $1', now - clientTtlMs);
    const touches = await count('delete from ticket_touches where touched_at < $1', now - touchWindowMs - clientTtlMs);
    return { clients, mutations, touches };
  });
}
