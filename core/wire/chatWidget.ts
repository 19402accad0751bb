import { z } from 'zod';
import { Locale } from '../locale';
import { AttachmentMime, ChatId, ConversationState, Country, EventCursor as cursor, FreeText, Message, MessageBody, Product, chatLimits } from './chat';

/** The customer widget's shapes; routes and rules are described in core/wire/chat.ts. */

export const WidgetSessionRequest = z.object({
  name: FreeText(chatLimits.customerName, 'a name').optional(),
  language: Locale,
  country: Country.optional(),
  product: Product.optional(),
});
export type WidgetSessionRequest = z.infer<typeof WidgetSessionRequest>;

export const WidgetSession = z.object({ sessionToken: z.string(), conversationId: ChatId, language: Locale });
export type WidgetSession = z.infer<typeof WidgetSession>;

export const WidgetConversation = z.object({
  conversationId: ChatId,
  state: ConversationState,
  /** The agent's display name once one accepted. */
  agentName: z.string().nullable(),
  messages: z.array(Message),
  /** Agent read the customer's messages up to this seq. */
  agentReadSeq: z.number().int().nonnegative(),
  surveyAnswered: z.boolean(),
  cursor: z.number().int().nonnegative(),
});
export type WidgetConversation = z.infer<typeof WidgetConversation>;

export const WidgetSendRequest = z.object({ id: ChatId, body: MessageBody });
export type WidgetSendRequest = z.infer<typeof WidgetSendRequest>;

export const WidgetAttachmentRequest = z.object({
  id: ChatId,
  name: z.string().max(1000),
  mime: AttachmentMime,
  /** Standard base64 of the file; its decoded size is checked against chatLimits.attachmentBytes. */
  dataBase64: z.string().max(Math.ceil(chatLimits.attachmentBytes / 3) * 4 + 4, 'an attachment is at most 5 MB'),
});
export type WidgetAttachmentRequest = z.infer<typeof WidgetAttachmentRequest>;

export const SurveyScore = z.number().int().min(1).max(5);
export const SurveyRequest = z.object({
  liked: FreeText(chatLimits.surveyAnswer, 'an answer').default(''),
  disliked: FreeText(chatLimits.surveyAnswer, 'an answer').default(''),
  improve: FreeText(chatLimits.surveyAnswer, 'an answer').default(''),
  score: SurveyScore,
});
export type SurveyRequest = z.input<typeof SurveyRequest>;

export const WidgetSocketClientMessage = z.object({
  type: z.literal('auth'),
  sessionToken: z.string().min(10).max(200),
  cursor: z.number().int().nonnegative().nullable().optional(),
});
export type WidgetSocketClientMessage = z.infer<typeof WidgetSocketClientMessage>;

/** What the customer's socket carries: agent-side text without internal kinds, typing, receipts, state. */
export const CustomerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), cursor, message: Message }),
  z.object({ type: z.literal('typing'), cursor: z.null(), typing: z.boolean(), agentName: z.string().nullable() }),
  z.object({ type: z.literal('read'), cursor, upToSeq: z.number().int().nonnegative() }),
  z.object({ type: z.literal('state'), cursor, state: ConversationState, agentName: z.string().nullable(), surveyRequested: z.boolean() }),
]);
export type CustomerEvent = z.infer<typeof CustomerEvent>;

export const WidgetSocketServerMessage = z.union([
  z.object({ type: z.literal('ready'), cursor: z.number().int().nonnegative() }),
  z.object({ type: z.literal('event'), event: CustomerEvent }),
]);
export type WidgetSocketServerMessage = z.infer<typeof WidgetSocketServerMessage>;

