import { z } from 'zod';
import { Locale } from '../locale';
import { refuseUnstorable } from '../chat/storable';
import { Presence } from '../presence';
import { realtimeCloseCodes } from './realtime';

/**
 * Chat wire contract: conversations across channels (web chat, messaging providers, email, voice), each
 * linked to a ticket, with per-conversation ordered messages and one global event log for realtime.
 *
 * Agent routes (Bearer access token, like every app route):
 *   GET  /chat/conversations                 → ConversationList   mine, offered to me, my teams' unassigned queue
 *   GET  /chat/conversations/:id             → ConversationDetail conversation + messages (all kinds)
 *   POST /chat/conversations/:id/accept      → Conversation       take an offer (or claim from the unassigned queue)
 *   POST /chat/conversations/:id/decline     → Conversation       pass; it is offered to the next agent
 *   POST /chat/conversations/:id/messages    AgentSendRequest → Message   idempotent by the client's message id
 *   POST /chat/conversations/:id/attachments AgentAttachmentRequest → Message   assignee or team lead; limits as the widget's
 *   GET  /chat/attachments/:id               the file (agents who may work the conversation)
 *   POST /chat/conversations/:id/typing      TypingRequest → 204
 *   POST /chat/conversations/:id/read        ReadRequest → 204            read receipt up to a seq
 *   POST /chat/conversations/:id/transfer    TransferRequest → Conversation   to an agent (offered) or a queue
 *   POST /chat/conversations/:id/takeover    → Conversation   a team lead takes it at once (coaching)
 *   POST /chat/conversations/:id/close       → Conversation       the customer is asked the survey
 *   GET  /chat/queues                        → QueueList          my teams' queues with waiting counts
 *   GET  /chat/events?after=N                → EventPage          the socket's replay over HTTP (fallback)
 *   POST /presence                           PresenceRequest → PresenceState   routing offers chats only to `available`
 *   POST /chat/voice-events                  VoiceEventRequest → Message      a call's start/end in the history
 *
 * Agent socket GET /chat/socket: client → `{type:'auth', token}` within 5 s (browsers cannot set headers on
 * a WebSocket); server → `{type:'ready'}`; client → `{type:'subscribe', cursor}` (null: only live events from
 * now on); server replays every durable event after the cursor in cursor order, then `{type:'subscribed',
 * cursor}` (store it), then streams live events. Each durable event carries its global `cursor`; the client
 * keeps the highest it has applied and resubscribes with it after a reconnect: no gap, no duplicate.
 * `typing` is ephemeral (cursor null) because replaying a stale "is typing" after a reconnect would lie.
 * Close codes: see `chatCloseCodes`.
 *
 * Customer (widget) routes (shapes in core/wire/chatWidget.ts), authenticated by the session token from POST /widget/sessions as
 * `Authorization: Bearer <sessionToken>`; the customer sees only customer-visible events (never internal
 * notes or coach whispers; the server filters before anything is sent):
 *   POST /widget/sessions      WidgetSessionRequest → WidgetSession
 *   GET  /widget/conversation  → WidgetConversation     (messages, state, agent name) for a reload
 *   POST /widget/messages      WidgetSendRequest → Message    idempotent by the client's message id
 *   POST /widget/attachments   WidgetAttachmentRequest → Message   base64 JSON, ≤ 5 MB, mime checked by magic bytes
 *   GET  /widget/attachments/:id   the file (customer of that conversation or an agent)
 *   POST /widget/typing        TypingRequest (conversationId ignored) → 204
 *   POST /widget/read          ReadRequest → 204
 *   POST /widget/close         → {state}               the customer ends the chat
 *   POST /widget/survey        SurveyRequest → 204     once per conversation, after close
 *   GET  /widget/socket        WebSocket: `{type:'auth', sessionToken, cursor?}` → `ready`, replay, live `CustomerEvent`s
 *
 * Messaging webhook: POST /channels/messaging/:providerId/inbound with header
 * `X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; unsigned,
 * wrongly signed or older than 5 minutes → 401. A delivery's `messageId` is the idempotency key.
 * Email (same signature, Message-ID threading): core/wire/chatEmail.ts. Finished phone calls: core/wire/chatCalls.ts.
 */
export const chatRoutes = {
  conversations: '/chat/conversations',
  conversation: '/chat/conversations/:id',
  accept: '/chat/conversations/:id/accept',
  decline: '/chat/conversations/:id/decline',
  messages: '/chat/conversations/:id/messages',
  attachments: '/chat/conversations/:id/attachments',
  attachment: '/chat/attachments/:id',
  typing: '/chat/conversations/:id/typing',
  read: '/chat/conversations/:id/read',
  transfer: '/chat/conversations/:id/transfer',
  /** A team lead takes the chat over at once (coaching); registered by server/coaching. */
  takeover: '/chat/conversations/:id/takeover',
  close: '/chat/conversations/:id/close',
  queues: '/chat/queues',
  events: '/chat/events',
  socket: '/chat/socket',
  presence: '/presence',
  voiceEvents: '/chat/voice-events',
  widgetPage: '/widget/',
  widgetSessions: '/widget/sessions',
  widgetConversation: '/widget/conversation',
  widgetMessages: '/widget/messages',
  widgetAttachments: '/widget/attachments',
  widgetAttachment: '/widget/attachments/:id',
  widgetTyping: '/widget/typing',
  widgetRead: '/widget/read',
  widgetClose: '/widget/close',
  widgetSurvey: '/widget/survey',
  widgetSocket: '/widget/socket',
  messagingInbound: '/channels/messaging/:providerId/inbound',
} as const;

/** Fills `:id` style parameters, so clients never build paths by hand. */
export function chatPath(route: string, params: Record<string, string>): string {
  return route.replace(/:([a-zA-Z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

export const chatLimits = {
  /** Characters (UTF-16 units) in one message body; a longer one is refused, never cut. */
  messageBody: 4000,
  /** Bytes of one attachment. */
  attachmentBytes: 5 * 1024 * 1024,
  customerName: 100,
  surveyAnswer: 2000,
  fileName: 120,
  product: 64,
} as const;

export const allowedAttachmentMimes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;
export const AttachmentMime = z.enum(allowedAttachmentMimes);
export type AttachmentMime = z.infer<typeof AttachmentMime>;

/** The realtime codes (core/wire/realtime.ts) and the server's own close. */
export const chatCloseCodes = { ...realtimeCloseCodes, closedByServer: 4000 } as const;

export const ChatId = z.uuid();
/** Epoch milliseconds, like the sync wire. */
export const ChatTimestamp = z.number().int().nonnegative();

export const Channel = z.enum(['webchat', 'messaging', 'email', 'voice']);
export type Channel = z.infer<typeof Channel>;

export const ConversationState = z.enum(['queued', 'offered', 'active', 'closed']);
export type ConversationState = z.infer<typeof ConversationState>;

/** ISO 3166-1 alpha-2, upper case. */
export const Country = z.string().regex(/^[A-Z]{2}$/, 'a country is two capital letters (ISO 3166-1)');
export const Product = z.string().trim().min(1).max(chatLimits.product);

export const Conversation = z.object({
  id: ChatId,
  ticketId: z.string(),
  ticketNumber: z.number().int(),
  channel: Channel,
  customerId: z.string(),
  customerName: z.string(),
  queueId: ChatId,
  teamId: z.string(),
  assigneeId: z.string().nullable(),
  /** The assignee's display name (the widget shows it to the customer). */
  assigneeName: z.string().nullable(),
  /** The agent the conversation is offered to while state is `offered`. */
  offeredToId: z.string().nullable(),
  offerExpiresAt: ChatTimestamp.nullable(),
  state: ConversationState,
  language: Locale,
  country: Country.nullable(),
  product: z.string().nullable(),
  /** The email subject (email conversations; core/wire/chatEmail.ts). */
  subject: z.string().optional(),
  createdAt: ChatTimestamp,
  lastMessageAt: ChatTimestamp,
  /** The highest message seq so far (0: none). */
  lastSeq: z.number().int().nonnegative(),
  unreadForAgent: z.number().int().nonnegative(),
  /** The customer has read agent messages up to this seq (read receipts). */
  customerReadSeq: z.number().int().nonnegative(),
  slaDueAt: ChatTimestamp.nullable(),
  closedAt: ChatTimestamp.nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

/** `coach`: a lead's whisper to the agent; like `note`, it never reaches the customer. */
export const MessageAuthor = z.enum(['customer', 'agent', 'system', 'coach']);
export type MessageAuthor = z.infer<typeof MessageAuthor>;
/** `note` is internal (agents only); `event` is a history line (call started, transferred, closed). */
export const MessageKind = z.enum(['text', 'note', 'event', 'attachment']);
export type MessageKind = z.infer<typeof MessageKind>;

export const ChatEventCode = z.enum([
  'conversation-started',
  'assigned',
  'transferred',
  'closed',
  'voice-call-started',
  'voice-call-ended',
  /** A finished phone call reported by the app (core/wire/chatCalls.ts); the body is a `callLine`. */
  'voice-call',
  'survey-answered',
]);
export type ChatEventCode = z.infer<typeof ChatEventCode>;

export const Attachment = z.object({
  id: ChatId,
  /** Already passed through core/chat/safeText safeFileName. */
  name: z.string(),
  mime: AttachmentMime,
  size: z.number().int().nonnegative(),
  /** Relative to the server (GET /widget/attachments/:id). */
  url: z.string(),
});
export type Attachment = z.infer<typeof Attachment>;

export const Message = z.object({
  /** Client-generated for agent and widget messages: sending the same id again returns the stored message. */
  id: ChatId,
  conversationId: ChatId,
  /** Per conversation, 1, 2, 3 … assigned by the server in commit order. */
  seq: z.number().int().positive(),
  author: MessageAuthor,
  authorId: z.string().nullable(),
  /** Display name at send time (agent's display name, customer's name). */
  authorName: z.string().nullable(),
  kind: MessageKind,
  /** Verbatim as sent; display it with segmentMessage, as text nodes only. */
  body: z.string(),
  attachment: Attachment.nullable(),
  eventCode: ChatEventCode.nullable(),
  createdAt: ChatTimestamp,
  /** When the other side read it (customer messages: an agent; agent messages: the customer). */
  readAt: ChatTimestamp.nullable(),
});
export type Message = z.infer<typeof Message>;

/** Who a message is shown to: the customer never sees internal notes or coach whispers. */
export function isCustomerVisible(message: Pick<Message, 'kind' | 'author'>): boolean {
  return message.kind !== 'note' && message.author !== 'coach';
}

/**
 * Text from outside is stored verbatim or refused, never silently changed. PostgreSQL text cannot hold
 * NUL, and lone surrogates cannot be encoded as UTF-8, so both are refused here with a clear message
 * instead of failing in the database or being replaced on the way in.
 */
export const noNul = (s: string) => !s.includes('\u0000');

export const MessageBody = z
  .string()
  .max(chatLimits.messageBody, `a message is at most ${chatLimits.messageBody} characters`)
  .refine((s) => s.trim().length > 0, 'a message cannot be empty')
  .superRefine(refuseUnstorable);
export const FreeText = (max: number, what: string) =>
  z.string().max(max, `${what} is at most ${max} characters`).superRefine(refuseUnstorable);

export const QueueMode = z.enum(['offer', 'auto']);
export type QueueMode = z.infer<typeof QueueMode>;

export const QueueSkills = z.object({ language: Locale.optional(), country: Country.optional(), product: Product.optional() });
export type QueueSkills = z.infer<typeof QueueSkills>;

export const Queue = z.object({
  id: ChatId,
  name: z.string(),
  teamId: z.string(),
  skills: QueueSkills,
  mode: QueueMode,
  offerTimeoutSeconds: z.number().int().positive(),
  /** Conversations in the queue nobody has accepted yet (queued or offered). */
  waiting: z.number().int().nonnegative(),
});
export type Queue = z.infer<typeof Queue>;

export const QueueList = z.object({ queues: z.array(Queue) });
export type QueueList = z.infer<typeof QueueList>;

export const ConversationList = z.object({
  conversations: z.array(Conversation),
  /** The event cursor the list is current to: subscribe from it and nothing is missed. */
  cursor: z.number().int().nonnegative(),
});
export type ConversationList = z.infer<typeof ConversationList>;

export const ConversationDetail = z.object({ conversation: Conversation, messages: z.array(Message), cursor: z.number().int().nonnegative() });
export type ConversationDetail = z.infer<typeof ConversationDetail>;

// Agent requests.

/** An agent's file: the widget's shape (base64 JSON, mime checked by magic bytes, ≤ chatLimits.attachmentBytes). */
export const AgentAttachmentRequest = z.object({
  id: ChatId,
  name: z.string().max(1000),
  mime: AttachmentMime,
  /** Standard base64. No length cap here: the server's body limit bounds it, and a decoded file over the limit is a 413, not a 400. */
  dataBase64: z.string(),
});
export type AgentAttachmentRequest = z.infer<typeof AgentAttachmentRequest>;

export const AgentSendRequest = z.object({
  id: ChatId,
  /** `note`: internal, never shown to the customer. */
  kind: z.enum(['text', 'note']).default('text'),
  body: MessageBody,
  /** The quick reply used, for its use count; the body is already filled by the client. */
  quickReplyId: z.string().max(64).optional(),
});
export type AgentSendRequest = z.input<typeof AgentSendRequest>;

export const TypingRequest = z.object({ typing: z.boolean() });
export type TypingRequest = z.infer<typeof TypingRequest>;

export const ReadRequest = z.object({ upToSeq: z.number().int().nonnegative() });
export type ReadRequest = z.infer<typeof ReadRequest>;

export const TransferRequest = z.union([
  z.object({ toAgentId: ChatId, note: FreeText(chatLimits.messageBody, 'a note').optional() }),
  z.object({ toQueueId: ChatId, note: FreeText(chatLimits.messageBody, 'a note').optional() }),
]);
export type TransferRequest = z.infer<typeof TransferRequest>;

/** `reasonId`: one of the team's break reasons (core/wire/board.ts), only with `break`; the server refuses any other. */
export const PresenceRequest = z.object({ presence: Presence, reasonId: z.uuid('a break reason id is a UUID').nullable().optional() });
export type PresenceRequest = z.infer<typeof PresenceRequest>;
export const PresenceState = z.object({
  presence: Presence,
  reasonId: z.uuid().nullable().optional(),
  /** Epoch ms since the agent has been in this presence (the server's clock). */
  since: z.number().optional(),
  maxChats: z.number().int().positive(),
  activeChats: z.number().int().nonnegative(),
});
export type PresenceState = z.infer<typeof PresenceState>;

/**
 * A call's start or end on a conversation, written by the conversation's assigned agent while it is open.
 * The history line the customer sees is made by the server from these structured fields
 * (`voiceEventLine`); nothing here is free text, so an agent cannot put words in the system's mouth.
 */
export const VoiceEventPhase = z.enum(['started', 'ended']);
export type VoiceEventPhase = z.infer<typeof VoiceEventPhase>;
/** A dialable number or extension: digits, `*` and `#`, an optional leading `+` (E.164 is at most 15 digits). */
export const VoiceRemote = z.string().regex(/^\+?[0-9*#]{1,32}$/, 'the far end is a phone number or extension (digits, * and #, optional leading +)');

export const VoiceEventRequest = z.strictObject({
  conversationId: ChatId,
  /** Idempotency key: the phone's call id + phase, so a retried post is one history line. */
  eventId: ChatId,
  phase: VoiceEventPhase,
  /** The far end, E.164 or extension. */
  remote: VoiceRemote.optional(),
  /** At most a day, like a call report's duration. */
  durationSeconds: z.number().int().nonnegative().max(86_400).optional(),
});
export type VoiceEventRequest = z.infer<typeof VoiceEventRequest>;

/** The history line of a voice event: generated from the structured fields, never taken from the client. */
export function voiceEventLine(req: Pick<VoiceEventRequest, 'phase' | 'remote' | 'durationSeconds'>): string {
  return req.phase === 'started'
    ? `Call started${req.remote ? ` with ${req.remote}` : ''}`
    : `Call ended${req.durationSeconds !== undefined ? ` after ${req.durationSeconds} s` : ''}`;
}

// Realtime events. Every durable event has a global cursor (strictly increasing, commit order).

export const EventCursor = z.number().int().positive();
const cursor = EventCursor;

export const MessageEvent = z.object({ type: z.literal('message'), cursor, conversationId: ChatId, message: Message });
export const TypingEvent = z.object({
  type: z.literal('typing'),
  cursor: z.null(),
  conversationId: ChatId,
  who: z.enum(['customer', 'agent']),
  /** The typing agent, null for the customer. */
  userId: z.string().nullable(),
  typing: z.boolean(),
});
export const ReadEvent = z.object({
  type: z.literal('read'),
  cursor,
  conversationId: ChatId,
  /** `customer`: the customer read agent messages up to upToSeq (a read receipt for the agent). */
  by: z.enum(['customer', 'agent']),
  upToSeq: z.number().int().nonnegative(),
  readAt: ChatTimestamp,
});
export const OfferEvent = z.object({
  type: z.literal('offer'),
  cursor,
  conversationId: ChatId,
  agentId: z.string(),
  expiresAt: ChatTimestamp,
  conversation: Conversation,
});
export const AssignmentEvent = z.object({
  type: z.literal('assignment'),
  cursor,
  conversationId: ChatId,
  assigneeId: z.string().nullable(),
  previousAssigneeId: z.string().nullable(),
  conversation: Conversation,
});
/** Any other change (new conversation, queue moved, closed, unread count): the full current row. */
export const ConversationUpdatedEvent = z.object({ type: z.literal('conversation'), cursor, conversationId: ChatId, conversation: Conversation });

export const ChatEvent = z.discriminatedUnion('type', [MessageEvent, TypingEvent, ReadEvent, OfferEvent, AssignmentEvent, ConversationUpdatedEvent]);
export type ChatEvent = z.infer<typeof ChatEvent>;
export type DurableChatEvent = Exclude<ChatEvent, { type: 'typing' }>;

export const EventPage = z.object({ events: z.array(ChatEvent), cursor: z.number().int().nonnegative(), more: z.boolean() });
export type EventPage = z.infer<typeof EventPage>;

export const ChatSocketClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(10).max(4096) }),
  z.object({ type: z.literal('subscribe'), cursor: z.number().int().nonnegative().nullable() }),
]);
export type ChatSocketClientMessage = z.infer<typeof ChatSocketClientMessage>;

export const ChatSocketServerMessage = z.union([
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('subscribed'), cursor: z.number().int().nonnegative() }),
  z.object({ type: z.literal('event'), event: ChatEvent }),
  /** A quick reply this agent sees was created, changed or deleted: fetch GET /quick-replies again. */
  z.object({ type: z.literal('replies-changed') }),
]);
export type ChatSocketServerMessage = z.infer<typeof ChatSocketServerMessage>;

// Messaging webhook.

export const signatureHeader = 'x-switchboard-signature';
/** A signed request older than this is a replay (or a badly skewed clock) and is refused. */
export const signatureToleranceSeconds = 300;

export const MessagingInbound = z.object({
  /** The provider's id of this message: a retried delivery carries the same one. */
  messageId: z.string().min(1).max(200),
  /** The customer's address at the provider (phone number, WhatsApp id, WeChat openid). */
  from: z.string().min(1).max(200),
  name: FreeText(chatLimits.customerName, 'a name').optional(),
  text: MessageBody,
  language: Locale.optional(),
  country: Country.optional(),
  product: Product.optional(),
  sentAt: ChatTimestamp.optional(),
});
export type MessagingInbound = z.infer<typeof MessagingInbound>;

export const MessagingInboundResult = z.object({ conversationId: ChatId, messageId: ChatId, duplicate: z.boolean() });
export type MessagingInboundResult = z.infer<typeof MessagingInboundResult>;

/** What the server POSTs to a provider's callback URL for an agent reply (signed like inbound). */
export const MessagingOutbound = z.object({ messageId: ChatId, to: z.string(), text: z.string(), conversationId: ChatId });
export type MessagingOutbound = z.infer<typeof MessagingOutbound>;
