import { isMutatorName, MutationError, mutationTicketId, runMutator } from '../../core/tickets/mutators';
import type { Actor } from '../../core/tickets/scope';
import type { PushRequest, PushResponse, PushResult } from '../../core/sync/wire';
import type { Db, Queryable } from '../db/db';
import { badRequest, forbidden, HttpError } from '../http/errors';
import { createSqlTicketTx, emptyTouched, mergeTouched, type Touched } from './sqlTicketTx';
import { lockSyncWrites } from './writeLock';

/** A client silent for this long is forgotten: it must start over with a new client id. */
export const clientTtlMs = 30 * 24 * 3_600_000;

export const clientReset = (message: string) => new HttpError(409, 'client-reset', message);

export type PushOutcome = { response: PushResponse; touched: Touched; applied: number };

type ClientRow = { user_id: string; last_mutation_id: string | number; last_seen: Date };

/**
 * Refusals of the whole batch, decided before anything runs: an unknown mutation name is a client bug
 * or a version skew, not a permanent failure of one mutation, so nothing of the batch is applied.
 */
export function validateBatch(req: PushRequest): void {
  const unknown = req.mutations.find((m) => !isMutatorName(m.name));
  if (unknown) throw badRequest(`Invalid body: mutations: unknown mutation ${unknown.name} (id ${unknown.id})`);
}

/** Constraint and data errors from the database are permanent for that mutation, like a MutationError. */
function asMutationError(err: unknown): MutationError | null {
  if (err instanceof MutationError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === '23505') return new MutationError('conflict', 'the row already exists');
  if (code.startsWith('22') || code.startsWith('23')) return new MutationError('invalid', `refused by the database: ${(err as Error).message}`);
  return null;
}

/** The client's last mutation id, and whether it was silent for so long that it was retired. */
async function lockClient(q: Queryable, actor: Actor, req: PushRequest, now: number): Promise<{ last: number; retired: boolean }> {
  const select = () => q.query<ClientRow>('select user_id, last_mutation_id, last_seen from sync_clients where client_id = $1 for update', [req.clientId]);
  let row = (await select()).rows[0];
  if (!row) {
    // A client we do not know must start at mutation 1; later ids mean we forgot it (or never saw it):
    // its earlier mutations cannot be checked for exactly-once, so it must start over.
    if (req.mutations[0]!.id !== 1) {
      throw clientReset(`Unknown client ${req.clientId} starting at mutation ${req.mutations[0]!.id}; start a new client id and resend from 1.`);
    }
    await q.query('insert into sync_clients (client_id, user_id) values ($1, $2) on conflict (client_id) do nothing', [req.clientId, actor.userId]);
    row = (await select()).rows[0]!;
  }
  if (row.user_id !== actor.userId) throw forbidden(`Client ${req.clientId} belongs to another user.`);
  return { last: Number(row.last_mutation_id), retired: row.last_seen.getTime() < now - clientTtlMs };
}

/**
 * Applies a push in one transaction: every new mutation runs in order inside a savepoint, its outcome
 * is logged, and the client's last mutation id advances in the same commit, so a crash anywhere leaves
 * either all of it or none of it. Replays (id ≤ last) return the logged outcome without running again.
 */
export async function applyPush(db: Db, actor: Actor, req: PushRequest, now: () => number): Promise<PushOutcome> {
  validateBatch(req);
  return db.transaction(async (q) => {
    // Before any row lock (the client row, then tickets): see writeLock.ts.
    await lockSyncWrites(q);
    const { last, retired } = await lockClient(q, actor, req, now());
    const replayed = req.mutations.filter((m) => m.id <= last).map((m) => m.id);
    if (retired && replayed.length === 0) {
      throw clientReset(`Client ${req.clientId} was not seen for over 30 days and was retired; start a new client id and resend from 1.`);
    }
    // A retired client still learns the outcome of mutations it sent before its silence (their responses
    // may have been lost): answered here, the rest refused on its next push. Renumbered under a new id
    // without this, an applied mutation would run a second time.
    const fresh = retired ? [] : req.mutations.filter((m) => m.id > last);
    fresh.forEach((m, i) => {
      if (m.id !== last + 1 + i) {
        throw new HttpError(409, 'mutation-gap', `Mutation ${m.id} follows ${i === 0 ? last : fresh[i - 1]!.id}; resend from ${last + 1 + i}.`);
      }
    });

    const logged = new Map<number, PushResult>();
    if (replayed.length > 0) {
      const { rows } = await q.query<{ mutation_id: string | number; status: 'applied' | 'failed'; error: PushResult['error'] | null }>(
        'select mutation_id, status, error from sync_mutation_log where client_id = $1 and mutation_id = any($2::bigint[])',
        [req.clientId, replayed],
      );
      for (const r of rows) {
        const id = Number(r.mutation_id);
        logged.set(id, r.error ? { id, status: r.status, error: r.error } : { id, status: r.status });
      }
    }

    const results: PushResult[] = [];
    const touched = emptyTouched();
    let applied = 0;
    for (const m of req.mutations) {
      if (m.id <= last) {
        results.push(logged.get(m.id) ?? { id: m.id, status: 'applied' });
        continue;
      }
      if (retired) break;
      const mine = emptyTouched();
      await q.query('savepoint mutation');
      let result: PushResult;
      try {
        const { conflicts } = await runMutator(createSqlTicketTx(q, actor, now, mine), m.name, m.args);
        const ticketId = mutationTicketId(m.args);
        if (ticketId && mine.ticketIds.has(ticketId)) {
          await q.query(
            `insert into ticket_touches (user_id, ticket_id, touched_at) values ($1, $2, $3)
             on conflict (user_id, ticket_id) do update set touched_at = excluded.touched_at`,
            [actor.userId, ticketId, new Date(now())],
          );
        }
        await q.query('release savepoint mutation');
        mergeTouched(touched, mine);
        applied += 1;
        result = conflicts.length > 0 ? { id: m.id, status: 'applied', conflicts } : { id: m.id, status: 'applied' };
      } catch (err) {
        const failure = asMutationError(err);
        if (!failure) throw err;
        await q.query('rollback to savepoint mutation');
        result = { id: m.id, status: 'failed', error: { code: failure.code, message: failure.message.slice(0, 1000) } };
      }
      await q.query('insert into sync_mutation_log (client_id, mutation_id, name, status, error, applied_at) values ($1, $2, $3, $4, $5::jsonb, $6)', [
        req.clientId, m.id, m.name, result.status, result.error ? JSON.stringify(result.error) : null, new Date(now()),
      ]);
      results.push(result);
    }
    const lastMutationId = fresh.length > 0 ? fresh[fresh.length - 1]!.id : last;
    if (!retired) await q.query('update sync_clients set last_mutation_id = $2, last_seen = $3 where client_id = $1', [req.clientId, lastMutationId, new Date(now())]);
    return { response: { results, lastMutationId }, touched, applied };
  });
}
