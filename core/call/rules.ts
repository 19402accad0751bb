import type { Presence } from '../presence';
import type { Call, CallId } from './callMachine';

/**
 * The softphone's pure rules, shared by the phone slice, the call UI and coaching: how a caller is
 * named, how long a call took, what a call's end means for the call log and the agent's presence.
 *
 *   call ends after it connected (and was not handed on) ──► wrap-up: presence after-call
 *        agent asks for "available" with a wrap-up open   ──► stays after-call, "wrap-up required"
 *        last wrap-up disposed                            ──► presence back to what it was before
 *   call ends without connecting, or continues elsewhere ──► logged with its outcome, no wrap-up
 */

/** The digits of a caller: `sip:+86138…@pbx` → `+86138…`; a SIP URI without a number stays a URI. */
export function remoteNumber(uri: string): string {
  const user = /^sips?:([^@;]+)@/i.exec(uri)?.[1];
  return user ? decodeURIComponent(user) : uri;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export const dispositions = ['resolved', 'follow-up', 'callback', 'escalated', 'wrong-number', 'no-action'] as const;
export type Disposition = (typeof dispositions)[number];
export const isDisposition = (d: string): d is Disposition => (dispositions as readonly string[]).includes(d);

/** States in which a call has a card: live, or waiting for its wrap-up. */
export const hasCard = (call: Call): boolean => call.state !== 'ended' && call.state !== 'failed' && call.state !== 'done';

/** One finished call as the call log keeps it. */
export type CallRecord = {
  id: CallId;
  direction: 'inbound' | 'outbound';
  /** The far end's number or SIP URI, and its display name when it sent one (untrusted). */
  remote: string;
  remoteName?: string;
  customerId?: string;
  ticketId?: string;
  startedAt: number;
  /** 0 when the call never connected. */
  durationMs: number;
  /** answered, missed, declined, failed, ... */
  outcome: string;
  disposition?: string;
  note?: string;
  /** After-call work: from the call's end to its disposition (KPI handle time = talk + wrap-up). */
  wrapUpMs?: number;
  /** Inbound: how long it rang at the agent before the answer (KPI speed of answer). */
  ringMs?: number;
};

/** The call log's row for a call; `now` stands in for marks the call never got (still running). */
export function callRecord(
  call: Call,
  extra: { outcome: string; now: number; customerId?: string; ticketId?: string; disposition?: string; note?: string },
): CallRecord {
  const started = call.marks.clickAt ?? call.marks.inviteAt ?? extra.now;
  const durationMs = call.marks.establishedAt !== undefined ? (call.marks.endedAt ?? extra.now) - call.marks.establishedAt : 0;
  return {
    id: call.id,
    direction: call.direction,
    remote: remoteNumber(call.remote.uri),
    startedAt: Math.round(started),
    durationMs: Math.round(durationMs),
    outcome: extra.outcome,
    ...(call.remote.displayName ? { remoteName: call.remote.displayName } : {}),
    ...(extra.customerId ? { customerId: extra.customerId } : {}),
    ...(extra.ticketId ? { ticketId: extra.ticketId } : {}),
    ...(extra.disposition ? { disposition: extra.disposition } : {}),
    ...(extra.note ? { note: extra.note } : {}),
    ...(extra.disposition && call.marks.endedAt !== undefined ? { wrapUpMs: Math.max(0, Math.round(extra.now - call.marks.endedAt)) } : {}),
    ...(call.direction === 'inbound' && call.marks.inviteAt !== undefined && call.marks.establishedAt !== undefined
      ? { ringMs: Math.max(0, Math.round(call.marks.establishedAt - call.marks.inviteAt)) }
      : {}),
  };
}

/**
 * What an ended (or failed) call becomes: a wrap-up for the agent, or a call-log line with its outcome.
 * `transferredHere`: the agent transferred this leg (blind, or the original leg of an attended transfer).
 * `wasConsult`: this leg was the consultation of a transfer. A leg that ends "transferred" without the
 * agent transferring it goes on in another call here (the consult leg of the agent's completed transfer,
 * a leg the far end's INVITE with Replaces took over, or one whose REFER we followed, RFC 3891/3515):
 * that call gets the wrap-up, this one is only logged.
 */
export function callEnding(call: Call, leg: { transferredHere: boolean; wasConsult: boolean }): { kind: 'wrap-up' } | { kind: 'log'; outcome: string } {
  const connected = call.marks.establishedAt !== undefined;
  const continued = call.endReason?.kind === 'transferred' && !leg.transferredHere;
  if (connected && !continued) return { kind: 'wrap-up' };
  const reason = call.endReason?.kind ?? 'failed';
  const outcome = connected ? (leg.wasConsult ? 'consult' : reason) : call.direction === 'inbound' && reason === 'remote-hangup' ? 'missed' : reason;
  return { kind: 'log', outcome };
}

/**
 * The wrap-up rule for presence. `before` is the presence to return to once every wrap-up is disposed
 * (null when the agent was already after-call as the wrap-up began).
 */
export type WrapUpPresence = { before: Presence | null };

/** A wrap-up starts: the agent becomes after-call, remembering what they were. */
export function presenceOnWrapUp(current: Presence, held: WrapUpPresence | null): { presence: Presence; held: WrapUpPresence } {
  if (current === 'after-call') return { presence: current, held: held ?? { before: null } };
  return { presence: 'after-call', held: { before: current } };
}

/**
 * The agent asks for a presence. Leaving wrap-up takes a disposition: "available" while a wrap-up is
 * open stays after-call and says a disposition is required. Anything else is taken as asked.
 */
export function presenceOnRequest(requested: Presence, current: Presence, wrapUpOpen: boolean): { presence: Presence; wrapUpRequired: boolean } {
  if (requested === 'available' && current !== 'available' && wrapUpOpen) return { presence: 'after-call', wrapUpRequired: true };
  return { presence: requested, wrapUpRequired: false };
}

/** The last wrap-up is disposed: an agent still after-call goes back to where they were (else available). */
export function presenceAfterWrapUp(current: Presence, held: WrapUpPresence | null): Presence {
  return current === 'after-call' ? (held?.before ?? 'available') : current;
}

/**
 * The team's wrap-up limit (core/wire/board.ts FloorSettings): after-call work that began at `since` ends
 * at the returned time (epoch ms), or never (null) when the team set no limit. The server applies the same
 * rule (server/presence/write.ts expireWrapUps), so routing and the wallboard agree with the agent's app.
 */
export function wrapUpEndsAt(presence: Presence, since: number, limitSeconds: number | null): number | null {
  return presence === 'after-call' && limitSeconds !== null ? since + limitSeconds * 1000 : null;
}
