import { randomUUID } from 'node:crypto';
import type { Locale } from '../../core/locale';
import type { QueueMode } from '../../core/wire/chat';
import type { Queryable } from '../db/db';
import { HttpError } from '../http/errors';
import { conflict } from './errors';
import { type ConversationRow, loadConversationRow, toConversation } from './rows';
import { appendEvent, emitConversation, eventMessage, insertMessage } from './store';
import { contactEvent, waitingSince } from './contactEvents';

/**
 * Routing: which queue a new conversation joins (by skill), and which agent it is offered to.
 *
 *   queued ──offer──▶ offered ──accept──▶ active ──close──▶ closed
 *     ▲  ◀──decline / timeout──┘            │
 *     └──────── transfer to a queue ────────┘     (transfer to an agent: active ──▶ offered to them)
 *
 * An offer goes to an `available` member of the queue's team with spare capacity (active chats plus
 * offers pending count against the limit), not on a queue call (unless the team allows chats during calls),
 * who has not declined this conversation: fewest chats first,
 * then the one available longest. Several offers may be pending at once: an agent with free slots who
 * lets one offer ring must not leave the next customer waiting in the queue until it lapses. A queue in `auto` mode assigns instead of offering. Nobody free: it waits
 * `queued`, visible to the whole team (the unassigned queue); anyone in the team may claim it.
 * Routing decisions take one advisory lock, so two offers cannot both take an agent's last slot.
 * A transaction that routes takes this lock before it appends any chat event (store.ts's event lock).
 */

export const defaultMaxChats = 3;
const routingLock = [7600, 3] as const;

export const lockRouting = (tx: Queryable) => tx.query('select pg_advisory_xact_lock($1, $2)', routingLock);

export type QueueRow = {
  id: string;
  name: string;
  team_id: string;
  language: Locale | null;
  country: string | null;
  product: string | null;
  mode: QueueMode;
  offer_timeout_seconds: number;
};

export type Skills = { language: Locale; country?: string | null; product?: string | null };

/** The most specific queue whose every set skill matches (language counts most, then product, then country). */
export async function pickQueue(q: Queryable, skills: Skills): Promise<QueueRow> {
  const { rows } = await q.query<QueueRow>(
    `select * from chat_queues
     where (language is null or language = $1)
       and (country is null or country = $2)
       and (product is null or lower(product) = lower($3))
     order by (language is not null)::int * 4 + (product is not null)::int * 2 + (country is not null)::int desc, created_at, id
     limit 1`,
    [skills.language, skills.country ?? null, skills.product ?? null],
  );
  if (!rows[0]) throw new HttpError(503, 'unavailable', 'No chat queue serves this language right now.');
  return rows[0];
}

export async function loadQueue(q: Queryable, id: string): Promise<QueueRow | null> {
  const { rows } = await q.query<QueueRow>('select * from chat_queues where id = $1', [id]);
  return rows[0] ?? null;
}

/** Active chats and the limit of one agent. */
export async function capacityOf(q: Queryable, userId: string): Promise<{ active: number; max: number }> {
  const { rows } = await q.query<{ active: number; max: number }>(
    `select (select count(*)::int from conversations where assignee_id = $1 and state = 'active') as active,
            coalesce((select max_chats from agent_capacity where user_id = $1), $2::int) as max`,
    [userId, defaultMaxChats],
  );
  return rows[0]!;
}

async function nextAgent(q: Queryable, conv: ConversationRow): Promise<{ id: string } | null> {
  const { rows } = await q.query<{ id: string }>(
    `select u.id from team_members m
     join users u on u.id = m.user_id and not u.disabled and u.role in ('agent', 'lead')
     join agent_presence p on p.user_id = u.id and p.presence = 'available'
     cross join lateral (select count(*)::int as n from conversations a where a.assignee_id = u.id and a.state = 'active') act
     cross join lateral (select count(*)::int as n from conversations o where o.offered_to_id = u.id and o.id <> $2) pend
     where m.team_id = $1
       and act.n + pend.n < coalesce((select max_chats from agent_capacity where user_id = u.id), $3::int)
       and not exists (select 1 from conversation_declines d where d.conversation_id = $2 and d.user_id = u.id)
       -- One notion of busy with voice queues (core/queue/routing.ts canTakeChat): a queue call ringing at or
       -- connected to the agent rules out a new chat unless the team allows chats during calls.
       and (not exists (select 1 from agent_routing ar where ar.user_id = u.id and ar.call_id is not null)
            or coalesce((select chats_during_calls from team_call_settings where team_id = $1), false))
     order by act.n + pend.n, p.updated_at, u.id
     limit 1`,
    [conv.team_id, conv.id, defaultMaxChats],
  );
  return rows[0] ?? null;
}

/**
 * Offers (or, in auto mode, assigns) a queued conversation to the next agent; leaves it queued when nobody
 * is free. Returns the ticket ids and users whose ticket rows changed (for the sync poke).
 */
export async function route(tx: Queryable, conversationId: string, now: Date): Promise<TicketTouch | null> {
  const conv = await loadConversationRow(tx, conversationId, true);
  if (!conv || conv.state !== 'queued') return null;
  const queue = (await loadQueue(tx, conv.queue_id))!;
  const agent = await nextAgent(tx, conv);
  if (!agent) return null;
  if (queue.mode === 'auto') return assign(tx, conv, agent.id, now);
  const expires = new Date(now.getTime() + queue.offer_timeout_seconds * 1000);
  await tx.query("update conversations set state = 'offered', offered_to_id = $2, offer_expires_at = $3 where id = $1", [conv.id, agent.id, expires]);
  const row = (await loadConversationRow(tx, conv.id))!;
  await appendEvent(
    tx,
    row,
    { type: 'offer', conversationId: conv.id, agentId: agent.id, expiresAt: expires.getTime(), conversation: toConversation(row) },
    { customerVisible: false },
  );
  return null;
}

export type TicketTouch = { ticketId: string; teamIds: string[]; userIds: string[] };

/** Makes `userId` the assignee (accept, claim, auto-assign); the ticket follows. */
export async function assign(tx: Queryable, conv: ConversationRow, userId: string, now: Date): Promise<TicketTouch> {
  if (conv.state === 'closed') throw conflict('This chat has ended.');
  const { active, max } = await capacityOf(tx, userId);
  if (active >= max) throw conflict(`You already have ${active} active chats (your limit is ${max}).`);
  const { rows } = await tx.query<{ display_name: string }>('select display_name from users where id = $1', [userId]);
  const name = rows[0]?.display_name ?? 'An agent';
  await tx.query(
    // answered_at: the first answer only (a transfer's second assignee does not make the wait shorter).
    "update conversations set state = 'active', assignee_id = $2, offered_to_id = null, offer_expires_at = null, answered_at = coalesce(answered_at, $3) where id = $1",
    [conv.id, userId, now],
  );
  const before = await tx.query<{ assignee_id: string | null }>('select assignee_id from tickets where id = $1', [conv.ticket_id]);
  await tx.query(
    "update tickets set assignee_id = $2, status = case when status = 'new' then 'open' else status end, updated_at = $3 where id = $1",
    [conv.ticket_id, userId, now],
  );
  const since = await waitingSince(tx, conv.id);
  await contactEvent(tx, conv, 'answered', now, userId, { waitMs: since === null ? 0 : Math.max(0, now.getTime() - since) });
  const assigned = { ...conv, assignee_id: userId, offered_to_id: null };
  await insertMessage(tx, assigned, eventMessage(randomUUID(), 'assigned', `${name} joined the chat`), now);
  await emitConversation(tx, conv.id, { type: 'assignment', previousAssigneeId: conv.assignee_id });
  const old = before.rows[0]?.assignee_id ?? null;
  return { ticketId: conv.ticket_id, teamIds: [conv.team_id], userIds: [userId, ...(old && old !== userId ? [old] : [])] };
}

/** Back to the queue after a decline or a lapsed offer; the agent is skipped for this conversation. */
export async function unoffer(tx: Queryable, conv: ConversationRow): Promise<void> {
  if (conv.offered_to_id) {
    await tx.query('insert into conversation_declines (conversation_id, user_id) values ($1, $2) on conflict do nothing', [conv.id, conv.offered_to_id]);
  }
  await tx.query("update conversations set state = 'queued', offered_to_id = null, offer_expires_at = null where id = $1", [conv.id]);
  // The lapsed agent must hear that the offer is gone, so the event goes to them too.
  const row = (await loadConversationRow(tx, conv.id))!;
  await appendEvent(tx, row, { type: 'conversation', conversationId: conv.id, conversation: toConversation(row) }, {
    customerVisible: false,
    alsoUserIds: [conv.offered_to_id],
  });
}
