import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MessagingInbound, type MessagingInboundResult, chatRoutes as paths } from '../../core/wire/chat';
import type { AppContext } from '../http/context';
import { findDelivery, isUniqueViolation, readSignedWebhook } from './inboundDelivery';
import { loadConversationRow } from './rows';
import type { ChatService } from './service';
import { insertMessage } from './store';



/**
 * POST /channels/messaging/:providerId/inbound. The signature covers the raw bytes, so this scope
 * parses JSON itself after checking it. A delivery whose provider message id was seen returns the
 * first result with `duplicate: true` (providers retry on timeouts; the customer wrote once).
 */
export function messagingRoutes(app: FastifyInstance, ctx: AppContext, chat: ChatService, now: () => number): void {
  void app.register(async (scoped) => {
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scoped.post(paths.messagingInbound, async (request): Promise<MessagingInboundResult> => {
      const { providerId, body: inbound } = await readSignedWebhook(ctx.db, request, MessagingInbound, 'messaging', now());

      const seen = await findDelivery(ctx.db, providerId, inbound.messageId);
      if (seen) return { ...seen, duplicate: true };

      const { rows: open } = await ctx.db.query<{ id: string }>(
        "select id from conversations where provider_id = $1 and external_address = $2 and state <> 'closed' order by created_at desc limit 1",
        [providerId, inbound.from],
      );
      const conversationId =
        open[0]?.id ??
        (
          await chat.start({
            channel: 'messaging',
            name: inbound.name?.trim() ? inbound.name : inbound.from,
            skills: { language: inbound.language ?? 'en', country: inbound.country ?? null, product: inbound.product ?? null },
            providerId,
            externalAddress: inbound.from,
          })
        ).id;
      const messageId = randomUUID();
      try {
        await chat.write(async (tx) => {
          const conv = (await loadConversationRow(tx, conversationId, true))!;
          await insertMessage(tx, conv, { id: messageId, author: 'customer', authorId: null, authorName: conv.customer_name, kind: 'text', body: inbound.text }, new Date(now()));
          await tx.query('insert into messaging_inbound (provider_id, provider_message_id, message_id) values ($1, $2, $3)', [providerId, inbound.messageId, messageId]);
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
