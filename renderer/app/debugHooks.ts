import type { PolicyName } from '../../core/policy/schema';
import type { Api } from '../services/api/api';
import type { CoachingService } from '../services/coaching/coachingService';
import { CoachCallError, startCoachCall } from '../services/phone/leadCoach';
import { HostError, type Host } from '../services/host/host';
import type { AppStore } from '../stores/appStore';

/**
 * Read-only `window` hooks for the e2e and bench scripts, each installed only when its localStorage flag is
 * set (never in a normal run).
 */
export function installDebugHooks(deps: { win: Window; api: Api; host: Host; store: AppStore; coaching: CoachingService; log(line: string): void }): void {
  const { win, api, host, store, coaching, log } = deps;
  const flag = (name: string) => win.localStorage.getItem(`switchboard.${name}`) === '1';
  // Coaching audio for the e2e spectral checks.
  if (flag('debug-coaching')) {
    Object.assign(win, {
      switchboardCoaching: () => ({ agentEar: coaching.agentCoach.mixer?.agentEar ?? null, toCustomer: coaching.agentCoach.mixer?.toCustomer ?? null, leadEar: coaching.leadRemote() }),
      // A coaching INVITE with whatever grant the test brings (or none): resolves to the SIP status.
      switchboardCoachDial: async (extension: string, grant: string | null) => {
        try {
          const call = await startCoachCall({ account: await api.sipAccount(), extension, grant, mode: 'listen', onEnded: () => {}, log });
          await call.leave();
          return 200;
        } catch (e) {
          return e instanceof CoachCallError ? e.status : -1;
        }
      },
    });
  }
  // The first sync's progress for bench/voiceFirst.mjs (does it wait while the call is live?).
  if (flag('debug-sync')) {
    Object.assign(win, { switchboardFirstSync: () => store.getState().syncEngine?.firstSync ?? null, switchboardSyncState: () => store.getState().syncEngine?.status ?? null });
  }
  // The raw policy:set-user channel for the policy e2e (a locked setting is refused by the host, not just the UI).
  if (flag('debug-policy')) {
    Object.assign(win, {
      switchboardSetUserPolicy: (name: PolicyName, value: unknown) =>
        host.setUserPolicy(name, value).then(
          () => 'ok',
          (e: unknown) => (e instanceof HostError ? e.code : 'error'),
        ),
    });
  }
  // Call timings for bench/call.mjs.
  if (flag('debug-calls')) {
    Object.assign(win, { switchboardDebugCalls: () => store.getState().phone.calls.map((v) => ({ id: v.call.id, state: v.call.state, direction: v.call.direction, marks: { ...v.call.marks } })) });
  }
}
