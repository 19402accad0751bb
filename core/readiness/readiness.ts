import { z } from 'zod';
import { mosFromR, oneWayDelayMs, rFactor } from '../call/mos';

/**
 * The readiness check an agent runs before going Available: is the microphone picking up a voice, do the
 * speaker and the ringer play, does the phone server answer and hold the registration, does TURN hand out
 * a relay (when configured), and does a short echo test call carry voice well enough (RTT, jitter, loss,
 * MOS). Each item is pass / warn / fail with a reason code the screen words in the agent's language.
 *
 *   not run ──run──► running ──► result (pass | warn | fail, per item and overall)
 *                                   │
 *   "Available" requested ──► gate: policy off → allow; no fail → allow;
 *                                   fail & required → refuse, unless policy allows an override
 *
 * Policy (ReadinessCheck, core/policy/schema.ts) decides whether it gates, the echo extension and the
 * thresholds. Pure: measurements come in, verdicts go out.
 */

export const ReadinessPolicy = z
  .object({
    /** off: no check; recommended: offered, never blocks; required: a failed or missing check keeps the agent out of Available. */
    mode: z.enum(['off', 'recommended', 'required']).default('recommended'),
    /** With `required`: the agent may still go Available after a failed check (the override is logged). */
    allowOverride: z.boolean().default(false),
    /** Extension that answers and echoes audio back; null: the one the server provisions, if any. */
    echoExtension: z.string().regex(/^[0-9A-Za-z_.+-]{1,64}$/).nullable().default(null),
    maxRttMs: z.number().int().min(50).max(5000).default(400),
    maxJitterMs: z.number().int().min(5).max(1000).default(50),
    maxLossPct: z.number().min(0).max(100).default(5),
    minMos: z.number().min(1).max(4.5).default(3.6),
  })
  .strict();
export type ReadinessPolicy = z.output<typeof ReadinessPolicy>;
export const defaultReadinessPolicy: ReadinessPolicy = ReadinessPolicy.parse({});

export const ReadinessItemId = z.enum(['microphone', 'speaker', 'ringer', 'sipServer', 'registration', 'turn', 'echoCall', 'network']);
export type ReadinessItemId = z.infer<typeof ReadinessItemId>;
export const readinessItems: readonly ReadinessItemId[] = ReadinessItemId.options;

export const Verdict = z.enum(['pass', 'warn', 'fail', 'skipped']);
export type Verdict = z.infer<typeof Verdict>;

/** Reason codes: each one a sentence in renderer/i18n (`readiness.reason.<code>`). */
export const ReadinessReason = z.enum([
  'ok',
  'mic-missing', 'mic-blocked', 'mic-silent', 'mic-quiet', 'mic-error',
  'output-missing', 'output-error',
  'sip-unreachable', 'sip-slow', 'sip-not-configured',
  'not-registered', 'registering',
  'turn-not-configured', 'turn-no-relay',
  'echo-not-configured', 'echo-failed', 'echo-no-audio', 'echo-poor', 'echo-fair',
  'network-vpn', 'network-proxy', 'network-unknown',
]);
export type ReadinessReason = z.infer<typeof ReadinessReason>;

export const ReadinessItem = z.object({
  id: ReadinessItemId,
  verdict: Verdict,
  reason: ReadinessReason,
  /** Figures behind the verdict (ms, %, dB, MOS) for the screen and the diagnostics archive. */
  values: z.record(z.string().max(32), z.union([z.number().finite(), z.string().max(200)])).default({}),
});
export type ReadinessItem = z.infer<typeof ReadinessItem>;

export const ReadinessResult = z.object({
  at: z.number().finite(),
  overall: Verdict,
  items: z.array(ReadinessItem).max(16),
  /** The agent went Available over a failed check (policy allowed it). */
  overridden: z.boolean().default(false),
});
export type ReadinessResult = z.infer<typeof ReadinessResult>;

/** The worst of the items' verdicts (skipped counts for nothing). */
export function overallVerdict(items: readonly ReadinessItem[]): Verdict {
  const order: Verdict[] = ['fail', 'warn', 'pass'];
  for (const v of order) if (items.some((i) => i.verdict === v)) return v;
  return 'skipped';
}

export type EchoMeasurement = { rttMs: number | null; jitterMs: number; lossPct: number; packetsReceived: number; codec: 'opus' | 'PCMU' };

/** The echo call's figures against the policy: the worst threshold crossed decides; "fair" is within 80% of a limit. */
export function judgeEcho(m: EchoMeasurement, p: ReadinessPolicy): ReadinessItem {
  const rtt = m.rttMs ?? 0;
  const mos = Math.round(mosFromR(rFactor({ oneWayDelayMs: oneWayDelayMs(rtt, m.jitterMs), lossPct: m.lossPct, codec: m.codec })) * 100) / 100;
  const values = { rttMs: Math.round(rtt), jitterMs: Math.round(m.jitterMs * 10) / 10, lossPct: Math.round(m.lossPct * 10) / 10, mos };
  if (m.packetsReceived === 0 || m.rttMs === null) return { id: 'echoCall', verdict: 'fail', reason: 'echo-no-audio', values };
  const over = rtt > p.maxRttMs || m.jitterMs > p.maxJitterMs || m.lossPct > p.maxLossPct || mos < p.minMos;
  if (over) return { id: 'echoCall', verdict: 'fail', reason: 'echo-poor', values };
  const near = rtt > 0.8 * p.maxRttMs || m.jitterMs > 0.8 * p.maxJitterMs || m.lossPct > 0.8 * p.maxLossPct || mos < p.minMos + 0.2;
  return { id: 'echoCall', verdict: near ? 'warn' : 'pass', reason: near ? 'echo-fair' : 'ok', values };
}

/** Microphone level (dBFS, loudest 50 ms frame while the agent speaks). */
export function judgeMicrophone(levelDb: number): ReadinessItem {
  const values = { levelDb: Math.round(levelDb) };
  if (levelDb < -70) return { id: 'microphone', verdict: 'fail', reason: 'mic-silent', values };
  if (levelDb < -50) return { id: 'microphone', verdict: 'warn', reason: 'mic-quiet', values };
  return { id: 'microphone', verdict: 'pass', reason: 'ok', values };
}

/** The phone server's WebSocket round trip (an OPTIONS answered), or null when it did not answer. */
export function judgeSipServer(rttMs: number | null): ReadinessItem {
  if (rttMs === null) return { id: 'sipServer', verdict: 'fail', reason: 'sip-unreachable', values: {} };
  const values = { rttMs: Math.round(rttMs) };
  return rttMs > 1000 ? { id: 'sipServer', verdict: 'warn', reason: 'sip-slow', values } : { id: 'sipServer', verdict: 'pass', reason: 'ok', values };
}

export type GateDecision = { allow: true } | { allow: false; canOverride: boolean; why: 'not-run' | 'failed' };

/** May the agent go Available now? Only a required check gates; a passing or warning result lets them through. */
export function gateAvailable(policy: ReadinessPolicy, last: ReadinessResult | null): GateDecision {
  if (policy.mode !== 'required') return { allow: true };
  if (last && last.overall !== 'fail') return { allow: true };
  if (last?.overridden) return { allow: true };
  return { allow: false, canOverride: policy.allowOverride && last !== null, why: last ? 'failed' : 'not-run' };
}
