import { CoachMode, coachHeaders, coachInfoContentType, parseCoachInfo } from '../../../core/coaching/modes';
import type { VerifyResponse } from '../../../core/coaching/wire';
import type { CallId } from '../../../core/call/callMachine';
import type { CoachingInvite, LiveCallAccess } from '../phone/coachingInvite';
import { createCoachMixer, type CoachMixer } from './mixer';

/**
 * The agent's side of coaching. A coaching call is an ordinary INVITE from the lead's app that carries
 * `X-Switchboard-Coach: <mode>` and `X-Switchboard-Coach-Grant: <grant>`. It is answered automatically
 * only after the central server has verified the grant (signed, unexpired, for this agent and this
 * agent's current call, from a lead of the agent's team, not used before); anything else is answered
 * 403 and never rings. The mixing happens here (./mixer.ts), mode changes arrive as in-dialog INFO.
 */

export type CoachedState = { sessionId: string; callId: CallId; lead: { id: string; displayName: string }; mode: CoachMode; showListen: boolean };

export type AgentCoachDeps = {
  /** POST /coaching/verify; throws when the server refuses (the message says why). */
  verify(grant: string, callId: CallId): Promise<VerifyResponse>;
  /** Audit events (started, mode, ended); failures are logged, never block the audio. */
  report(sessionId: string, event: { type: 'started' | 'mode'; mode: CoachMode } | { type: 'ended'; reason: 'lead-left' | 'agent-call-ended' | 'lead-lost' }): Promise<void>;
  onChange(state: CoachedState | null): void;
  log(line: string): void;
  /** How long the lead's audio may stop before the session counts as lost (lead's app or network gone). */
  leadSilenceMs?: number;
};

export type AgentCoach = {
  /** sipPhone's interceptInvite hook: true when this INVITE was a coaching one (handled here). */
  intercept(invite: CoachingInvite, calls: LiveCallAccess): boolean;
  state(): CoachedState | null;
  readonly mixer: CoachMixer | null;
  /** The customer call ended (or the agent signed out): leave the coaching call too. */
  end(reason: 'agent-call-ended'): Promise<void>;
};

type Active = { inv: CoachingInvite; state: CoachedState; mixer: CoachMixer | null; seq: number; watch?: ReturnType<typeof setInterval>; ended: boolean };

const inboundBytes = async (pc: RTCPeerConnection): Promise<number> => {
  let n = 0;
  (await pc.getStats()).forEach((s: { type?: string; kind?: string; bytesReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.bytesReceived ?? 0;
  });
  return n;
};

export function createAgentCoach(deps: AgentCoachDeps): AgentCoach {
  const { log } = deps;
  const silenceMs = deps.leadSilenceMs ?? 4000;
  let active: Active | null = null;

  const publish = (): void => deps.onChange(active && !active.ended ? { ...active.state } : null);
  const report = (sessionId: string, event: Parameters<AgentCoachDeps['report']>[1]): void => {
    deps.report(sessionId, event).catch((e: unknown) => log(`[coach ${sessionId}] audit ${event.type} not recorded: ${String(e)}`));
  };

  const refuse = (inv: CoachingInvite, why: string): void => {
    log(`coaching INVITE refused (403): ${why}`);
    inv.reject({ statusCode: 403, reasonPhrase: 'Coaching Not Permitted' }).catch((e: unknown) => log(`reject failed: ${String(e)}`));
  };

  const finish = async (a: Active, reason: 'lead-left' | 'agent-call-ended' | 'lead-lost'): Promise<void> => {
    if (a.ended) return;
    a.ended = true;
    clearInterval(a.watch);
    log(`[coach ${a.state.sessionId}] ended: ${reason}`);
    await a.mixer?.dispose();
    if (active === a) active = null;
    publish();
    report(a.state.sessionId, { type: 'ended', reason });
    if (a.inv.established()) await a.inv.bye().catch(() => undefined);
  };

  /** No RTP from the lead for a while: their app closed without a BYE or their network dropped. */
  const watchLead = (a: Active, pc: RTCPeerConnection): void => {
    let last = -1;
    let since = Date.now();
    a.watch = setInterval(() => {
      inboundBytes(pc)
        .then((n) => {
          if (n !== last) {
            last = n;
            since = Date.now();
          } else if (Date.now() - since > silenceMs) void finish(a, 'lead-lost');
        })
        .catch(() => undefined);
    }, 500);
  };

  const start = async (inv: CoachingInvite, calls: LiveCallAccess, grant: string, mode: CoachMode): Promise<void> => {
    const current = calls.current();
    if (!current) return refuse(inv, 'no customer call');
    if (active) return refuse(inv, 'already coached');
    let ok: VerifyResponse;
    try {
      ok = await deps.verify(grant, current.callId);
    } catch (e) {
      return refuse(inv, e instanceof Error ? e.message : String(e));
    }
    // The grant names a call; it must be the one the agent is on right now, not merely one the server saw.
    if (ok.callId !== current.callId) return refuse(inv, `grant is for ${ok.callId}, agent is on ${current.callId}`);
    const a: Active = { inv, state: { sessionId: ok.sessionId, callId: current.callId, lead: ok.lead, mode, showListen: ok.showListen }, mixer: null, seq: -1, ended: false };
    active = a;
    inv.onInfo(({ contentType, body }) => {
      const msg = contentType.startsWith(coachInfoContentType) ? parseCoachInfo(body) : null;
      if (!msg) return false;
      if (msg.seq <= a.seq || a.ended) return true;
      a.seq = msg.seq;
      a.state = { ...a.state, mode: msg.mode };
      a.mixer?.setMode(msg.mode);
      log(`[coach ${a.state.sessionId}] mode ${msg.mode}`);
      publish();
      return true;
    });
    inv.onEnded(() => void finish(a, 'lead-left'));
    try {
      const coachPc = await inv.accept();
      const customerPc = calls.peerConnection(current.callId);
      if (!customerPc || !coachPc) throw new Error('no media on the customer or coaching call');
      a.mixer = await createCoachMixer({ customerPc, coachPc, mode: a.state.mode, log });
      watchLead(a, coachPc);
    } catch (e) {
      log(`[coach ${a.state.sessionId}] could not start: ${e instanceof Error ? e.message : String(e)}`);
      await finish(a, 'lead-left');
      return;
    }
    log(`[coach ${a.state.sessionId}] ${ok.lead.displayName} joined ${current.callId} in ${mode}`);
    report(a.state.sessionId, { type: 'started', mode });
    publish();
  };

  return {
    intercept(inv, calls) {
      const modeHeader = inv.header(coachHeaders.mode);
      const grant = inv.header(coachHeaders.grant);
      if (modeHeader === undefined && grant === undefined) return false;
      const mode = CoachMode.safeParse(modeHeader ?? 'listen');
      if (!grant) refuse(inv, 'no grant');
      else if (!mode.success) refuse(inv, 'bad mode');
      else void start(inv, calls, grant, mode.data);
      return true;
    },
    state: () => (active && !active.ended ? { ...active.state } : null),
    get mixer() {
      return active?.mixer ?? null;
    },
    async end(reason) {
      if (active) await finish(active, reason);
    },
  };
}
