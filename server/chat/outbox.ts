import { createHmac, timingSafeEqual } from 'node:crypto';
import { backoffCeiling } from '../../core/backoff';
import { type Message, type MessagingOutbound, signatureHeader, signatureToleranceSeconds } from '../../core/wire/chat';
import type { EmailOutbound } from '../../core/wire/chatEmail';
import type { Db, Queryable } from '../db/db';

/**
 * Messaging providers: the HMAC signature both ways, and the outbox of agent replies. A reply is
 * written to `messaging_outbox` in the same transaction as the message, so a crash or a provider
 * outage cannot lose it; the worker posts due rows and, on failure, pushes the next attempt out
 * exponentially (capped). Providers dedupe on `messageId`, so an attempt that timed out after the
 * provider got it does no harm when retried.
 */

export const sign = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureValue = (secret: string, timestamp: number, body: string) => `t=${timestamp},v1=${sign(secret, timestamp, body)}`;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Checks `t=<seconds>,v1=<hex>` against the raw body; a stale timestamp is a replay. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowMs: number): SignatureCheck {
  if (!header) return { ok: false, reason: `Missing ${signatureHeader} header.` };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'Malformed signature header.' };
  if (Math.abs(nowMs / 1000 - t) > signatureToleranceSeconds) return { ok: false, reason: 'The signature timestamp is outside the 5 minute window.' };
  const expected = Buffer.from(sign(secret, t, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return { ok: false, reason: 'The signature does not match.' };
  return { ok: true };
}

export async function enqueueOutbound(tx: Queryable, out: { providerId: string; to: string; message: Message }, now: Date): Promise<void> {
  const payload: MessagingOutbound = { messageId: out.message.id, to: out.to, text: out.message.body, conversationId: out.message.conversationId };
  await tx.query(
    'insert into messaging_outbox (message_id, provider_id, payload, next_attempt_at, created_at) values ($1, $2, $3, $4, $4) on conflict do nothing',
    [out.message.id, out.providerId, JSON.stringify(payload), now],
  );
}

export type OutboxOptions = {
  now: () => number;
  /** fetch, injectable for tests. */
  post?: (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ ok: boolean; status: number }>;
  timeoutMs?: number;
  log?: (line: string) => void;
};

const retry = { baseMs: 2_000, maxMs: 10 * 60_000 };

export type Outbox = {
  /** Posts every due row once; resolves with how many were delivered. */
  runOnce(): Promise<number>;
  /** Runs soon (coalesced), for the moment a reply was enqueued. */
  kick(): void;
};

/** Rows one run claims: small, so a claim held by an instance that died frees up within minutes. */
const claimBatch = 20;

export function createOutbox(db: Db, opts: OutboxOptions): Outbox {
  const post = opts.post ?? ((url, init) => fetch(url, init));
  let running: Promise<number> | null = null;

  /** A messaging reply or an email reply (server/chat/email.ts): the worker posts either as it is stored. */
  type Row = { message_id: string; attempts: number; payload: MessagingOutbound | EmailOutbound; secret: string; callback_url: string };

  async function attempt(row: Row): Promise<boolean> {
    const body = JSON.stringify(row.payload);
    const ts = Math.floor(opts.now() / 1000);
    let error: string | null = null;
    try {
      const res = await post(row.callback_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [signatureHeader]: signatureValue(row.secret, ts, body) },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    if (error === null) {
      await db.query('update messaging_outbox set delivered_at = $2, attempts = attempts + 1, last_error = null where message_id = $1', [row.message_id, new Date(opts.now())]);
      return true;
    }
    // No jitter: one server retries its own rows, there is no crowd to spread.
    const delay = backoffCeiling(row.attempts, retry);
    await db.query('update messaging_outbox set attempts = attempts + 1, last_error = $2, next_attempt_at = $3 where message_id = $1', [
      row.message_id,
      error.slice(0, 500),
      new Date(opts.now() + delay),
    ]);
    opts.log?.(`${row.message_id}: provider callback failed (${error}); retry in ${Math.round(delay / 1000)} s`);
    return false;
  }

  /**
   * Claims due rows: with several server instances each runs this worker, and a row both read would be
   * posted twice. The claim moves the row's next attempt past the time a post may take, in the statement
   * that picks it (`skip locked`: rows another instance is claiming right now are left to it), so no other
   * instance sees it due until this one has answered it (delivered, or a retry time set) or died.
   */
  async function claim(): Promise<Row[]> {
    const at = opts.now();
    const { rows } = await db.query<Row & { created_at: Date }>(
      `with due as (
         select message_id from messaging_outbox
         where delivered_at is null and next_attempt_at <= $1 order by created_at limit $3 for update skip locked)
       update messaging_outbox o set next_attempt_at = $2
       from due, messaging_providers p
       where o.message_id = due.message_id and p.id = o.provider_id
       returning o.message_id, o.attempts, o.payload, p.secret, p.callback_url, o.created_at`,
      // Long enough for every post of the batch to time out, one after another.
      [new Date(at), new Date(at + (opts.timeoutMs ?? 10_000) * claimBatch + 60_000), claimBatch],
    );
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  }

  async function run(): Promise<number> {
    let delivered = 0;
    for (const row of await claim()) if (await attempt(row)) delivered += 1;
    return delivered;
  }

  return {
    runOnce() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
    kick() {
      setImmediate(() => {
        this.runOnce().catch((err: unknown) => opts.log?.(`outbox: ${(err as Error).message}`));
      });
    },
  };
}
