import type { CoachMode } from '../../../core/coaching/modes';
import { GrantResponse, type LiveMember, type LiveReport, TeamLive, VerifyResponse } from '../../../core/coaching/wire';
import type { SipAccount } from '../../../core/wire/sip';
import type { Api } from '../api/api';
import type { Host } from '../host/host';
import type { UserPart } from '../session/userSession';
import { createAgentCoach, type AgentCoach, type CoachedState } from './agentCoach';
import { startCoachCall, type LeadCoachCall } from '../phone/leadCoach';
import type { TeamLiveFeeds } from './teamLiveFeed';

/**
 * Coaching for whoever is signed in. Agents: report presence and the current call to the server (the anchor
 * of every grant), raise a hand, and be coached (agentCoach.ts answers only verified coaching INVITEs).
 * Leads: the team's live view (pushed over GET /coaching/socket, teamLiveFeed.ts), and a coaching call to an agent with Listen / Whisper / Barge / Leave.
 * Its state is the store's coaching slice; this service is its only writer.
 */

export type LeadCoaching =
  | { status: 'idle' }
  | { status: 'starting'; agentId: string }
  | { status: 'active'; agentId: string; sessionId: string; mode: CoachMode; switching: boolean }
  | { status: 'error'; agentId: string; message: string };

export type CoachingState = {
  /** The agent is being coached (who, which mode). */
  coached: CoachedState | null;
  handRaised: boolean;
  lead: LeadCoaching;
  /** `live`: the view is being pushed (false while the socket reconnects: what is shown may be old). */
  team: { teamId: string; live: TeamLive | null; error: string | null; connected: boolean } | null;
};
export const idleCoaching: CoachingState = { coached: null, handRaised: false, lead: { status: 'idle' }, team: null };

/** What the coaching UI may ask while someone is signed in. */
export type CoachingControls = {
  raiseHand(raised: boolean): Promise<void>;
  /** Follows the team's live view while a Team page shows it; returns the stop function. */
  watchTeam(teamId: string): () => void;
  coach(agentId: string, callId: string, mode: CoachMode): Promise<void>;
  setMode(mode: CoachMode): Promise<void>;
  leave(): Promise<void>;
  /** What the lead hears on the coaching call (null when none). */
  leadRemote(): MediaStream | null;
};

/** How the service reads the app's state and reports its own (the store, in the app). */
export type CoachingDelegate = {
  state(): CoachingState;
  publish(patch: Partial<CoachingState>): void;
  onControls(controls: CoachingControls | null): void;
  /** The agent's live report now (presence and the current call). */
  liveReport(): LiveReport;
  /** Calls `listener` when what the live report is made of may have changed. */
  onReportInputs(listener: () => void): () => void;
  /** The lead's media obeys the same TURN / relay-only policy as the softphone's. */
  applyIcePolicy(account: SipAccount): SipAccount;
  /** The notification for a raised hand, in the user's language. */
  handNotice(member: LiveMember): { title: string; body: string };
};

export type CoachingServiceDeps = { api: Api; host: Host; log?: (line: string) => void; teamFeeds: TeamLiveFeeds };

const REPORT_EVERY_MS = 15_000;
/** Quiet time after the last change before a live report goes out (a lead's view is pushed on each). */
const REPORT_SETTLE_MS = 250;

/**
 * Built before the phone (the phone hands coaching INVITEs to `agentCoach` before anything else sees them);
 * `connect` gives it the store once that exists, and `part` is its per-user lifecycle.
 */
export function createCoachingService(deps: CoachingServiceDeps) {
  const { api, host } = deps;
  const log = deps.log ?? ((line: string) => console.warn(line));
  const clog = (line: string) => log(`[coaching] ${line}`);
  let delegate: CoachingDelegate | null = null;
  const publish = (patch: Partial<CoachingState>) => delegate?.publish(patch);
  const snap = () => delegate?.state() ?? idleCoaching;

  const agentCoach: AgentCoach = createAgentCoach({
    verify: async (grant, callId) => VerifyResponse.parse(await api.postJson('/coaching/verify', { grant, callId })),
    report: async (sessionId, event) => void (await api.postJson(`/coaching/sessions/${sessionId}/events`, event)),
    onChange: (coached) => publish({ coached }),
    log: clog,
  });

  let leadCall: LeadCoachCall | null = null;
  const events = (sessionId: string, body: unknown) =>
    api.postJson(`/coaching/sessions/${sessionId}/events`, body).catch((e: unknown) => clog(`[${sessionId}] audit not recorded: ${String(e)}`));
  const seenHands = new Map<string, number>();

  const controls: CoachingControls = {
    leadRemote: () => leadCall?.remote ?? null,

    async raiseHand(raised) {
      await api.postJson('/coaching/hand', { raised });
      publish({ handRaised: raised });
    },

    watchTeam(teamId) {
      const before = snap().team;
      const live0 = before?.teamId === teamId ? before.live : null;
      publish({ team: { teamId, live: live0, error: null, connected: false } });
      const current = () => snap().team;
      return deps.teamFeeds.watch(teamId, {
        onLive(live) {
          for (const m of live.members) {
            // A hand raised since the last look: tell the lead even if the app is in the background.
            if (m.hand && seenHands.get(m.id) !== m.hand.raisedAt && delegate) {
              host.notify({ ...delegate.handNotice(m), tag: `hand-${m.id}` }).catch(() => undefined);
            }
            if (m.hand) seenHands.set(m.id, m.hand.raisedAt);
            else seenHands.delete(m.id);
          }
          publish({ team: { teamId, live, error: null, connected: true } });
        },
        onAway() {
          const t = current();
          publish({ team: { teamId, live: t?.teamId === teamId ? t.live : null, error: null, connected: false } });
        },
        onRefused(message) {
          publish({ team: { teamId, live: null, error: message, connected: false } });
        },
      });
    },

    async coach(agentId, callId, mode) {
      const status = snap().lead.status;
      if (status === 'starting' || status === 'active') return;
      publish({ lead: { status: 'starting', agentId } });
      try {
        const g = GrantResponse.parse(await api.postJson('/coaching/grants', { agentId, callId }));
        const provisioned = await api.sipAccount();
        const account = delegate ? delegate.applyIcePolicy(provisioned) : provisioned;
        leadCall = await startCoachCall({
          account,
          extension: g.extension,
          grant: g.grant,
          mode,
          log: clog,
          onEnded: (reason) => {
            clog(`[${g.sessionId}] coaching call ended: ${reason}`);
            leadCall = null;
            publish({ lead: { status: 'idle' } });
          },
        });
        void events(g.sessionId, { type: 'started', mode });
        publish({ lead: { status: 'active', agentId, sessionId: g.sessionId, mode, switching: false } });
      } catch (e) {
        publish({ lead: { status: 'error', agentId, message: e instanceof Error ? e.message : String(e) } });
      }
    },

    async setMode(mode) {
      const l = snap().lead;
      if (l.status !== 'active' || !leadCall || l.mode === mode) return;
      publish({ lead: { ...l, switching: true } });
      try {
        await leadCall.setMode(mode);
        void events(l.sessionId, { type: 'mode', mode });
        publish({ lead: { ...l, mode, switching: false } });
      } catch (e) {
        publish({ lead: { status: 'error', agentId: l.agentId, message: e instanceof Error ? e.message : String(e) } });
      }
    },

    async leave() {
      const l = snap().lead;
      const call = leadCall;
      leadCall = null;
      publish({ lead: { status: 'idle' } });
      await call?.leave();
      if (l.status === 'active') void events(l.sessionId, { type: 'ended', reason: 'lead-left' });
    },
  };

  // Live reports: on every change of presence or the current call, and every 15 s as a heartbeat.
  let lastSent = '';
  let lastAt = 0;
  const sendReport = (force: boolean) => {
    if (!delegate) return;
    const report = delegate.liveReport();
    const key = JSON.stringify({ ...report, call: report.call && { ...report.call, mos: undefined } });
    if (!force && key === lastSent && Date.now() - lastAt < REPORT_EVERY_MS) return;
    lastSent = key;
    lastAt = Date.now();
    api.postJson('/coaching/live', report).catch((e: unknown) => clog(`live report failed: ${String(e)}`));
    // The customer call is over: a coaching call on it ends too.
    const coached = agentCoach.state();
    if (coached && report.call?.callId !== coached.callId) void agentCoach.end('agent-call-ended');
  };

  let teardown: (() => void) | null = null;
  const part: UserPart = {
    name: 'coaching',
    start() {
      if (!delegate) throw new Error('coaching started before it was connected to the store');
      // A call's setup is a burst of changes (ringing, answered, established, first audio) and issuing a
      // fetch costs the page's main thread milliseconds (20 ms in one bench/call.mjs trace, right between
      // the 200 OK and setRemoteDescription): the report follows the burst, with the state it ended in.
      let reportTimer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        clearTimeout(reportTimer);
        reportTimer = setTimeout(() => sendReport(false), REPORT_SETTLE_MS);
      };
      const unInputs = delegate.onReportInputs(settle);
      const heartbeat = setInterval(() => sendReport(true), REPORT_EVERY_MS);
      settle();
      delegate.onControls(controls);
      teardown = () => {
        unInputs();
        clearTimeout(reportTimer);
        clearInterval(heartbeat);
      };
    },
    stop() {
      teardown?.();
      teardown = null;
      delegate?.onControls(null);
      if (leadCall) void controls.leave();
      publish({ handRaised: false, team: null });
    },
  };

  return {
    /** sipPhone's interceptInvite hook. */
    agentCoach,
    /** The store, once it exists (it is built after the phone, which needs `agentCoach`). */
    connect(d: CoachingDelegate): void {
      delegate = d;
    },
    part,
    /** Read-only, for the e2e spectral checks behind their debug flag. */
    leadRemote: controls.leadRemote,
  };
}
export type CoachingService = ReturnType<typeof createCoachingService>;
export type { CoachedState };
