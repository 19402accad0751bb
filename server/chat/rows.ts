import type { Locale } from '../../core/locale';
import type {
  Attachment,
  AttachmentMime,
  Channel,
  ChatEventCode,
  Conversation,
  ConversationState,
  Message,
  MessageAuthor,
  MessageKind,
} from '../../core/wire/chat';
import type { Queryable } from '../db/db';

/** Row shapes of 0004-chat.sql and their mapping to the wire. */

export type ConversationRow = {
  id: string;
  ticket_id: string;
  ticket_number: number;
  channel: Channel;
  customer_id: string;
  customer_name: string;
  queue_id: string;
  team_id: string;
  assignee_id: string | null;
  assignee_name: string | null;
  offered_to_id: string | null;
  offer_expires_at: Date | null;
  state: ConversationState;
  language: Locale;
  country: string | null;
  product: string | null;
  provider_id: string | null;
  external_address: string | null;
  /** Email conversations only (0020-email.sql). */
  subject: string | null;
  last_seq: number;
  unread_for_agent: number;
  customer_read_seq: number;
  agent_read_seq: number;
  created_at: Date;
  last_message_at: Date;
  sla_due_at: Date | null;
  closed_at: Date | null;
};

export const conversationSelect = `
  select c.*, t.number as ticket_number, cu.name as customer_name, u.display_name as assignee_name
  from conversations c
  join tickets t on t.id = c.ticket_id
  join customers cu on cu.id = c.customer_id
  left join users u on u.id = c.assignee_id`;

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

export function toConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    channel: r.channel,
    customerId: r.customer_id,
    customerName: r.customer_name,
    queueId: r.queue_id,
    teamId: r.team_id,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    offeredToId: r.offered_to_id,
    offerExpiresAt: ms(r.offer_expires_at),
    state: r.state,
    language: r.language,
    country: r.country,
    product: r.product,
    ...(r.subject ? { subject: r.subject } : {}),
    createdAt: r.created_at.getTime(),
    lastMessageAt: r.last_message_at.getTime(),
    lastSeq: r.last_seq,
    unreadForAgent: r.unread_for_agent,
    customerReadSeq: r.customer_read_seq,
    slaDueAt: ms(r.sla_due_at),
    closedAt: ms(r.closed_at),
  };
}

export async function loadConversationRow(q: Queryable, id: string, forUpdate = false): Promise<ConversationRow | null> {
  if (forUpdate) await q.query('select 1 from conversations where id = $1 for update', [id]);
  const { rows } = await q.query<ConversationRow>(`${conversationSelect} where c.id = $1`, [id]);
  return rows[0] ?? null;
}

export type MessageRow = {
  id: string;
  conversation_id: string;
  seq: number;
  author: MessageAuthor;
  author_id: string | null;
  author_name: string | null;
  kind: MessageKind;
  body: string;
  event_code: ChatEventCode | null;
  created_at: Date;
  read_at: Date | null;
  attachment_id: string | null;
  attachment_name: string | null;
  attachment_mime: AttachmentMime | null;
  attachment_size: number | null;
};

export const messageSelect = `
  select m.*, a.name as attachment_name, a.mime as attachment_mime, a.size as attachment_size
  from chat_messages m left join chat_attachments a on a.id = m.attachment_id`;

export const attachmentUrl = (id: string) => `/widget/attachments/${id}`;

export function toMessage(r: MessageRow): Message {
  const attachment: Attachment | null =
    r.attachment_id && r.attachment_name && r.attachment_mime
      ? { id: r.attachment_id, name: r.attachment_name, mime: r.attachment_mime, size: r.attachment_size ?? 0, url: attachmentUrl(r.attachment_id) }
      : null;
  return {
    id: r.id,
    conversationId: r.conversation_id,
    seq: r.seq,
    author: r.author,
    authorId: r.author_id,
    authorName: r.author_name,
    kind: r.kind,
    body: r.body,
    attachment,
    eventCode: r.event_code,
    createdAt: r.created_at.getTime(),
    readAt: ms(r.read_at),
  };
}

export async function loadMessage(q: Queryable, id: string): Promise<Message | null> {
  const { rows } = await q.query<MessageRow>(`${messageSelect} where m.id = $1`, [id]);
  return rows[0] ? toMessage(rows[0]) : null;
}

export async function loadMessages(q: Queryable, conversationId: string, customerView: boolean): Promise<Message[]> {
  const filter = customerView ? " and m.kind <> 'note' and m.author <> 'coach'" : '';
  const { rows } = await q.query<MessageRow>(`${messageSelect} where m.conversation_id = $1${filter} order by m.seq`, [conversationId]);
  return rows.map(toMessage);
}
