import type { StateCreator } from 'zustand';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';
import type { SyncPhase } from '../services/sync/syncEngine';

export type SipState = 'unregistered' | 'registering' | 'registered' | 'reconnecting' | 'failed';
/** Why the phone is not registered; the status bar shows it. `no-phone` until the softphone exists. */
export type SipReason = 'no-phone' | (string & {});
export type SipStatus = { state: SipState; reason: SipReason | null };

/**
 * What the status bar shows about sync: the engine's phase (services/sync/syncEngine.ts `SyncPhase`), forced to
 * 'offline' while the connectivity probe cannot reach the server, and the outbox figures.
 */
export type SyncIndicator = {
  state: SyncPhase;
  /** Local changes not yet accepted by the server (the outbox). */
  pendingCount: number;
  /** Epoch ms of the last completed sync, null before the first. */
  lastSyncedAt: number | null;
};

export type ConnectivitySlice = {
  /** Derived from the phone's registration, account and presence (stores/sipStatus.ts); never set by hand. */
  sip: SipStatus;
  sync: SyncIndicator;
  /** For the sync service (it owns the outbox and the pull loop). */
  setSync(patch: Partial<SyncIndicator>): void;
  /** Checks the server now (after a wake-up or the browser going online). */
  probeServer(): Promise<void>;
  /** Starts watching navigator.onLine and probing /health; returns the stop function. */
  startConnectivity(): () => void;
};

export const createConnectivitySlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], ConnectivitySlice> =>
  (set, get) => {
    /** Only online/offline are ours to set; 'syncing' belongs to the sync service and is not overridden by a probe. */
    const setReachable = (reachable: boolean) => {
      const { sync } = get();
      if (!reachable) set({ sync: { ...sync, state: 'offline' } });
      else if (sync.state === 'offline') set({ sync: { ...sync, state: 'online' } });
    };
    let probing: Promise<void> | null = null;

    return {
      sip: { state: 'unregistered', reason: 'no-phone' },
      sync: { state: deps.network.isOnline() ? 'online' : 'offline', pendingCount: 0, lastSyncedAt: null },
      setSync: (patch) => set({ sync: { ...get().sync, ...patch } }),

      probeServer() {
        // navigator.onLine is only "has a network interface": a captive portal or a dead VPN says true.
        probing ??= (async () => {
          if (!deps.network.isOnline()) return setReachable(false);
          try {
            await deps.api.health();
            setReachable(true);
          } catch {
            setReachable(false);
          }
        })().finally(() => {
          probing = null;
        });
        return probing;
      },

      startConnectivity() {
        const probe = () => void get().probeServer();
        const unsubscribe = deps.network.subscribe((online) => (online ? probe() : setReachable(false)));
        const unResume = deps.host.on('power:resumed', probe);
        const timer = setInterval(probe, deps.healthProbeMs ?? 30_000);
        probe();
        return () => {
          unsubscribe();
          unResume();
          clearInterval(timer);
        };
      },
    };
  };
