import { z } from 'zod';
import { EffectivePolicy, LogLevel } from '../policy/schema';
import { ReadinessResult } from '../readiness/readiness';

/**
 * The shapes that cross the IPC boundary for diagnostics: log batches the renderer hands its host
 * (`logs:append`), and what the renderer knows that the host does not (`diagnostics:export`): its SIP
 * trace, recent calls' quality timelines, the policy it runs under. Limits keep a buggy or hostile page
 * from making main allocate or write without bound.
 */

export const LOG_LINE_MAX = 4000;
export const LOG_BATCH_MAX = 200;
export const SIP_MESSAGE_MAX = 16 * 1024;

export const LogEntry = z.object({
  at: z.number().finite(),
  level: LogLevel,
  line: z.string().max(LOG_LINE_MAX),
});
export type LogEntry = z.infer<typeof LogEntry>;

export const LogBatch = z.array(LogEntry).min(1).max(LOG_BATCH_MAX);
export type LogBatch = z.infer<typeof LogBatch>;

/** One getStats reading of a call, as the quality badge showed it. */
export const QualityPoint = z.object({
  at: z.number().finite(),
  rttMs: z.number().finite(),
  jitterMs: z.number().finite(),
  lossPct: z.number().finite(),
  mos: z.number().finite(),
  codec: z.string().max(32),
});
export type QualityPoint = z.infer<typeof QualityPoint>;

export const CallTimeline = z.object({
  callId: z.string().min(1).max(64),
  direction: z.enum(['inbound', 'outbound']),
  startedAt: z.number().finite(),
  endedAt: z.number().finite().nullable(),
  /** The call machine's last state (ended, failed, …) or its end reason. */
  outcome: z.string().max(64).nullable(),
  samples: z.array(QualityPoint).max(3600),
});
export type CallTimeline = z.infer<typeof CallTimeline>;

export const SipTraceEntry = z.object({
  at: z.number().finite(),
  direction: z.enum(['in', 'out']),
  message: z.string().max(SIP_MESSAGE_MAX),
});
export type SipTraceEntry = z.infer<typeof SipTraceEntry>;

export const DiagnosticsRequest = z.object({
  /** What the renderer can tell about itself: app version, user agent, language, host kind. */
  versions: z.record(z.string().max(64), z.string().max(512)),
  policy: EffectivePolicy.nullable(),
  /** Why the policy is missing or partial (no policy source yet, read failed), shown in policy.json. */
  policyNote: z.string().max(1000).nullable(),
  calls: z.array(CallTimeline).max(20),
  sipTrace: z.array(SipTraceEntry).max(2000),
  /** The last readiness check (microphone, speaker, phone server, echo call figures), if one ran. */
  readiness: ReadinessResult.nullable().optional(),
});
export type DiagnosticsRequest = z.infer<typeof DiagnosticsRequest>;

/** Where the archive went: a file path (desktop) or the name the browser downloaded it under. */
export const DiagnosticsSaved = z.object({ location: z.string(), bytes: z.number().int().nonnegative() });
export type DiagnosticsSaved = z.infer<typeof DiagnosticsSaved>;
