import { isCustomerVisible, type ChatEvent, type ChatEventCode, type Message, type MessageAuthor, type MessageKind } from '../../core/wire/chat';
import type { Queryable } from '../db/db';
import { conflict } from './errors';
import { recordCustomerMessage, recordResponse } from '../sla/timers';
import { recordMood } from '../mood/record';
import { type ConversationRow, loadConversationRow, loadMessage, toConversation } from './rows';

/**
 * Writes to the chat tables that must stay consistent: message seqs and the realtime event log. Every
 * function runs inside the caller's transaction, after the caller locked the conversation row
 * (`loadConversationRow(tx, id, true)`), so seqs are handed out one at a time per conversation.
 */

type StoredEvent = Exclude<ChatEvent, { type: 'typing' }>;
export type EventPayload = StoredEvent extends infer E ? (E extends StoredEvent ? Omit<E, 'cursor'> : never) : never;

/** Lock key pair shared with 0004-chat.sql's comment: cursors commit in the order they are taken. */
const eventLock = [7600, 2] as const;

export async function appendEvent(
  tx: Queryable,
  conv: Pick<ConversationRow, 'id' | 'team_id' | 'assignee_id' | 'offered_to_id'>,
  payload: EventPayload,
  options: { customerVisible: boolean; alsoUserIds?: (string | null)[] },
): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1, $2)', eventLock);
  const userIds = [...new Set([conv.assignee_id, conv.offered_to_id, ...(options.alsoUserIds ?? [])].filter((u): u is string => u !== null))];
  await tx.query(
    `insert into chat_events (conversation_id, type, team_id, user_ids, team_wide, customer_visible, payload)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [conv.id, payload.type, conv.team_id, userIds, conv.assignee_id === null, options.customerVisible, JSON.stringify(payload)],
  );
}

/** Appends a `conversation` (or `assignment`) event with the row as it is now, inside the transaction. */
export async function emitConversation(
  tx: Queryable,
  id: string,
  kind: { type: 'conversation' } | { type: 'assignment'; previousAssigneeId: string | null },
): Promise<ConversationRow> {
  const row = (await loadConversationRow(tx, id))!;
  const conversation = toConversation(row);
  if (kind.type === 'conversation') {
    await appendEvent(tx, row, { type: 'conversation', conversationId: id, conversation }, { customerVisible: true });
  } else {
    await appendEvent(
      tx,
      row,
      { type: 'assignment', conversationId: id, assigneeId: row.assignee_id, previousAssigneeId: kind.previousAssigneeId, conversation },
      { customerVisible: true, alsoUserIds: [kind.previousAssigneeId] },
    );
  }
  return row;
}

export type NewMessage = {
  id: string;
  author: MessageAuthor;
  authorId: string | null;
  authorName: string | null;
  kind: MessageKind;
  body: string;
  attachmentId?: string | null;
  eventCode?: ChatEventCode | null;
};

/**
 * Stores a message with the conversation's next seq and logs it. Sending an id that is already stored in
 * the same conversation returns the stored message and writes nothing (a retry after a lost answer, an
 * outbox replayed after a restart); the same id in another conversation is a conflict.
 */
export async function insertMessage(tx: Queryable, conv: ConversationRow, msg: NewMessage, now: Date): Promise<{ message: Message; created: boolean; slaChanged?: boolean }> {
  const existing = await loadMessage(tx, msg.id);
  if (existing) {
    if (existing.conversationId !== conv.id) throw conflict('That message id is already used in another conversation.');
    return { message: existing, created: false };
  }
  const countsUnread = msg.author === 'customer';
  const { rows } = await tx.query<{ last_seq: number }>(
    `update conversations set last_seq = last_seq + 1, last_message_at = $2,
       unread_for_agent = unread_for_agent + $3
     where id = $1 returning last_seq`,
    [conv.id, now, countsUnread ? 1 : 0],
  );
  const seq = rows[0]!.last_seq;
  await tx.query(
    `insert into chat_messages (id, conversation_id, seq, author, author_id, author_name, kind, body, attachment_id, event_code, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [msg.id, conv.id, seq, msg.author, msg.authorId, msg.authorName, msg.kind, msg.body, msg.attachmentId ?? null, msg.eventCode ?? null, now],
  );
  const message = (await loadMessage(tx, msg.id))!;
  // Mood (issue 20): scored with the message, in its transaction; customer text only. Before the event
  // log's lock (appendEvent below), like the SLA reads.
  await recordMood(tx, conv, message, now);
  // SLA (what counts as a response: core/sla/policy.ts): an agent's message to the customer on any channel
  // (chat, a sent e-mail reply, a messaging reply) stops the response timers; a note or a whisper does not.
  // Read before the event is appended: appendEvent takes the event log's lock, which every chat write in
  // every instance waits for until this transaction commits, so the lock is held for as few statements as
  // possible (bench/scale.mjs profile, BENCHMARKS.md).
  const toCustomer = msg.kind === 'text' || msg.kind === 'attachment';
  const slaChanged =
    (msg.author === 'agent' && toCustomer && (await recordResponse(tx, conv.ticket_id, now))) ||
    (msg.author === 'customer' && toCustomer && (await recordCustomerMessage(tx, conv.ticket_id, now)));
  await appendEvent(tx, conv, { type: 'message', conversationId: conv.id, message }, { customerVisible: isCustomerVisible(message) });
  if (slaChanged) await emitConversation(tx, conv.id, { type: 'conversation' });
  return { message, created: true, slaChanged };
}

/** A history line (joined, transferred, call started): an `event` message from the system. */
export function eventMessage(id: string, code: ChatEventCode, body: string): NewMessage {
  return { id, author: 'system', authorId: null, authorName: null, kind: 'event', body, eventCode: code };
}

export type EventRow = {
  cursor: string;
  conversation_id: string;
  team_id: string;
  user_ids: string[];
  team_wide: boolean;
  customer_visible: boolean;
  payload: EventPayload;
};

export const toEvent = (r: EventRow): StoredEvent => ({ ...r.payload, cursor: Number(r.cursor) }) as StoredEvent;

export async function eventsAfter(q: Queryable, cursor: number, limit: number, conversationId?: string): Promise<EventRow[]> {
  const { rows } = conversationId
    ? await q.query<EventRow>('select * from chat_events where conversation_id = $1 and cursor > $2 order by cursor limit $3', [conversationId, cursor, limit])
    : await q.query<EventRow>('select * from chat_events where cursor > $1 order by cursor limit $2', [cursor, limit]);
  return rows;
}

export async function latestCursor(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ c: string | null }>('select max(cursor) as c from chat_events');
  return Number(rows[0]?.c ?? 0);
}
