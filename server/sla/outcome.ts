import type { TimerKind } from '../../core/sla/policy';
import type { ContactChannel } from '../../core/kpi/contactEvents';
import type { Queryable } from '../db/db';
import { recordContactEvent } from '../kpi/events';

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

/** A ticket's channel as the contact event log names it (web and in-app chat tickets are web chats). */
const contactChannel = (channel: string): ContactChannel => (channel === 'messaging' || channel === 'email' || channel === 'voice' ? channel : 'webchat');

/**
 * Called once per timer, inside the transaction that decided its outcome (a response, a status change, or
 * the scanner marking it missed), so the `sla_met` / `sla_missed` contact event (the KPIs' "SLA met")
 * commits with the timer's state and is never recorded twice: the scanner's row lock and the `state` check
 * before the call make the outcome final once. The contact is the ticket's latest conversation, or the
 * ticket itself when it has none (a ticket made in the app).
 */
export async function onSlaOutcome(tx: Queryable, outcome: SlaOutcome): Promise<void> {
  const { rows } = await tx.query<{ customer_id: string | null; channel: string; conversation_id: string | null }>(
    `select t.customer_id, t.channel,
            (select c.id from conversations c where c.ticket_id = t.id order by c.created_at desc limit 1) as conversation_id
     from tickets t where t.id = $1`,
    [outcome.ticketId],
  );
  const ticket = rows[0];
  if (!ticket) return;
  await recordContactEvent(tx, {
    kind: outcome.outcome === 'met' ? 'sla_met' : 'sla_missed',
    at: outcome.at,
    teamId: outcome.teamId,
    agentId: outcome.assigneeId,
    customerId: ticket.customer_id,
    contactId: ticket.conversation_id ?? outcome.ticketId,
    ticketId: outcome.ticketId,
    channel: contactChannel(ticket.channel),
    data: { timer: outcome.kind },
  });
}
