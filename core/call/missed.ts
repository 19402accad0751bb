import type { Call } from './callMachine';
import { remoteNumber } from './rules';

/**
 * Why an incoming call was missed, in words an agent acts on:
 *   declined         the agent (or a rule) turned it down
 *   no-audio-device  the agent tried to answer but no microphone/speaker could be opened
 *   background       it rang out while the app was hidden, minimised or behind another window
 *   timed-out        it rang out (the caller gave up) with the app in front
 * null: not missed (answered, or not an incoming call).
 */
export type MissedReason = 'declined' | 'timed-out' | 'no-audio-device' | 'background';
export const missedReasons: readonly MissedReason[] = ['declined', 'timed-out', 'no-audio-device', 'background'];

export type MissedCall = { id: string; at: number; remote: string; remoteName?: string; reason: MissedReason };

export function missedReason(call: Call, ctx: { hiddenWhileRinging: boolean }): MissedReason | null {
  if (call.direction !== 'inbound' || call.marks.establishedAt !== undefined) return null;
  const kind = call.endReason?.kind;
  if (kind === 'transferred') return null;
  if (kind === 'declined' || kind === 'local-hangup') return 'declined';
  if (kind === 'media') return 'no-audio-device';
  return ctx.hiddenWhileRinging ? 'background' : 'timed-out';
}

export function missedCall(call: Call, reason: MissedReason, now: number): MissedCall {
  return {
    id: call.id,
    at: Math.round(call.marks.endedAt ?? now),
    remote: remoteNumber(call.remote.uri),
    ...(call.remote.displayName ? { remoteName: call.remote.displayName.slice(0, 200) } : {}),
    reason,
  };
}
