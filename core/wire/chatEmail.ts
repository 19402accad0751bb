import { z } from 'zod';
import { Locale } from '../locale';
import { ChatId, ChatTimestamp, Country, FreeText, MessagingInboundResult, Product } from './chat';

/**
 * Email as a chat channel, through an email gateway configured like a messaging provider (a row of
 * `messaging_providers`: shared HMAC secret, callback URL):
 *
 *   POST /channels/email/:providerId/inbound   EmailInbound → EmailInboundResult
 *     signed exactly like the messaging webhook (`X-Switchboard-Signature: t=<unix s>,v1=<hex HMAC-SHA256>`
 *     over "<t>.<raw body>"; unsigned, wrongly signed or older than 5 minutes → 401). The RFC 5322
 *     Message-ID is the idempotency key: a redelivered email is answered as a duplicate, stored once.
 *     Threading: a conversation that sent or received a Message-ID named in In-Reply-To or References,
 *     else the open email conversation with the same sender address, else a new one.
 *     `html` is reduced to text (core/chat/emailText.ts) when there is no `text` part; never rendered.
 *
 * Agent replies are POSTed, signed the same way, to the provider's callback URL as `EmailOutbound`, from the
 * same retrying outbox as messaging replies (one row per message: never sent twice by us; `messageId` lets
 * the gateway drop a retry that it already accepted).
 */
export const emailRoutes = { inbound: '/channels/email/:providerId/inbound' } as const;

/** `<local@domain>` as in the Message-ID header (RFC 5322 msg-id), angle brackets included. */
export const EmailMessageId = z.string().regex(/^<[^<>\s]{1,250}>$/, 'a Message-ID in angle brackets');

export const EmailInbound = z.object({
  messageId: EmailMessageId,
  inReplyTo: EmailMessageId.optional(),
  references: z.array(EmailMessageId).max(100).optional(),
  from: z.email().max(254),
  fromName: FreeText(200, 'a name').optional(),
  subject: FreeText(998, 'a subject').default(''),
  text: FreeText(1_000_000, 'a text body').optional(),
  html: z.string().max(2_000_000).optional(),
  language: Locale.optional(),
  country: Country.optional(),
  product: Product.optional(),
  sentAt: ChatTimestamp.optional(),
});
export type EmailInbound = z.input<typeof EmailInbound>;

/** The same answer as a messaging delivery's: where it was stored, and whether it was a redelivery. */
export const EmailInboundResult = MessagingInboundResult;
export type EmailInboundResult = MessagingInboundResult;

export const EmailOutbound = z.object({
  channel: z.literal('email'),
  /** The chat message's id: the gateway's idempotency key for a retried post. */
  messageId: ChatId,
  conversationId: ChatId,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  /** The Message-ID to send the reply with; the customer's answer names it in In-Reply-To. */
  emailMessageId: EmailMessageId,
  inReplyTo: EmailMessageId.nullable(),
  references: z.array(EmailMessageId),
});
export type EmailOutbound = z.infer<typeof EmailOutbound>;

/** "Re: " once, however many times the subject went back and forth ("Re: RE: Aw: x" stays one "Re: x"). */
export function replySubject(subject: string): string {
  const bare = subject.replace(/^(\s*(re|aw|sv|antw|答复|回复|回覆)\s*[:：]\s*)+/i, '').trim();
  return `Re: ${bare || '…'}`;
}
