import { truncateText } from '../../core/chat/safeText';
import type { Locale } from '../../core/locale';
import { limits } from '../../core/tickets/model';
import type { Channel } from '../../core/wire/chat';
import type { SurveyRequest } from '../../core/wire/chatWidget';
import type { Queryable } from '../db/db';
import { recordStatus, startTicketTimers } from '../sla/timers';
import type { TicketTouch } from './routing';

/**
 * The ticket side of a conversation. Chat messages live in their own table (ordered by seq, with
 * receipts); the ticket gets what a ticket reader needs: the customer, the team, the assignee, a
 * transcript when the chat closes and the survey answers. Every write here goes through the ticket
 * tables, whose triggers (0003-sync.sql) stamp sync versions, so clients pull the change like any other.
 */

const ticketChannel: Record<Channel, string> = { webchat: 'chat', messaging: 'messaging', email: 'email', voice: 'voice' };

export type NewCustomer = { name: string; language: Locale; country: string | null; email?: string | null };

export async function createCustomerAndTicket(
  tx: Queryable,
  input: { channel: Channel; customer: NewCustomer; teamId: string; now: Date },
): Promise<{ customerId: string; ticketId: string; slaDue: Date | null }> {
  const { rows: c } = await tx.query<{ id: string }>(
    'insert into customers (name, email, language, country, created_at, updated_at) values ($1, $2, $3, $4, $5, $5) returning id',
    [input.customer.name, input.customer.email ?? null, input.customer.language, input.customer.country, input.now],
  );
  const customerId = c[0]!.id;
  const label = { webchat: 'Chat', messaging: 'Message', email: 'Email', voice: 'Call' }[input.channel];
  const subject = truncateText(`${label} with ${input.customer.name}`, limits.subject).text;
  const { rows: t } = await tx.query<{ id: string }>(
    `insert into tickets (subject, status, priority, customer_id, team_id, channel, created_at, updated_at)
     values ($1, 'new', 'normal', $2, $3, $4, $5, $5) returning id`,
    [subject, customerId, input.teamId, ticketChannel[input.channel], input.now],
  );
  const ticketId = t[0]!.id;
  // The team's SLA policy for the channel starts the first-response and resolution timers (server/sla/timers.ts).
  const { firstResponseDue } = await startTicketTimers(tx, { id: ticketId, teamId: input.teamId, channel: ticketChannel[input.channel], priority: 'normal', now: input.now });
  return { customerId, ticketId, slaDue: firstResponseDue };
}

async function touchOf(tx: Queryable, ticketId: string): Promise<TicketTouch> {
  const { rows } = await tx.query<{ team_id: string | null; assignee_id: string | null }>('select team_id, assignee_id from tickets where id = $1', [ticketId]);
  const row = rows[0];
  return { ticketId, teamIds: row?.team_id ? [row.team_id] : [], userIds: row?.assignee_id ? [row.assignee_id] : [] };
}

/** On close: the transcript as an internal comment (customer-visible messages only), ticket solved. */
export async function writeTranscript(tx: Queryable, conversationId: string, ticketId: string, authorId: string | null, now: Date): Promise<TicketTouch> {
  const { rows } = await tx.query<{ author: string; author_name: string | null; body: string; kind: string; created_at: Date }>(
    `select author, author_name, body, kind, created_at from chat_messages
     where conversation_id = $1 and kind in ('text', 'attachment', 'event') order by seq`,
    [conversationId],
  );
  const lines = rows.map((m) => `[${m.created_at.toISOString().slice(11, 16)}] ${m.author_name ?? m.author}: ${m.body}`);
  const body = truncateText(`Chat transcript (${rows.length} messages)\n\n${lines.join('\n')}`, limits.commentBody).text;
  await tx.query("insert into ticket_comments (ticket_id, author_id, kind, body, created_at) values ($1, $2, 'internal', $3, $4)", [ticketId, authorId, body, now]);
  await tx.query("update tickets set status = case when status in ('solved', 'closed') then status else 'solved' end, updated_at = $2 where id = $1", [ticketId, now]);
  await recordStatus(tx, ticketId, 'solved', now);
  return touchOf(tx, ticketId);
}

export const csatTag = (score: number) => `csat:${score}`;

/** The survey answers as an internal comment and a `csat:N` tag (an earlier csat tag is replaced). */
export async function writeSurvey(tx: Queryable, ticketId: string, survey: Required<SurveyRequest>, now: Date): Promise<TicketTouch> {
  const body = [
    `Customer satisfaction survey: ${survey.score}/5`,
    `What did you like? ${survey.liked || '—'}`,
    `What didn't you like? ${survey.disliked || '—'}`,
    `How can we improve? ${survey.improve || '—'}`,
  ].join('\n');
  await tx.query("insert into ticket_comments (ticket_id, author_id, kind, body, created_at) values ($1, null, 'internal', $2, $3)", [ticketId, body, now]);
  await tx.query(
    `update tickets set tags = array_append(array(select t from unnest(tags) t where t not like 'csat:%'), $2), updated_at = $3 where id = $1`,
    [ticketId, csatTag(survey.score), now],
  );
  return touchOf(tx, ticketId);
}

export async function moveTicket(tx: Queryable, ticketId: string, teamId: string, now: Date): Promise<TicketTouch> {
  const before = await touchOf(tx, ticketId);
  await tx.query('update tickets set team_id = $2, assignee_id = null, updated_at = $3 where id = $1', [ticketId, teamId, now]);
  // Its running SLA timers go with it: their alarms are for the new team's leads, not the old team's.
  await tx.query("update sla_timers set team_id = $2 where ticket_id = $1 and (state in ('active', 'paused') or stopped_at is null)", [ticketId, teamId]);
  return { ticketId, teamIds: [...before.teamIds, teamId], userIds: before.userIds };
}
