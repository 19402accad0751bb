import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db';

export type SeededConversation = { id: string; ticketId: string; ticketNumber: number; customerId: string };

/**
 * A closed conversation as review finds it, written straight to the tables (tests, the e2e fixture and the
 * bench seed the past this way: the live chat path cannot create a conversation last month).
 */
export async function seedReviewConversation(
  db: Queryable,
  o: { teamId: string; agentId: string | null; at: Date; channel?: 'webchat' | 'messaging' | 'email' | 'voice'; customerName?: string; customerEmail?: string; tags?: string[]; subject?: string; csat?: number; messages?: { author: 'customer' | 'agent' | 'coach'; kind?: 'text' | 'note'; body: string }[] },
): Promise<SeededConversation> {
  const channel = o.channel ?? 'webchat';
  const customerId = randomUUID();
  await db.query('insert into customers (id, name, email) values ($1, $2, $3)', [customerId, o.customerName ?? 'Customer', o.customerEmail ?? null]);
  const { rows: q } = await db.query<{ id: string }>('select id from chat_queues where team_id = $1 order by created_at limit 1', [o.teamId]);
  const queueId = q[0]?.id ?? randomUUID();
  if (!q[0]) await db.query("insert into chat_queues (id, name, team_id) values ($1, 'Review seed', $2)", [queueId, o.teamId]);
  const ticketChannel = channel === 'webchat' ? 'chat' : channel;
  const { rows: t } = await db.query<{ id: string; number: number }>(
    'insert into tickets (subject, team_id, assignee_id, customer_id, channel, tags, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7) returning id, number',
    [o.subject ?? 'Question', o.teamId, o.agentId, customerId, ticketChannel, o.tags ?? [], o.at],
  );
  const ticket = t[0]!;
  const id = randomUUID();
  const messages = o.messages ?? [];
  await db.query(
    `insert into conversations (id, ticket_id, channel, customer_id, queue_id, team_id, assignee_id, state, language, last_seq, created_at, last_message_at, closed_at)
     values ($1, $2, $3, $4, $5, $6, $7, 'closed', 'en', $8, $9, $9, $9::timestamptz + interval '10 minutes')`,
    [id, ticket.id, channel, customerId, queueId, o.teamId, o.agentId, messages.length, o.at],
  );
  for (const [i, m] of messages.entries()) {
    await db.query('insert into chat_messages (id, conversation_id, seq, author, author_id, kind, body, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
      randomUUID(), id, i + 1, m.author, m.author === 'customer' ? null : o.agentId, m.kind ?? 'text', m.body, new Date(o.at.getTime() + (i + 1) * 1000),
    ]);
  }
  if (o.csat !== undefined) {
    await db.query("insert into survey_responses (conversation_id, ticket_id, liked, disliked, improve, score, created_at) values ($1, $2, 'quick', '', '', $3, $4)", [id, ticket.id, o.csat, o.at]);
  }
  return { id, ticketId: ticket.id, ticketNumber: ticket.number, customerId };
}
