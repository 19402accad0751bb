import type { Presence } from '../../core/presence';
import type { CoachRef, LiveCall } from '../../core/coaching/wire';

/**
 * What each agent's app last reported (presence, current call) and raised hands, kept in memory: it is
 * live state that is stale within seconds, and an app re-reports on every change and every 15 s, so
 * after a server restart the view refills by itself. The call reported here is what grants are issued
 * against; a report older than `staleMs` counts as "no call" (the app is gone).
 */
export type AgentLive = {
  presence: Presence;
  presenceSince: number;
  call: LiveCall | null;
  reportedAt: number;
  hand: { raisedAt: number; note?: string } | null;
  coach: CoachRef | null;
};

export type LiveBoard = {
  /** True when what a wallboard shows changed: presence, the call (or its hold), or the app came back after going quiet. */
  report(userId: string, presence: Presence, call: LiveCall | null): boolean;
  hand(userId: string, raised: boolean, note?: string): void;
  setCoach(userId: string, coach: CoachRef | null): void;
  get(userId: string): AgentLive | undefined;
  /** The agent's current call id, if the last report is fresh and has one. */
  currentCallId(userId: string): string | null;
};

export function createLiveBoard(now: () => number, staleMs = 45_000): LiveBoard {
  const agents = new Map<string, AgentLive>();
  const entry = (userId: string): AgentLive => {
    let e = agents.get(userId);
    if (!e) {
      e = { presence: 'offline', presenceSince: now(), call: null, reportedAt: 0, hand: null, coach: null };
      agents.set(userId, e);
    }
    return e;
  };
  const fresh = (e: AgentLive): boolean => now() - e.reportedAt <= staleMs;
  return {
    report(userId, presence, call) {
      const e = entry(userId);
      const changed = !fresh(e) || e.presence !== presence || e.call?.callId !== call?.callId || e.call?.held !== call?.held;
      if (e.presence !== presence) e.presenceSince = now();
      e.presence = presence;
      e.call = call;
      e.reportedAt = now();
      // The call the coach was on is over: the coach marker goes with it.
      if (e.coach && !call) e.coach = null;
      return changed;
    },
    hand(userId, raised, note) {
      const e = entry(userId);
      e.hand = raised ? { raisedAt: e.hand?.raisedAt ?? now(), ...(note ? { note } : {}) } : null;
    },
    setCoach(userId, coach) {
      entry(userId).coach = coach;
    },
    get(userId) {
      const e = agents.get(userId);
      if (!e) return undefined;
      return fresh(e) ? e : { ...e, presence: 'offline', call: null, coach: null };
    },
    currentCallId(userId) {
      const e = agents.get(userId);
      return e && fresh(e) ? (e.call?.callId ?? null) : null;
    },
  };
}
