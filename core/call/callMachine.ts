/**
 * The call state machine: what a call may do next, decided without sip.js or the DOM, so the phone
 * service, the UI and the tests all agree on one set of rules.
 *
 * ```
 *   outbound                                      inbound
 *      |                                             |
 *      V  dial                                       V  incoming
 *  +---------+                                 +------------+
 *  | dialing |                                 | ringing-in |
 *  +---------+                                 +------------+
 *      |  progress (18x)                             |
 *      V                                             |
 *  +---------+        established (2xx / ACK)        |
 *  |  early  |------------------+--------------------+
 *  +---------+                  |
 *                               V
 *                       +-------------+   hold    +------+
 *                       | established |---------->| held |
 *                       |             |<----------|      |
 *                       +-------------+  resume   +------+
 *                               |                    |
 *            hangup (local)     V                    |
 *   (from any live state) +----------+               |
 *                         |  ending  |<--------------+
 *                         +----------+
 *                               |  ended (BYE / CANCEL / 4xx-6xx after setup)
 *                               V
 *   failed (before setup) +----------+        +--------+
 *   ------------------->  |  ended   |        | failed |
 *                         +----------+        +--------+
 *                               |  wrap-up          |  wrap-up
 *                               V                   V
 *                         +-----------------------------+  dispose(disposition)  +------+
 *                         |          wrap-up            |----------------------->| done |
 *                         +-----------------------------+                        +------+
 * ```
 * `ended` is reachable from every live state (the far end may hang up at any time); `failed` only
 * before the call was established (a call that worked and then dropped has *ended*, with a reason).
 * `wrap-up` is the agent's after-call work: the call is over, the agent is not yet free, and leaving it
 * requires a disposition. Marks (INVITE sent, first audio) and mute only record data and are legal
 * wherever they make sense; anything else returns an `illegal-transition` error and the call is unchanged.
 */

export type CallId = string;
export type CallDirection = 'outbound' | 'inbound';
export type DtmfMode = 'rfc4733' | 'info';

export type CallStateName =
  | 'dialing'
  | 'ringing-in'
  | 'early'
  | 'established'
  | 'held'
  | 'ending'
  | 'ended'
  | 'failed'
  | 'wrap-up'
  | 'done';

/** States in which media may flow or is being set up; the phone holds resources for these. */
export const liveStates: readonly CallStateName[] = ['dialing', 'ringing-in', 'early', 'established', 'held', 'ending'];

export type RemoteIdentity = {
  /** `sip:1001@example.com` */
  uri: string;
  /** From the From / P-Asserted-Identity display name; untrusted, display only. */
  displayName?: string;
};

/** Timestamps in epoch milliseconds (fractional: performance.timeOrigin + performance.now()). */
export type CallMarks = {
  /** The agent pressed call (outbound). */
  clickAt?: number;
  /** The INVITE was handed to the transport (outbound), or received (inbound). */
  inviteAt?: number;
  /** The agent pressed answer (inbound). */
  answerAt?: number;
  establishedAt?: number;
  /** The first inbound RTP bytes were counted by getStats. */
  firstAudioAt?: number;
  endedAt?: number;
};

export type CallEndReason =
  | { kind: 'local-hangup' }
  | { kind: 'remote-hangup' }
  | { kind: 'declined' }
  | { kind: 'cancelled' }
  | { kind: 'transferred' }
  | { kind: 'rejected'; status: number; phrase: string }
  | { kind: 'media'; message: string }
  | { kind: 'network'; message: string };

export type Call = {
  id: CallId;
  direction: CallDirection;
  remote: RemoteIdentity;
  state: CallStateName;
  marks: CallMarks;
  muted: boolean;
  onHold: boolean;
  dtmfMode: DtmfMode;
  endReason?: CallEndReason;
  /** The agent's after-call classification ("resolved", "callback", ...), set when wrap-up ends. */
  disposition?: string;
};

export type CallEvent =
  | { type: 'invite-sent'; at: number }
  | { type: 'progress' }
  | { type: 'answer'; at: number }
  | { type: 'established'; at: number }
  | { type: 'first-audio'; at: number }
  | { type: 'hold' }
  | { type: 'resume' }
  | { type: 'mute' }
  | { type: 'unmute' }
  | { type: 'hangup' }
  | { type: 'ended'; at: number; reason: CallEndReason }
  | { type: 'failed'; at: number; reason: CallEndReason }
  | { type: 'wrap-up' }
  | { type: 'dispose'; disposition: string };

export type IllegalTransition = { code: 'illegal-transition'; from: CallStateName; event: CallEvent['type'] };
export type CallTransition = { ok: true; call: Call } | { ok: false; error: IllegalTransition };

export function newOutboundCall(id: CallId, remote: RemoteIdentity, dtmfMode: DtmfMode, clickAt: number): Call {
  return { id, direction: 'outbound', remote, state: 'dialing', marks: { clickAt }, muted: false, onHold: false, dtmfMode };
}

export function newInboundCall(id: CallId, remote: RemoteIdentity, dtmfMode: DtmfMode, inviteAt: number): Call {
  return { id, direction: 'inbound', remote, state: 'ringing-in', marks: { inviteAt }, muted: false, onHold: false, dtmfMode };
}

export const isLive = (call: Call): boolean => liveStates.includes(call.state);

const inState = (call: Call, ...states: CallStateName[]): boolean => states.includes(call.state);

export function nextCallState(call: Call, event: CallEvent): CallTransition {
  const to = (patch: Partial<Call>): CallTransition => ({ ok: true, call: { ...call, ...patch } });
  const illegal: CallTransition = { ok: false, error: { code: 'illegal-transition', from: call.state, event: event.type } };
  const mark = (patch: CallMarks): Partial<Call> => ({ marks: { ...call.marks, ...patch } });

  switch (event.type) {
    case 'invite-sent':
      return call.direction === 'outbound' && inState(call, 'dialing', 'early') ? to(mark({ inviteAt: event.at })) : illegal;
    case 'progress':
      return inState(call, 'dialing') ? to({ state: 'early' }) : inState(call, 'early') ? to({}) : illegal;
    case 'answer':
      return inState(call, 'ringing-in') ? to(mark({ answerAt: event.at })) : illegal;
    case 'established':
      return inState(call, 'dialing', 'early', 'ringing-in') ? to({ state: 'established', ...mark({ establishedAt: event.at }) }) : illegal;
    case 'first-audio':
      if (!inState(call, 'established', 'held')) return illegal;
      // Only the first one counts: it is the "answer → first audio" figure.
      return call.marks.firstAudioAt === undefined ? to(mark({ firstAudioAt: event.at })) : to({});
    case 'hold':
      return inState(call, 'established') ? to({ state: 'held', onHold: true }) : illegal;
    case 'resume':
      return inState(call, 'held') ? to({ state: 'established', onHold: false }) : illegal;
    case 'mute':
    case 'unmute':
      return inState(call, 'dialing', 'early', 'established', 'held') ? to({ muted: event.type === 'mute' }) : illegal;
    case 'hangup':
      return inState(call, 'dialing', 'ringing-in', 'early', 'established', 'held') ? to({ state: 'ending' }) : illegal;
    case 'ended':
      return isLive(call) ? to({ state: 'ended', endReason: event.reason, onHold: false, ...mark({ endedAt: event.at }) }) : illegal;
    case 'failed':
      // A call that was established and then dropped has ended (with a reason); it did not fail to connect.
      return inState(call, 'dialing', 'ringing-in', 'early') || (inState(call, 'ending') && call.marks.establishedAt === undefined)
        ? to({ state: 'failed', endReason: event.reason, ...mark({ endedAt: event.at }) })
        : illegal;
    case 'wrap-up':
      return inState(call, 'ended', 'failed') ? to({ state: 'wrap-up' }) : illegal;
    case 'dispose':
      return inState(call, 'wrap-up') && event.disposition.trim() !== '' ? to({ state: 'done', disposition: event.disposition.trim() }) : illegal;
  }
}

/** Durations in ms derived from the marks, for the bench and the call log; undefined when not measured. */
export function callTimings(call: Call): { clickToInviteMs?: number; inviteToEstablishedMs?: number; answerToFirstAudioMs?: number } {
  const d = (a?: number, b?: number): number | undefined => (a !== undefined && b !== undefined ? b - a : undefined);
  const m = call.marks;
  const answer = call.direction === 'inbound' ? m.answerAt : m.establishedAt;
  return {
    clickToInviteMs: d(m.clickAt, m.inviteAt),
    inviteToEstablishedMs: call.direction === 'outbound' ? d(m.inviteAt, m.establishedAt) : undefined,
    answerToFirstAudioMs: d(answer, m.firstAudioAt),
  };
}
