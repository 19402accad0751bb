import { z } from 'zod';
import { ChatId, ChatTimestamp, FreeText } from './chat';

/**
 * Finished phone calls in the conversation history. The app reports each call once it is logged (after
 * wrap-up, or at once for a missed call), through its outbox, so a call made while the server was
 * unreachable still arrives:
 *
 *   POST /chat/calls   CallReport → CallReportResult   idempotent by the report id
 *
 * The server finds the customer (the report's, the ticket's, or by phone number; else a new contact),
 * records the call as a closed `voice` conversation with one `voice-call` history line, links it to the
 * ticket (the report's, the customer's newest open one, or a new one) and notes the call on the ticket.
 */
export const callRoutes = { calls: '/chat/calls' } as const;

const Slug = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a lowercase word such as "answered" or "missed"');
export const CallDirection = z.enum(['inbound', 'outbound']);
export type CallDirection = z.infer<typeof CallDirection>;

export const CallReport = z.object({
  /** The report's id (a UUID made when the call was logged): a resent report is one history line. */
  id: ChatId,
  /** The phone's own id of the call, for log lines. */
  callId: z.string().min(1).max(64),
  direction: CallDirection,
  /** The far end's number or SIP user (untrusted: it came in a SIP header). */
  remote: FreeText(200, 'a number').refine((s) => s.trim() !== '', 'a number is empty'),
  remoteName: FreeText(200, 'a name').optional(),
  startedAt: ChatTimestamp,
  /** 0 when the call never connected; at most a day. */
  durationMs: z.number().int().nonnegative().max(86_400_000),
  /** answered, missed, declined, failed, busy, consult, ... */
  outcome: Slug,
  disposition: Slug.optional(),
  /** After-call work from the call's end to the disposition (KPI handle time). */
  wrapUpMs: z.number().int().nonnegative().max(86_400_000).optional(),
  /** Inbound: ringing at the agent before the answer (KPI speed of answer). */
  ringMs: z.number().int().nonnegative().max(86_400_000).optional(),
  customerId: ChatId.optional(),
  ticketId: ChatId.optional(),
});
export type CallReport = z.infer<typeof CallReport>;

export const CallReportResult = z.object({ conversationId: ChatId, messageId: ChatId, ticketId: ChatId, duplicate: z.boolean() });
export type CallReportResult = z.infer<typeof CallReportResult>;

/** What a `voice-call` history line says, parsed back from its body for a localized rendering. */
export type CallLine = { direction: CallDirection; outcome: string; durationSeconds: number; remote: string };

const minSec = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * The body of a `voice-call` message: readable as it is (transcripts, other clients) and parsed by
 * `parseCallLine`, e.g. "Inbound call · answered · 1:35 · +4930123456".
 */
export function callLine(report: Pick<CallReport, 'direction' | 'outcome' | 'durationMs' | 'remote'>): string {
  const dir = report.direction === 'inbound' ? 'Inbound' : 'Outbound';
  return `${dir} call · ${report.outcome} · ${minSec(Math.round(report.durationMs / 1000))} · ${report.remote}`;
}

const linePattern = /^(Inbound|Outbound) call · ([a-z][a-z0-9-]{0,31}) · (\d+):([0-5]\d) · (.+)$/s;

/** null when the body is not a call line (then it is shown as plain text). */
export function parseCallLine(body: string): CallLine | null {
  const m = linePattern.exec(body);
  if (!m) return null;
  return { direction: m[1] === 'Inbound' ? 'inbound' : 'outbound', outcome: m[2]!, durationSeconds: Number(m[3]) * 60 + Number(m[4]), remote: m[5]! };
}
