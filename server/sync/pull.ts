import type { PullRequest, PullResponse } from '../../core/sync/wire';
import type { Comment, Customer, Ticket } from '../../core/tickets/model';
import type { Actor } from '../../core/tickets/scope';
import type { Db, Queryable } from '../db/db';
import { badRequest, forbidden, HttpError } from '../http/errors';
import {
  commentColumns, customerColumns, ticketColumns, toComment, toCustomer, toTicket,
  type CommentRow, type CustomerRow, type TicketRow,
} from '../tickets/rows';
import { scopeKey, scopePredicate, touchWindowMs } from '../tickets/scope';
import { clientReset, clientTtlMs } from './push';

/**
 * Cursor: `v1.<version>.<ms>.<scope>`: the change version the client holds everything up to, the
 * server time its scope was evaluated at (touches that expired since then become `removed`), and a
 * fingerprint of the user's role and teams. Opaque to the client.
 */
type Cursor = { version: number; at: number; scope: string };

const encodeCursor = (c: Cursor) => `v1.${c.version}.${c.at}.${c.scope}`;

/** A cursor's time is the server clock at a past pull; this much ahead is still a clock step back, not a forgery. */
const maxCursorSkewMs = 24 * 3_600_000;

function decodeCursor(raw: string, now: number): Cursor {
  const m = /^v1\.(\d{1,16})\.(\d{1,16})\.([0-9a-z]{1,16})$/.exec(raw);
  const cursor = m ? { version: Number(m[1]), at: Number(m[2]), scope: m[3]! } : null;
  // Sixteen digits pass the pattern but not Date (over 8.64e15 ms) nor a timestamp column: refuse them
  // here, or they fail later as "Invalid time value" (PGlite) or a timestamp syntax error (PostgreSQL).
  if (!cursor || !Number.isSafeInteger(cursor.version) || cursor.at > now + maxCursorSkewMs) {
    throw badRequest('Invalid body: cursor: not a cursor this server issued');
  }
  return cursor;
}

export const cursorReset = () =>
  new HttpError(409, 'cursor-reset', 'Your teams or role changed since the last sync; drop the cached tickets and pull again from a null cursor.');

export type PullOptions = { pageSize: number; now: () => number };

/** last_seen only has to be right to the hour for the 30-day retirement; refreshing it less often keeps pulls read-only. */
const lastSeenResolutionMs = 3_600_000;

/**
 * The client's last mutation id, registering an unknown client. A known client's pull writes nothing
 * unless its last_seen is an hour old: a poke's pull is then a read-only transaction with no WAL to
 * flush at commit, which is most of what a small pull costs on a durable server.
 */
async function registerClient(q: Queryable, actor: Actor, clientId: string, now: number): Promise<number> {
  const select = () =>
    q.query<{ user_id: string; last_mutation_id: string | number; last_seen: Date }>('select user_id, last_mutation_id, last_seen from sync_clients where client_id = $1', [clientId]);
  let row = (await select()).rows[0];
  if (!row) {
    await q.query('insert into sync_clients (client_id, user_id) values ($1, $2) on conflict (client_id) do nothing', [clientId, actor.userId]);
    row = (await select()).rows[0]!;
  }
  if (row.user_id !== actor.userId) throw forbidden(`Client ${clientId} belongs to another user.`);
  if (row.last_seen.getTime() < now - clientTtlMs) {
    throw clientReset(`Client ${clientId} was not seen for over 30 days and was retired; start a new client id.`);
  }
  if (row.last_seen.getTime() < now - lastSeenResolutionMs) {
    await q.query('update sync_clients set last_seen = $2 where client_id = $1', [clientId, new Date(now)]);
  }
  return Number(row.last_mutation_id);
}

type Versioned = { version: number } & ({ kind: 'ticket'; row: Ticket; customerId: string | null } | { kind: 'comment'; row: Comment } | { kind: 'customer'; row: Customer });

/**
 * One page of changes in the user's scope after the cursor. Runs in one REPEATABLE READ snapshot, so
 * `lastMutationId` and the rows agree; the high-water version is safe to hand out because writers
 * commit versions in order (0003-sync.sql).
 */
export async function pullPage(db: Db, actor: Actor, req: PullRequest, opts: PullOptions): Promise<PullResponse> {
  const now = opts.now();
  const cursor = req.cursor === null ? null : decodeCursor(req.cursor, now);
  const key = scopeKey(actor);
  if (cursor && cursor.scope !== key) throw cursorReset();
  const after = cursor?.version ?? 0;
  const n = opts.pageSize;

  return db.transaction(async (q) => {
    await q.query('set transaction isolation level repeatable read');
    const lastMutationId = await registerClient(q, actor, req.clientId, now);
    const hw = await q.query<{ v: string | number }>(
      `select greatest((select max(version) from tickets), (select max(version) from ticket_comments), (select max(version) from customers), 0) as v`,
    );
    const high = Number(hw.rows[0]!.v);

    const stream = async <R>(sql: (scope: string) => string): Promise<R[]> => {
      const params: unknown[] = [after, high, n + 1];
      const scope = scopePredicate(actor, now, params);
      return (await q.query<R & Record<string, unknown>>(sql(scope), params)).rows;
    };
    const tickets = await stream<TicketRow>(
      (scope) => `select ${ticketColumns} from tickets t where t.version > $1 and t.version <= $2 and ${scope} order by t.version limit $3`,
    );
    const comments = await stream<CommentRow>(
      (scope) => `select ${commentColumns} from ticket_comments c join tickets t on t.id = c.ticket_id
                  where c.version > $1 and c.version <= $2 and ${scope} order by c.version limit $3`,
    );
    // On a first sync every customer comes with its tickets (below); after that, changed ones in scope.
    const customers = cursor
      ? await stream<CustomerRow>(
          (scope) => `select ${customerColumns} from customers cu where cu.version > $1 and cu.version <= $2
                      and exists (select 1 from tickets t where t.customer_id = cu.id and ${scope}) order by cu.version limit $3`,
        )
      : [];

    const merged: Versioned[] = [
      ...tickets.map((r): Versioned => ({ version: Number(r.version), kind: 'ticket', row: toTicket(r), customerId: r.customer_id })),
      ...comments.map((r): Versioned => ({ version: Number(r.version), kind: 'comment', row: toComment(r) })),
      ...customers.map((r): Versioned => ({ version: Number(r.version), kind: 'customer', row: toCustomer(r) })),
    ].sort((a, b) => a.version - b.version);
    const more = merged.length > n;
    const page = merged.slice(0, n);
    const top = more ? page[page.length - 1]!.version : high;

    const res: PullResponse = { cursor: encodeCursor({ version: top, at: now, scope: key }), lastMutationId, tickets: [], customers: [], comments: [], removed: [], more };
    const customerIds = new Set<string>();
    for (const item of page) {
      if (item.kind === 'ticket') {
        res.tickets.push(item.row);
        if (item.customerId) customerIds.add(item.customerId);
      } else if (item.kind === 'comment') res.comments.push(item.row);
      else res.customers.push(item.row);
    }
    for (const c of res.customers) customerIds.delete(c.id);
    // A ticket that just entered the scope brings its customer even if that row did not change.
    if (customerIds.size > 0) {
      const { rows } = await q.query<CustomerRow>(`select ${customerColumns} from customers cu where cu.id = any($1::uuid[])`, [[...customerIds]]);
      res.customers.push(...rows.map(toCustomer));
    }
    if (cursor) {
      await addEnteredComments(q, res, after, top);
      res.removed = await removedSince(q, actor, cursor, top, now);
    } else {
      const params: unknown[] = [];
      const scope = scopePredicate(actor, now, params);
      const { rows } = await q.query<{ n: string | number }>(`select count(*) as n from tickets t where ${scope}`, params);
      res.estimatedTotal = Number(rows[0]!.n);
    }
    return res;
  });
}

/** Tickets that entered the scope by a move (reassigned to me, into my team) bring their older comments. */
async function addEnteredComments(q: Queryable, res: PullResponse, after: number, top: number): Promise<void> {
  if (res.tickets.length === 0) return;
  const { rows } = await q.query<CommentRow>(
    `select ${commentColumns} from ticket_comments c
     where c.ticket_id = any($1::uuid[]) and c.version <= $2
       and exists (select 1 from ticket_scope_changes sc where sc.ticket_id = c.ticket_id and sc.version > $2 and sc.version <= $3)
     order by c.version`,
    [res.tickets.map((t) => t.id), after, top],
  );
  res.comments.unshift(...rows.map(toComment));
}

/**
 * Tickets that left the user's scope since the cursor: moved away from them (assignee or team changed;
 * recorded by trigger in ticket_scope_changes), or whose touch expired. Only tickets that were in
 * their scope are named, so no ids of other teams' tickets leak.
 */
async function removedSince(q: Queryable, actor: Actor, cursor: Cursor, top: number, now: number): Promise<string[]> {
  if (actor.role === 'admin') return [];
  const params: unknown[] = [cursor.version, top, actor.userId, actor.teamIds];
  const wasMine =
    actor.role === 'lead'
      ? '(sc.old_assignee_id = $3 or sc.old_team_id = any($4::uuid[]))'
      : `(sc.old_assignee_id = $3 or (sc.old_assignee_id is null and sc.old_team_id = any($4::uuid[]))
          or exists (select 1 from ticket_touches tt where tt.ticket_id = sc.ticket_id and tt.user_id = $3))`;
  const scope = scopePredicate(actor, now, params);
  const moved = await q.query<{ id: string }>(
    `select distinct t.id from ticket_scope_changes sc join tickets t on t.id = sc.ticket_id
     where sc.version > $1 and sc.version <= $2 and ${wasMine} and not ${scope}`,
    params,
  );
  const ids = new Set(moved.rows.map((r) => r.id));
  if (actor.role === 'agent') {
    const p2: unknown[] = [actor.userId, new Date(cursor.at - touchWindowMs), new Date(now - touchWindowMs)];
    const scope2 = scopePredicate(actor, now, p2);
    const expired = await q.query<{ id: string }>(
      `select t.id from ticket_touches tt join tickets t on t.id = tt.ticket_id
       where tt.user_id = $1 and tt.touched_at > $2 and tt.touched_at <= $3 and not ${scope2}`,
      p2,
    );
    for (const r of expired.rows) ids.add(r.id);
  }
  return [...ids];
}
