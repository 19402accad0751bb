import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { htmlToTextAsync } from '../../core/chat/emailText';
import { neutralizeText, truncateText } from '../../core/chat/safeText';
import { toWellFormed } from '../../core/chat/wellFormed';
import { limits } from '../../core/tickets/model';
import { type Message, chatLimits } from '../../core/wire/chat';
import { EmailInbound, type EmailInboundResult, type EmailOutbound, emailRoutes, replySubject } from '../../core/wire/chatEmail';
import type { Queryable } from '../db/db';
import type { AppContext } from '../http/context';
import { findDelivery, isUniqueViolation, readSignedWebhook, yieldToLoop } from './inboundDelivery';
import { type ConversationRow, loadConversationRow } from './rows';
import type { ChatService } from './service';
import { emitConversation, insertMessage } from './store';

/**
 * Email as a channel (core/wire/chatEmail.ts): the signed inbound webhook with Message-ID replay safety and
 * threading, and the outbound side that the chat service calls when an agent answers an email conversation.
 */

const shortenedNote = '\n\n[…] (shortened: the full email is with the email provider)';

/**
 * The text shown in the conversation: the text part, else the HTML reduced to text; never HTML. `pause`
 * runs between slices of a large HTML part (the route passes a yield to the event loop).
 */
export async function emailBody(inbound: { text?: string | undefined; html?: string | undefined }, pause: () => Promise<void> = async () => {}): Promise<string> {
  const room = chatLimits.messageBody - shortenedNote.length;
  // Only the first `room` characters are shown, so the HTML is read only until a few times that much text
  // has come out (issue 12 item 1: the wire accepts 2,000,000 characters of HTML).
  const fromHtml = !inbound.text?.trim() && inbound.html ? await htmlToTextAsync(inbound.html, { text: room * 4 }, pause) : null;
  const raw = fromHtml ? fromHtml.text : (inbound.text ?? '');
  const text = neutralizeText(toWellFormed(raw)).text.trim();
  if (!text) return fromHtml?.truncated ? shortenedNote.trim() : '(empty email)';
  const cut = truncateText(text, room);
  return cut.truncated || fromHtml?.truncated ? `${cut.text}${shortenedNote}` : cut.text;
}

/**
 * Where an email goes. A Message-ID it names in In-Reply-To or References threads it only into an open
 * conversation of the same gateway and the same sender address: anyone can copy a Message-ID into a header,
 * so naming one proves nothing about who writes (issue 12 item 11). Else the sender's own open conversation
 * at that gateway, else a new one. A named conversation of another sender or gateway is returned as
 * `related`, for the agent to see and merge by hand if it belongs there.
 */
async function threadOf(q: Queryable, providerId: string, inbound: z.output<typeof EmailInbound>, from: string): Promise<{ conversationId: string | null; related: string | null }> {
  const named = [inbound.inReplyTo, ...(inbound.references ?? []).slice().reverse()].filter((id): id is string => id !== undefined);
  let related: string | null = null;
  if (named.length > 0) {
    const { rows } = await q.query<{ id: string; same_sender: boolean }>(
      `select c.id, (c.channel = 'email' and c.provider_id = $2 and c.external_address = $3) as same_sender
       from email_threads t join conversations c on c.id = t.conversation_id
       where t.message_id_header = any($1::text[]) and c.state <> 'closed'
       order by same_sender desc, t.created_at desc limit 1`,
      [named, providerId, from],
    );
    if (rows[0]?.same_sender) return { conversationId: rows[0].id, related: null };
    related = rows[0]?.id ?? null;
  }
  const { rows } = await q.query<{ id: string }>(
    `select id from conversations where channel = 'email' and provider_id = $1 and external_address = $2 and state <> 'closed'
     order by created_at desc limit 1`,
    [providerId, from],
  );
  return { conversationId: rows[0]?.id ?? null, related };
}

/** The internal note on an email kept apart from the conversation it named (agents only, never sent). */
export const keptApartNote =
  'This email names an earlier email of another conversation, but it comes from a different sender or email gateway, so it was kept apart here. ' +
  'The conversation it names is recorded with this one.';

export function emailRoutesOf(app: FastifyInstance, ctx: AppContext, chat: ChatService, now: () => number): void {
  void app.register(async (scoped) => {
    // The signature covers the raw bytes: parse JSON only after checking it.
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_request, body, done) => done(null, body));

    scoped.post(emailRoutes.inbound, async (request): Promise<EmailInboundResult> => {
      const { providerId, body: inbound } = await readSignedWebhook(ctx.db, request, EmailInbound, 'email', now());
      const from = inbound.from.trim().toLowerCase();

      const seen = await findDelivery(ctx.db, providerId, inbound.messageId);
      if (seen) return { ...seen, duplicate: true };

      const subject = neutralizeText(inbound.subject).text.trim();
      // Reduced here, outside the transaction and in slices with the event loop served in between: a large
      // HTML email never holds the database or other requests (issue 12 item 1).
      const body = await emailBody(inbound, yieldToLoop);
      const { conversationId: threaded, related } = await threadOf(ctx.db, providerId, inbound, from);
      const conversationId =
        threaded ??
        (
          await chat.start({
            channel: 'email',
            name: inbound.fromName?.trim() || from,
            email: from,
            skills: { language: inbound.language ?? 'en', country: inbound.country ?? null, product: inbound.product ?? null },
            providerId,
            externalAddress: from,
          })
        ).id;
      const messageId = randomUUID();
      try {
        await chat.write(async (tx) => {
          const conv = (await loadConversationRow(tx, conversationId, true))!;
          if (!threaded && subject) {
            await tx.query('update conversations set subject = $2 where id = $1', [conversationId, truncateText(subject, 300).text]);
            await tx.query('update tickets set subject = $2, updated_at = $3 where id = $1', [conv.ticket_id, truncateText(subject, limits.subject).text, new Date(now())]);
            await emitConversation(tx, conversationId, { type: 'conversation' });
          }
          await insertMessage(tx, conv, { id: messageId, author: 'customer', authorId: null, authorName: conv.customer_name, kind: 'text', body }, new Date(now()));
          if (related) {
            await tx.query('update conversations set related_conversation_id = coalesce(related_conversation_id, $2) where id = $1', [conversationId, related]);
            await insertMessage(tx, conv, { id: randomUUID(), author: 'system', authorId: null, authorName: null, kind: 'note', body: keptApartNote }, new Date(now()));
          }
          await tx.query('insert into messaging_inbound (provider_id, provider_message_id, message_id) values ($1, $2, $3)', [providerId, inbound.messageId, messageId]);
          await tx.query(
            "insert into email_threads (message_id_header, conversation_id, direction, created_at) values ($1, $2, 'inbound', $3) on conflict do nothing",
            [inbound.messageId, conversationId, new Date(now())],
          );
        });
      } catch (err) {
        const raced = isUniqueViolation(err) ? await findDelivery(ctx.db, providerId, inbound.messageId) : null;
        if (raced) return { ...raced, duplicate: true };
        throw err;
      }
      return { conversationId, messageId, duplicate: false };
    });
  });

}

/**
 * Queues an agent's reply to an email conversation for the provider (same outbox and retries as messaging),
 * threaded under the customer's latest email, and records its Message-ID so the customer's answer threads back.
 */
export async function enqueueEmailReply(tx: Queryable, conv: ConversationRow, message: Message, now: Date): Promise<void> {
  if (!conv.provider_id || !conv.external_address) return;
  const { rows } = await tx.query<{ message_id_header: string; direction: string }>(
    'select message_id_header, direction from email_threads where conversation_id = $1 order by created_at, message_id_header',
    [conv.id],
  );
  const inbound = rows.filter((r) => r.direction === 'inbound');
  const emailMessageId = `<${message.id}@${conv.provider_id}.switchboard>`;
  const payload: EmailOutbound = {
    channel: 'email',
    messageId: message.id,
    conversationId: conv.id,
    to: conv.external_address,
    subject: replySubject(conv.subject ?? ''),
    text: message.body,
    emailMessageId,
    inReplyTo: inbound.at(-1)?.message_id_header ?? null,
    // RFC 5322 3.6.4: the parent's references plus the parent; capped, as long chains get cut by servers anyway.
    references: rows.map((r) => r.message_id_header).slice(-20),
  };
  await tx.query(
    'insert into messaging_outbox (message_id, provider_id, payload, next_attempt_at, created_at) values ($1, $2, $3, $4, $4) on conflict do nothing',
    [message.id, conv.provider_id, JSON.stringify(payload), now],
  );
  await tx.query("insert into email_threads (message_id_header, conversation_id, direction, created_at) values ($1, $2, 'outbound', $3) on conflict do nothing", [
    emailMessageId, conv.id, now,
  ]);
}
