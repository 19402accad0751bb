import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { signatureHeader } from '../../core/wire/chat';
import type { Queryable } from '../db/db';
import { HttpError, notFound, parseWith, unauthorized } from '../http/errors';
import { verifySignature } from './outbox';

/**
 * What the signed provider webhooks (messaging, email) share: the provider id in the path, and replay
 * safety by the provider's own message id (`messaging_inbound`): a redelivery answers the first result.
 */

export const ProviderParams = z.object({ providerId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'unknown provider') });

/**
 * A provider webhook's body, checked and parsed: the provider exists (404), the signature over the raw
 * bytes is valid and fresh (401), the bytes are JSON (400) and match `schema` (400). The route must
 * register a string content-type parser for application/json, so the signature sees the raw bytes.
 */
export async function readSignedWebhook<S extends z.ZodType>(
  db: Queryable,
  request: FastifyRequest,
  schema: S,
  what: string,
  now: number,
  /** Where the sender's secrets are: the chat providers', or the PBX connectors' (server/queues/pbxRoutes.ts). */
  secrets: 'messaging_providers' | 'pbx_connectors' = 'messaging_providers',
): Promise<{ providerId: string; body: z.output<S> }> {
  const { providerId } = parseWith(ProviderParams, request.params, 'path');
  const { rows } = await db.query<{ secret: string }>(`select secret from ${secrets} where id = $1`, [providerId]);
  if (!rows[0]) throw notFound(`Unknown ${what} provider.`);
  const raw = typeof request.body === 'string' ? request.body : '';
  const header = request.headers[signatureHeader];
  const check = verifySignature(rows[0].secret, Array.isArray(header) ? header[0] : header, raw, now);
  if (!check.ok) throw unauthorized(check.reason);
  // Hashing and parsing a body of megabytes each take milliseconds; let waiting requests run in between.
  await yieldToLoop();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'bad-request', 'The body is not JSON.');
  }
  return { providerId, body: parseWith(schema, json) };
}

/**
 * Lets the event loop serve other requests before going on. A timer, not setImmediate: an immediate queued
 * from an I/O callback runs in the same turn's check phase, before the loop polls for I/O again, so a
 * request waiting on the socket would still wait; a timer resumes on the next turn, after that poll.
 */
export const yieldToLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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
