import { z } from 'zod';
import type { Queryable } from '../db/db';

/**
 * What the signed provider webhooks (messaging, email) share: the provider id in the path, and replay
 * safety by the provider's own message id (`messaging_inbound`): a redelivery answers the first result.
 */

export const ProviderParams = z.object({ providerId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'unknown provider') });

/** Postgres unique_violation: a concurrent delivery of the same provider message won the race. */
export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

/** The conversation and message a provider message id was stored as, or null when it is new. */
export async function findDelivery(db: Queryable, providerId: string, providerMessageId: string): Promise<{ conversationId: string; messageId: string } | null> {
  const { rows } = await db.query<{ message_id: string; conversation_id: string }>(
    `select i.message_id, m.conversation_id from messaging_inbound i join chat_messages m on m.id = i.message_id
     where i.provider_id = $1 and i.provider_message_id = $2`,
    [providerId, providerMessageId],
  );
  return rows[0] ? { conversationId: rows[0].conversation_id, messageId: rows[0].message_id } : null;
}
