import type { CoachMode } from '../../../core/coaching/modes';
import { applyIcePolicy } from '../../../core/policy/ice';
import { GrantResponse, type LiveReport, TeamLive, VerifyResponse } from '../../../core/coaching/wire';
import type { Api } from '../../services/api/api';
import { createAgentCoach, type AgentCoach, type CoachedState } from '../../services/coaching/agentCoach';
import { startCoachCall, type LeadCoachCall } from '../../services/phone/leadCoach';
import type { Host } from '../../services/host/host';
import type { AppState, AppStore } from '../../stores/appStore';
import { remoteNumber } from '../../stores/phoneSlice';
import { translate } from '../../i18n/i18n';

/**
 * Coaching for whoever is signed in. Agents: report presence and the current call to the server (the
 * anchor of every grant), raise a hand, and be coached (services/coaching/agentCoach.ts answers only
 * verified coaching INVITEs). Leads: the team's live view (polled), and a coaching call to an agent
 * with Listen / Whisper / Barge / Leave. State is a small external store read with useSyncExternalStore.
 */

export type LeadCoaching =
  | { status: 'idle' }
  | { status: 'starting'; agentId: string }
  | { status: 'active'; agentId: string; sessionId: string; mode: CoachMode; switching: boolean }
  | { status: 'error'; agentId: string; message: string };

export type CoachingSnapshot = {
  /** The agent is being coached (who, which mode). */
  coached: CoachedState | null;
  handRaised: boolean;
  lead: LeadCoaching;
  team: { teamId: string; live: TeamLive | null; error: string | null } | null;
};

export type CoachingSession = {
  getSnapshot(): CoachingSnapshot;
  subscribe(listener: () => void): () => void;
  /** sipPhone's interceptInvite hook. */
  agentCoach: AgentCoach;
  raiseHand(raised: boolean): Promise<void>;
  /** Polls the team's live view while a Team page shows it; returns the stop function. */
  watchTeam(teamId: string): () => void;
  coach(agentId: string, callId: string, mode: CoachMode): Promise<void>;
  setMode(mode: CoachMode): Promise<void>;
  leave(): Promise<void>;
  /** What the lead hears on the coaching call (null when none). */
  leadRemote(): MediaStream | null;
};

export type CoachingSessionDeps = { store: AppStore; api: Api; host: Host; log?: (line: string) => void; teamPollMs?: number };

const REPORT_EVERY_MS = 15_000;
/** Quiet time after the last change before a live report goes out (a lead's board polls every 2 s). */
const REPORT_SETTLE_MS = 250;

function liveReportOf(s: AppState): LiveReport {
  const v = s.phone.calls.find((c) => c.call.state === 'established' || c.call.state === 'held');
  const c = v?.call;
  return {
    presence: s.presence,
    call:
      c && c.marks.establishedAt !== undefined
        ? {
            callId: c.id,
            remote: remoteNumber(c.remote.uri),
            ...(c.remote.displayName || (v.pop?.status === 'found' && v.pop.customer.name)
              ? { remoteName: (v.pop?.status === 'found' ? v.pop.customer.name : c.remote.displayName) ?? '' }
              : {}),
            direction: c.direction,
            // marks are performance-clock epoch ms with a fraction; the wire wants whole ms.
            startedAt: Math.round(c.marks.establishedAt),
            held: c.state === 'held',
            band: v.quality?.band ?? 'unknown',
            ...(v.quality ? { mos: v.quality.mos } : {}),
          }
        : null,
  };
}

export function createCoachingSession(deps: CoachingSessionDeps): CoachingSession {
  const { store, api, host } = deps;
  const log = deps.log ?? ((line: string) => console.warn(line));
  const clog = (line: string) => log(`[coaching] ${line}`);
  let snap: CoachingSnapshot = { coached: null, handRaised: false, lead: { status: 'idle' }, team: null };
  const listeners = new Set<() => void>();
  const publish = (p: Partial<CoachingSnapshot>) => {
    snap = { ...snap, ...p };
    for (const l of listeners) l();
  };

  const agentCoach = createAgentCoach({
    verify: async (grant, callId) => VerifyResponse.parse(await api.postJson('/coaching/verify', { grant, callId })),
    report: async (sessionId, event) => void (await api.postJson(`/coaching/sessions/${sessionId}/events`, event)),
    onChange: (coached) => publish({ coached }),
    log: clog,
  });

  // Live reports: on every change of presence or the current call, and every 15 s as a heartbeat.
  let lastSent = '';
  let lastAt = 0;
  const sendReport = (force: boolean) => {
    const s = store.getState();
    if (!s.user) return;
    const report = liveReportOf(s);
    const key = JSON.stringify({ ...report, call: report.call && { ...report.call, mos: undefined } });
    if (!force && key === lastSent && Date.now() - lastAt < REPORT_EVERY_MS) return;
    lastSent = key;
    lastAt = Date.now();
    api.postJson('/coaching/live', report).catch((e: unknown) => clog(`live report failed: ${String(e)}`));
    // The customer call is over: a coaching call on it ends too.
    const coached = agentCoach.state();
    if (coached && report.call?.callId !== coached.callId) void agentCoach.end('agent-call-ended');
  };
  // A call's setup is a burst of changes (ringing, answered, established, first audio) and issuing a
  // fetch costs the page's main thread milliseconds (20 ms in one bench/call.mjs trace, right between
  // the 200 OK and setRemoteDescription): the report follows the burst, with the state it ended in.
  let reportTimer: ReturnType<typeof setTimeout> | undefined;
  store.subscribe((s, prev) => {
    if (s.presence === prev.presence && s.phone.calls === prev.phone.calls && s.user === prev.user) return;
    clearTimeout(reportTimer);
    reportTimer = setTimeout(() => sendReport(false), REPORT_SETTLE_MS);
  });
  setInterval(() => sendReport(true), REPORT_EVERY_MS);

  let leadCall: LeadCoachCall | null = null;
  const events = (sessionId: string, body: unknown) =>
    api.postJson(`/coaching/sessions/${sessionId}/events`, body).catch((e: unknown) => clog(`[${sessionId}] audit not recorded: ${String(e)}`));
  const seenHands = new Map<string, number>();

  return {
    getSnapshot: () => snap,
    leadRemote: () => leadCall?.remote ?? null,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    agentCoach,

    async raiseHand(raised) {
      await api.postJson('/coaching/hand', { raised });
      publish({ handRaised: raised });
    },

    watchTeam(teamId) {
      let stopped = false;
      publish({ team: { teamId, live: snap.team?.teamId === teamId ? snap.team.live : null, error: null } });
      const poll = async () => {
        try {
          const live = TeamLive.parse(await api.getJson(`/coaching/teams/${encodeURIComponent(teamId)}/live`));
          if (stopped) return;
          for (const m of live.members) {
            // A hand raised since the last look: tell the lead even if the app is in the background.
            if (m.hand && seenHands.get(m.id) !== m.hand.raisedAt) {
              const locale = store.getState().locale;
              const notice = { title: translate(locale, 'coach.handNoticeTitle', { name: m.displayName }), body: m.hand.note ?? translate(locale, 'coach.handNoticeBody'), tag: `hand-${m.id}` };
              host.notify(notice).catch(() => undefined);
            }
            if (m.hand) seenHands.set(m.id, m.hand.raisedAt);
            else seenHands.delete(m.id);
          }
          publish({ team: { teamId, live, error: null } });
        } catch (e) {
          if (!stopped) publish({ team: { teamId, live: snap.team?.live ?? null, error: e instanceof Error ? e.message : String(e) } });
        }
      };
      void poll();
      const timer = setInterval(() => void poll(), deps.teamPollMs ?? 2000);
      return () => {
        stopped = true;
        clearInterval(timer);
      };
    },

    async coach(agentId, callId, mode) {
      if (snap.lead.status === 'starting' || snap.lead.status === 'active') return;
      publish({ lead: { status: 'starting', agentId } });
      try {
        const g = GrantResponse.parse(await api.postJson('/coaching/grants', { agentId, callId }));
        const provisioned = await api.sipAccount();
        // The lead's media obeys the same TURN / relay-only policy as the softphone's.
        const account = { ...provisioned, ...applyIcePolicy(provisioned.iceServers, deps.store.getState().policy.values) };
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
      const l = snap.lead;
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
      const l = snap.lead;
      const call = leadCall;
      leadCall = null;
      publish({ lead: { status: 'idle' } });
      await call?.leave();
      if (l.status === 'active') void events(l.sessionId, { type: 'ended', reason: 'lead-left' });
    },
  };
}

export type { CoachedState };
