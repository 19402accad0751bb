import type { StateCreator } from 'zustand';
import type { Call } from '../../core/call/callMachine';
import type { UpdateActivity, UpdateStatus } from '../../core/update/status';
import { HostError } from '../services/host/host';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

/**
 * App updates as the renderer sees them: the status main publishes (electron/updater.ts), and the
 * agent's activity sent the other way, so main never restarts the app under a call.
 *
 * "In a call": any call the phone slice holds that is not over — ringing, dialling, live, on hold, and
 * wrap-up too, because a restart would lose the disposition and note being typed. "In a shift": signed
 * in with a presence other than offline (after-call, break and busy are all still at work).
 */
export type UpdatesSlice = {
  /** null until the host answered. */
  update: UpdateStatus | null;
  /** Why the last "Restart to update" was refused (the host's message), cleared on the next try. */
  updateInstallError: string | null;
  /** Starts following the host's status and reporting activity; returns the stop function. */
  startUpdates(): () => void;
  /** "Restart to update"; the host refuses during a call. */
  installUpdate(): Promise<void>;
};

const over = new Set<Call['state']>(['ended', 'failed', 'done']);

export function updateActivityOf(s: Pick<AppState, 'phone' | 'presence' | 'user'>): UpdateActivity {
  return {
    inCall: s.phone.calls.some((v) => !over.has(v.call.state)),
    inShift: s.user !== null && s.presence !== 'offline',
  };
}

export const createUpdatesSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], UpdatesSlice> =>
  (set, get, api) => ({
    update: null,
    updateInstallError: null,
    startUpdates() {
      const log = (line: string) => deps.log?.(`[update] ${line}`);
      const offStatus = deps.host.on('update:status', (status) => set({ update: status }));
      deps.host.getUpdateStatus().then(
        (status) => set({ update: status }),
        (err: unknown) => log(`status unavailable: ${String(err)}`),
      );
      let sent = '';
      const report = (s: AppState) => {
        const activity = updateActivityOf(s);
        const key = `${activity.inCall}/${activity.inShift}`;
        if (key === sent) return;
        sent = key;
        // Sent at once and on every change: main re-checks this right before it restarts the app.
        deps.host.setUpdateActivity(activity).catch((err: unknown) => {
          sent = '';
          log(`activity not delivered: ${String(err)}`);
        });
      };
      report(get());
      const offStore = api.subscribe((s, prev) => {
        if (s.phone.calls !== prev.phone.calls || s.presence !== prev.presence || s.user !== prev.user) report(s);
      });
      return () => {
        offStatus();
        offStore();
      };
    },
    async installUpdate() {
      set({ updateInstallError: null });
      try {
        await deps.host.installUpdate();
      } catch (err) {
        set({ updateInstallError: err instanceof HostError ? err.message : String(err) });
      }
    },
  });
