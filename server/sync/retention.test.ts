import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pruneSyncHistory } from './retention';
import { createWorld, insertTicket, type World } from '../../tests/support/server/syncWorld';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.db.close();
});

const day = 24 * 3_600_000;

test('prunes retired clients, old mutation-log rows and long-expired touches; keeps everything a live client may still need', async () => {
  const now = Date.parse('2026-11-24T00:00:00Z');
  const at = (daysAgo: number) => new Date(now - daysAgo * day);
  const [retired, live] = [randomUUID(), randomUUID()];
  await w.db.query('insert into sync_clients (client_id, user_id, last_mutation_id, last_seen) values ($1, $2, 3, $3), ($4, $2, 7, $5)', [
    retired, w.anna.id, at(31), live, at(1),
  ]);
  await w.db.query(
    `insert into sync_mutation_log (client_id, mutation_id, name, status, applied_at) values
       ($1, 3, 'updateTicket', 'applied', $3), ($2, 6, 'updateTicket', 'applied', $4), ($2, 7, 'addComment', 'applied', $5)`,
    [retired, live, at(40), at(35), at(1)],
  );
  const [oldTicket, recentTicket] = [await insertTicket(w.db, { teamId: w.teamB }), await insertTicket(w.db, { teamId: w.teamB })];
  await w.db.query('insert into ticket_touches (user_id, ticket_id, touched_at) values ($1, $2, $3), ($1, $4, $5)', [w.anna.id, oldTicket, at(38), recentTicket, at(36)]);

  expect(await pruneSyncHistory(w.db, now)).toEqual({ clients: 1, mutations: 2, touches: 1 });

  const clients = await w.db.query<{ client_id: string }>('select client_id from sync_clients where client_id = any($1::uuid[])', [[retired, live]]);
  expect(clients.rows.map((r) => r.client_id)).toEqual([live]);
  const log = await w.db.query<{ mutation_id: string | number }>('select mutation_id from sync_mutation_log where client_id = $1', [live]);
  expect(log.rows.map((r) => Number(r.mutation_id))).toEqual([7]);
  // 36 days: still inside touch window (7) + client lifetime (30), so a 30-day-old cursor can learn it expired.
  const touches = await w.db.query<{ ticket_id: string }>('select ticket_id from ticket_touches where user_id = $1', [w.anna.id]);
  expect(touches.rows.map((r) => r.ticket_id)).toEqual([recentTicket]);

  expect(await pruneSyncHistory(w.db, now)).toEqual({ clients: 0, mutations: 0, touches: 0 });
});
