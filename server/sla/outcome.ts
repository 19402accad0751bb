import type { TimerKind } from '../../core/sla/policy';
import type { Queryable } from '../db/db';

/** A timer reached its end: `met` (the response or resolution came in time) or `missed` (its due time passed). */
export type SlaOutcome = {
  timerId: string;
  ticketId: string;
  teamId: string;
  kind: TimerKind;
  outcome: 'met' | 'missed';
  at: Date;
  /** The ticket's assignee at that moment (null: still in the queue). */
  assigneeId: string | null;
};

/**
 * Called once per timer, inside the transaction that decided its outcome (a response, a status change, or
 * the scanner marking it missed), so whatever is recorded here commits with the timer's state and is never
 * recorded twice: the scanner's row lock and the `state` check before the call make the outcome final once.
 *
 * This is where the contact event log (issue 14's `contact_events`, built in parallel) records `sla_met` /
 * `sla_missed`: insert the event with `tx`, not with a separate connection.
 */
export async function onSlaOutcome(_tx: Queryable, _outcome: SlaOutcome): Promise<void> {
  // Nothing else to record yet: the timer row itself holds the outcome (sla_timers.state, stopped_at).
}
