import { type BusinessCalendar, NeverOpenError, addBusinessTime, alwaysOpen, businessTimeBetween } from '../../core/sla/businessTime';
import { type EffectivePolicy, type SlaChannel, type SlaPriority, type TimerKind, fallbackPolicy, matchPolicy } from '../../core/sla/policy';
import type { TicketPriority } from '../../core/tickets/model';
import type { Queryable } from '../db/db';
import { type SlaOutcome, onSlaOutcome } from './outcome';

/**
 * SLA timers of tickets, written inside the transaction of whatever changed the ticket (a chat message,
 * a sync push, a call report), so a timer and the event that moves it commit together. The scanner
 * (scanner.ts) only turns due timers into `missed` and raises alarms; everything else happens here.
 *
 *   ticket created ─► first_response + resolution started (the team's matching policy, or the fallback)
 *   agent responds ─► first_response met (or, if missed, stopped); next_response met/stopped
 *   customer writes after a response ─► next_response started (when the policy has one)
 *   ticket pending ─► running timers paused with their business time left; leaves pending ─► resumed
 *   ticket solved/closed ─► resolution met/stopped, all other running timers stopped
 *
 * The ticket's `sla_first_response_due` / `sla_resolution_due` (what the app shows as "Due in" / "Overdue")
 * mirror the running timers and are cleared when a timer stops or pauses: answered tickets never show
 * Overdue again. The chat row's `sla_due_at` follows the first-response timer the same way.
 */

type TimerRow = {
  id: string;
  ticket_id: string;
  team_id: string;
  kind: TimerKind;
  state: 'active' | 'paused' | 'met' | 'missed' | 'abandoned';
  target_seconds: number;
  warn_percent: number;
  business_hours: boolean;
  due_at: Date | null;
  warn_at: Date | null;
  remaining_ms: string | null;
  stopped_at: Date | null;
};

export async function loadCalendar(tx: Queryable, teamId: string): Promise<BusinessCalendar> {
  const [{ rows: team }, { rows: hours }, { rows: holidays }] = [
    await tx.query<{ time_zone: string }>('select time_zone from teams where id = $1', [teamId]),
    await tx.query<{ weekday: number; start_minute: number; end_minute: number }>('select weekday, start_minute, end_minute from team_business_hours where team_id = $1', [teamId]),
    await tx.query<{ day: string }>("select to_char(day, 'YYYY-MM-DD') as day from team_holidays where team_id = $1", [teamId]),
  ];
  return {
    timeZone: team[0]?.time_zone ?? 'UTC',
    hours: hours.map((h) => ({ weekday: h.weekday, start: h.start_minute, end: h.end_minute })),
    holidays: holidays.map((h) => h.day),
  };
}

/** A row of `sla_policies` (settings.ts reads the same rows for the editor). */
export type PolicyRow = {
  id: string;
  channel: SlaChannel;
  priority: SlaPriority;
  first_response_seconds: number;
  next_response_seconds: number | null;
  resolution_seconds: number | null;
  warn_percent: number;
  business_hours: boolean;
  escalate_after_seconds: number;
  escalation_user_id: string | null;
  escalate_again_after_seconds: number | null;
};

/** A policy row as the timers use it. */
export const effectiveOf = (p: PolicyRow): EffectivePolicy => ({
  id: p.id,
  firstResponseSeconds: p.first_response_seconds,
  nextResponseSeconds: p.next_response_seconds,
  resolutionSeconds: p.resolution_seconds,
  warnPercent: p.warn_percent,
  businessHours: p.business_hours,
  escalateAfterSeconds: p.escalate_after_seconds,
  escalationUserId: p.escalation_user_id,
  escalateAgainAfterSeconds: p.escalate_again_after_seconds,
});

export async function policyFor(tx: Queryable, teamId: string, channel: string, priority: TicketPriority): Promise<EffectivePolicy> {
  const { rows } = await tx.query<PolicyRow>('select * from sla_policies where team_id = $1', [teamId]);
  const p = matchPolicy(rows, channel, priority);
  return p ? effectiveOf(p) : fallbackPolicy(channel, priority);
}

/** When the warning is due: at `warnPercent` of the target, counted like the target. */
const warnShare = (targetMs: number, warnPercent: number) => Math.max(1, Math.round((targetMs * warnPercent) / 100));

function safeAdd(calendar: BusinessCalendar, start: number, ms: number): number {
  try {
    return addBusinessTime(calendar, start, ms);
  } catch (err) {
    // A calendar with no open time in two years: count around the clock rather than never alarm.
    if (err instanceof NeverOpenError) return start + ms;
    throw err;
  }
}

async function startTimer(tx: Queryable, t: { ticketId: string; teamId: string; kind: TimerKind; targetSeconds: number; policy: EffectivePolicy; now: Date }): Promise<Date> {
  const calendar = t.policy.businessHours ? await loadCalendar(tx, t.teamId) : alwaysOpen;
  const start = t.now.getTime();
  const targetMs = t.targetSeconds * 1000;
  const due = new Date(safeAdd(calendar, start, targetMs));
  const warn = new Date(safeAdd(calendar, start, warnShare(targetMs, t.policy.warnPercent)));
  await tx.query(
    `insert into sla_timers (ticket_id, team_id, policy_id, kind, state, target_seconds, warn_percent, business_hours,
       escalate_after_seconds, escalation_user_id, escalate_again_after_seconds, started_at, due_at, warn_at)
     values ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $13, $10, $11, $12)
     on conflict do nothing`,
    [t.ticketId, t.teamId, t.policy.id, t.kind, t.targetSeconds, t.policy.warnPercent, t.policy.businessHours, t.policy.escalateAfterSeconds, t.policy.escalationUserId, t.now, due, warn, t.policy.escalateAgainAfterSeconds ?? null],
  );
  return due;
}

/** A new ticket's first-response and resolution timers; the ticket's due columns are set to match. */
export async function startTicketTimers(tx: Queryable, ticket: { id: string; teamId: string | null; channel: string; priority: TicketPriority; now: Date }): Promise<{ firstResponseDue: Date | null; resolutionDue: Date | null }> {
  if (!ticket.teamId) return { firstResponseDue: null, resolutionDue: null };
  const policy = await policyFor(tx, ticket.teamId, ticket.channel, ticket.priority);
  const base = { ticketId: ticket.id, teamId: ticket.teamId, policy, now: ticket.now };
  const firstResponseDue = await startTimer(tx, { ...base, kind: 'first_response', targetSeconds: policy.firstResponseSeconds });
  const resolutionDue = policy.resolutionSeconds ? await startTimer(tx, { ...base, kind: 'resolution', targetSeconds: policy.resolutionSeconds }) : null;
  await mirror(tx, ticket.id);
  return { firstResponseDue, resolutionDue };
}

async function running(tx: Queryable, ticketId: string, kinds: readonly TimerKind[]): Promise<TimerRow[]> {
  const { rows } = await tx.query<TimerRow>(
    `select * from sla_timers where ticket_id = $1 and kind = any($2::text[])
       and (state in ('active', 'paused') or (state = 'missed' and stopped_at is null))
     for update`,
    [ticketId, kinds],
  );
  return rows;
}

async function assigneeOf(tx: Queryable, ticketId: string): Promise<string | null> {
  const { rows } = await tx.query<{ assignee_id: string | null }>('select assignee_id from tickets where id = $1', [ticketId]);
  return rows[0]?.assignee_id ?? null;
}

/** Stops running timers: met when on time, otherwise (missed already, or due passed unseen) just stopped. */
async function stop(tx: Queryable, timers: TimerRow[], now: Date): Promise<void> {
  for (const t of timers) {
    const onTime = t.state === 'paused' || (t.state === 'active' && t.due_at !== null && t.due_at.getTime() > now.getTime());
    if (t.state === 'missed') {
      await tx.query('update sla_timers set stopped_at = $2 where id = $1', [t.id, now]);
      continue;
    }
    const state = onTime ? 'met' : 'missed';
    await tx.query('update sla_timers set state = $2, stopped_at = $3 where id = $1', [t.id, state, now]);
    await onSlaOutcome(tx, { timerId: t.id, ticketId: t.ticket_id, teamId: t.team_id, kind: t.kind, outcome: state, at: now, assigneeId: await assigneeOf(tx, t.ticket_id) });
  }
}

/**
 * The customer left before any agent answered (an abandoned contact): the ticket's running timers end with
 * no outcome, so neither "met" nor "missed" counts a contact nobody could answer. A timer that already
 * breached stays missed (the breach happened while the customer was still waiting).
 */
export async function abandonTimers(tx: Queryable, ticketId: string, now: Date): Promise<void> {
  const timers = await running(tx, ticketId, ['first_response', 'next_response', 'resolution']);
  if (timers.length === 0) return;
  for (const t of timers) {
    if (t.state === 'missed') await tx.query('update sla_timers set stopped_at = $2 where id = $1', [t.id, now]);
    else await tx.query("update sla_timers set state = 'abandoned', stopped_at = $2, due_at = null, warn_at = null where id = $1", [t.id, now]);
  }
  await mirror(tx, ticketId);
}

/** The ticket's (and its chat's) due columns from its running timers. */
export async function mirror(tx: Queryable, ticketId: string): Promise<void> {
  const running = "(s.state = 'active' or (s.state = 'missed' and s.stopped_at is null))";
  await tx.query(
    `with due as (
       select (select min(due_at) from sla_timers s where s.ticket_id = $1 and s.kind in ('first_response', 'next_response') and ${running}) as response,
              (select min(due_at) from sla_timers s where s.ticket_id = $1 and s.kind = 'resolution' and ${running}) as resolution)
     update tickets t set sla_first_response_due = due.response, sla_resolution_due = due.resolution from due
     where t.id = $1 and (t.sla_first_response_due is distinct from due.response or t.sla_resolution_due is distinct from due.resolution)`,
    [ticketId],
  );
  await tx.query(
    `update conversations c set sla_due_at = t.sla_first_response_due from tickets t
     where c.ticket_id = t.id and t.id = $1 and c.sla_due_at is distinct from t.sla_first_response_due`,
    [ticketId],
  );
}

/**
 * A response to the customer (what counts per channel: core/sla/policy.ts): first and next response stop.
 * Returns true when a timer stopped (the ticket's due columns changed: poke its viewers).
 */
export async function recordResponse(tx: Queryable, ticketId: string, now: Date): Promise<boolean> {
  const timers = await running(tx, ticketId, ['first_response', 'next_response']);
  if (timers.length === 0) return false;
  await stop(tx, timers, now);
  await mirror(tx, ticketId);
  return true;
}

/** A customer message: once the first response is done, it starts the wait for the next response. */
export async function recordCustomerMessage(tx: Queryable, ticketId: string, now: Date): Promise<boolean> {
  if ((await running(tx, ticketId, ['first_response', 'next_response'])).length > 0) return false;
  const { rows } = await tx.query<{ team_id: string | null; channel: string; priority: TicketPriority; status: string }>('select team_id, channel, priority, status from tickets where id = $1', [ticketId]);
  const ticket = rows[0];
  if (!ticket?.team_id || ticket.status === 'solved' || ticket.status === 'closed') return false;
  const { rows: answered } = await tx.query<{ n: number }>("select 1 as n from sla_timers where ticket_id = $1 and kind = 'first_response' limit 1", [ticketId]);
  if (!answered[0]) return false;
  const policy = await policyFor(tx, ticket.team_id, ticket.channel, ticket.priority);
  if (!policy.nextResponseSeconds) return false;
  await startTimer(tx, { ticketId, teamId: ticket.team_id, kind: 'next_response', targetSeconds: policy.nextResponseSeconds, policy, now });
  await mirror(tx, ticketId);
  return true;
}

/** The ticket's status changed: pause while pending, resume after, stop everything when solved or closed. */
export async function recordStatus(tx: Queryable, ticketId: string, status: string, now: Date): Promise<void> {
  const timers = await running(tx, ticketId, ['first_response', 'next_response', 'resolution']);
  if (timers.length === 0) return;
  if (status === 'solved' || status === 'closed') {
    await stop(tx, timers, now);
  } else if (status === 'pending') {
    for (const t of timers.filter((x) => x.state === 'active' && x.due_at)) {
      const calendar = t.business_hours ? await loadCalendar(tx, t.team_id) : alwaysOpen;
      const left = businessTimeBetween(calendar, now.getTime(), t.due_at!.getTime());
      await tx.query("update sla_timers set state = 'paused', remaining_ms = $2, due_at = null, warn_at = null where id = $1", [t.id, left]);
    }
  } else {
    for (const t of timers.filter((x) => x.state === 'paused')) {
      const calendar = t.business_hours ? await loadCalendar(tx, t.team_id) : alwaysOpen;
      const left = Number(t.remaining_ms ?? 0);
      const targetMs = t.target_seconds * 1000;
      const due = safeAdd(calendar, now.getTime(), left);
      // The warning point is where it was in the target: `left` minus the part after it.
      const warn = safeAdd(calendar, now.getTime(), Math.max(0, left - (targetMs - warnShare(targetMs, t.warn_percent))));
      await tx.query("update sla_timers set state = 'active', remaining_ms = null, due_at = $2, warn_at = $3 where id = $1", [t.id, new Date(due), new Date(warn)]);
    }
  }
  await mirror(tx, ticketId);
}

/** The target a policy sets for a kind of timer (null: the policy has none of that kind). */
function targetOf(p: EffectivePolicy, kind: TimerKind): number | null {
  return kind === 'first_response' ? p.firstResponseSeconds : kind === 'next_response' ? p.nextResponseSeconds : p.resolutionSeconds;
}

const sameCalendar = (a: BusinessCalendar, b: BusinessCalendar) => JSON.stringify(a) === JSON.stringify(b);

/**
 * After a team's SLA settings were saved (same transaction): every running timer of the team is re-timed to
 * the policy that now matches its ticket, keeping the business time it has already used. A first-response
 * target cut from 4 h to 1 h on a ticket waiting 30 min leaves 30 min; one already waiting longer falls due
 * now (the scanner raises the breach at its next scan). The time used is measured on the old calendar and
 * what is left is counted on the new one, so new hours, holidays or time zone move the due time too. A
 * paused timer keeps its pause, with what is left re-computed. A policy that no longer has that kind of
 * target (no next-response target any more) leaves the timer as it was; a missed timer stays missed.
 * Alarms stay once per (timer, level): a warning already raised is not raised again. Returns the tickets
 * whose due times moved (their viewers are poked).
 */
export async function retimeRunning(tx: Queryable, teamId: string, before: BusinessCalendar, now: Date): Promise<string[]> {
  const { rows } = await tx.query<
    TimerRow & { channel: string; priority: TicketPriority; escalate_after_seconds: number; escalation_user_id: string | null; escalate_again_after_seconds: number | null; policy_id: string | null }
  >(
    `select s.*, t.channel, t.priority from sla_timers s join tickets t on t.id = s.ticket_id
     where s.team_id = $1 and s.state in ('active', 'paused') for update of s`,
    [teamId],
  );
  if (rows.length === 0) return [];
  const { rows: policies } = await tx.query<PolicyRow>('select * from sla_policies where team_id = $1', [teamId]);
  const after = await loadCalendar(tx, teamId);
  const calendarChanged = !sameCalendar(before, after);
  const touched = new Set<string>();
  for (const t of rows) {
    const p = matchPolicy(policies, t.channel, t.priority);
    const policy = p ? effectiveOf(p) : fallbackPolicy(t.channel, t.priority);
    const targetSeconds = targetOf(policy, t.kind);
    if (targetSeconds === null) continue;
    const unchanged =
      targetSeconds === t.target_seconds && policy.warnPercent === t.warn_percent && policy.businessHours === t.business_hours &&
      policy.escalateAfterSeconds === t.escalate_after_seconds && policy.escalationUserId === t.escalation_user_id &&
      (policy.escalateAgainAfterSeconds ?? null) === t.escalate_again_after_seconds && !(calendarChanged && t.business_hours);
    if (unchanged) continue;
    const oldCalendar = t.business_hours ? before : alwaysOpen;
    const newCalendar = policy.businessHours ? after : alwaysOpen;
    const oldTargetMs = t.target_seconds * 1000;
    const leftBefore = t.state === 'paused' ? Number(t.remaining_ms ?? 0) : Math.max(0, businessTimeBetween(oldCalendar, now.getTime(), t.due_at!.getTime()));
    const used = Math.max(0, oldTargetMs - leftBefore);
    const targetMs = targetSeconds * 1000;
    const left = Math.max(0, targetMs - used);
    const params = [t.id, policy.id, targetSeconds, policy.warnPercent, policy.businessHours, policy.escalateAfterSeconds, policy.escalationUserId, policy.escalateAgainAfterSeconds ?? null];
    if (t.state === 'paused') {
      await tx.query(
        `update sla_timers set policy_id = $2, target_seconds = $3, warn_percent = $4, business_hours = $5, escalate_after_seconds = $6,
           escalation_user_id = $7, escalate_again_after_seconds = $8, remaining_ms = $9 where id = $1`,
        [...params, left],
      );
    } else {
      const due = left === 0 ? now.getTime() : safeAdd(newCalendar, now.getTime(), left);
      const warnLeft = Math.max(0, left - (targetMs - warnShare(targetMs, policy.warnPercent)));
      const warn = warnLeft === 0 ? now.getTime() : safeAdd(newCalendar, now.getTime(), warnLeft);
      await tx.query(
        `update sla_timers set policy_id = $2, target_seconds = $3, warn_percent = $4, business_hours = $5, escalate_after_seconds = $6,
           escalation_user_id = $7, escalate_again_after_seconds = $8, due_at = $9, warn_at = $10 where id = $1`,
        [...params, new Date(due), new Date(warn)],
      );
    }
    touched.add(t.ticket_id);
  }
  for (const ticketId of touched) await mirror(tx, ticketId);
  return [...touched];
}

export type { SlaOutcome };
