import { ContactEvent, PresenceChange } from '../../core/kpi/contactEvents';
import type { Queryable } from '../db/db';

/**
 * Writers of the KPI history. Both run inside the caller's transaction (pass the `tx`), so a figure is
 * written exactly when the change it describes commits: never lost on a rollback, never doubled on a retry
 * the caller already recognises as a duplicate.
 */

/** Appends one contact event (core/kpi/contactEvents.ts). A malformed event is a programming error and throws. */
export async function recordContactEvent(q: Queryable, event: ContactEvent): Promise<void> {
  const e = ContactEvent.parse(event);
  await q.query(
    `insert into contact_events (at, team_id, agent_id, customer_id, contact_id, ticket_id, channel, kind, data)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.at, e.teamId, e.agentId, e.customerId, e.contactId, e.ticketId, e.channel, e.kind, JSON.stringify(e.data)],
  );
}

/**
 * Records that `userId` is now in `state` (with `reason`, e.g. the break reason) in each of `teamIds`: the
 * open stretch of another state (or reason, or of a team the user has left) ends at `at`, and a new one
 * starts. Reporting the state the user is already in changes nothing, so the app may repeat it freely
 * (the coaching live report does every 15 s).
 */
export async function recordPresenceChange(q: Queryable, change: PresenceChange): Promise<void> {
  const c = PresenceChange.parse(change);
  const keepReason = c.reason === undefined;
  await q.query(
    `update presence_log set ended_at = greatest($4::timestamptz, started_at)
     where user_id = $1 and ended_at is null
       and (state <> $2 or (not $6 and reason is distinct from $3) or not (team_id = any($5::uuid[])))`,
    [c.userId, c.state, c.reason ?? null, c.at, c.teamIds, keepReason],
  );
  if (c.teamIds.length === 0) return;
  await q.query(
    `insert into presence_log (user_id, team_id, state, reason, started_at)
     select $1, t, $2, $3, $4 from unnest($5::uuid[]) t
     on conflict (user_id, team_id) where ended_at is null do nothing`,
    [c.userId, c.state, c.reason ?? null, c.at, c.teamIds],
  );
}
