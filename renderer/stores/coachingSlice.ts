import type { StateCreator } from 'zustand';
import type { LiveReport } from '../../core/coaching/wire';
import { idleCoaching, type CoachingControls, type CoachingState } from '../services/coaching/coachingService';
import type { AppState } from './appStore';
import { remoteNumber } from '../../core/call/rules';

/** Coaching as the coaching service (services/coaching/coachingService.ts) publishes it; it is the only writer. */
export type CoachingSlice = {
  coaching: CoachingState;
  /** What the coaching UI may do; null while signed out. */
  coachingControls: CoachingControls | null;
  setCoaching(patch: Partial<CoachingState>): void;
  setCoachingControls(controls: CoachingControls | null): void;
};

export const createCoachingSlice = (): StateCreator<AppState, [], [], CoachingSlice> => (set) => ({
  coaching: idleCoaching,
  coachingControls: null,
  setCoaching: (patch) => set((s) => ({ coaching: { ...s.coaching, ...patch } })),
  setCoachingControls: (coachingControls) => set({ coachingControls }),
});

/** The agent's live report for the lead's board: presence and the established (or held) call. */
export function selectLiveReport(s: AppState): LiveReport {
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
