import type { Actor } from '../../core/tickets/scope';
import type { Role } from '../../core/wire/auth';
import type { Queryable } from '../db/db';

/**
 * Pull scope: which tickets a user's clients hold and are kept current on.
 *   agent: assigned to me, my teams' unassigned queue, and tickets I touched in the last 7 days;
 *   lead:  every ticket of the teams I lead, and tickets assigned to me;
 *   admin: everything.
 * It is narrower than core's `canRead` for agents (a teammate's ticket stays readable by id, for a
 * caller's history, but is not synced), so a mutation on it is allowed by the mutators and then keeps
 * the ticket in scope through the touch it leaves.
 */
export const touchWindowMs = 7 * 24 * 3_600_000;

export async function loadActor(db: Queryable, userId: string): Promise<Actor | null> {
  const { rows } = await db.query<{ role: Role; team_ids: string[] }>(
    `select u.role, coalesce(array_agg(m.team_id) filter (where m.team_id is not null), '{}') as team_ids
     from users u left join team_members m on m.user_id = u.id where u.id = $1 and not u.disabled group by u.id`,
    [userId],
  );
  const row = rows[0];
  return row ? { userId, role: row.role, teamIds: [...row.team_ids].sort() } : null;
}

/**
 * The scope as a SQL predicate over ticket alias `t`, with its parameters appended to `params`
 * (so callers compose it into larger queries). `now` is the server clock in ms.
 */
export function scopePredicate(actor: Actor, now: number, params: unknown[], alias = 't'): string {
  if (actor.role === 'admin') return 'true';
  const p = (value: unknown) => `$${params.push(value)}`;
  const user = p(actor.userId);
  const teams = p(actor.teamIds);
  if (actor.role === 'lead') return `(${alias}.team_id = any(${teams}::uuid[]) or ${alias}.assignee_id = ${user})`;
  const since = p(new Date(now - touchWindowMs));
  return `(${alias}.assignee_id = ${user}
    or (${alias}.assignee_id is null and ${alias}.team_id = any(${teams}::uuid[]))
    or exists (select 1 from ticket_touches tt where tt.ticket_id = ${alias}.id and tt.user_id = ${user} and tt.touched_at > ${since}))`;
}

/** A short fingerprint of what the scope depends on besides ticket rows; a cursor is valid only under the same one. */
export function scopeKey(actor: Actor): string {
  const text = `${actor.role}:${actor.teamIds.join(',')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/**
 * Customers the actor may name and see: those with a ticket in one of the actor's teams (every customer
 * comes with a ticket: chat, e-mail and calls create both); admins: all. As a SQL predicate over customer
 * alias `cu`, parameters appended to `params`. Used by push (createTicket) and call reports.
 */
export function customerScopePredicate(actor: Actor, params: unknown[], alias = 'cu'): string {
  if (actor.role === 'admin') return 'true';
  params.push(actor.teamIds);
  return `exists (select 1 from tickets ct where ct.customer_id = ${alias}.id and ct.team_id = any($${params.length}::uuid[]))`;
}
