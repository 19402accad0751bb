import type { StateCreator } from 'zustand';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';
import type { SyncPhase } from '../services/sync/syncEngine';
import { syncIndicatorOf } from './syncIndicator';

export type SipState = 'unregistered' | 'registering' | 'registered' | 'reconnecting' | 'failed';
/** Why the phone is not registered; the status bar shows it. `no-phone` until the softphone exists. */
export type SipReason = 'no-phone' | (string & {});
export type SipStatus = { state: SipState; reason: SipReason | null };

/**
 * What the status bar shows about sync: the engine's phase (services/sync/syncEngine.ts `SyncPhase`), forced to
 * 'offline' while the connectivity probe cannot reach the server, and the outbox figures. Derived from
 * `serverReachable` and the engine's report (stores/syncIndicator.ts); never set by hand.
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
  /** Derived (stores/syncIndicator.ts): the probe's `serverReachable` with the sync engine's report. */
  sync: SyncIndicator;
  /** The connectivity probe's finding (navigator.onLine and GET /health); the probe is its only writer. */
  serverReachable: boolean;
  /** Checks the server now (after a wake-up or the browser going online). */
  probeServer(): Promise<void>;
  /** Starts watching navigator.onLine and probing /health; returns the stop function. */
  startConnectivity(): () => void;
};

export const createConnectivitySlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], ConnectivitySlice> =>
  (set, get) => {
    /** Reachability is all the probe says; the engine's phase ('syncing' …) is the sync part's (syncIndicatorOf). */
    const setReachable = (serverReachable: boolean) => {
      if (get().serverReachable !== serverReachable) set({ serverReachable });
    };
    let probing: Promise<void> | null = null;

    return {
      sip: { state: 'unregistered', reason: 'no-phone' },
      sync: syncIndicatorOf(deps.network.isOnline(), null),
      serverReachable: deps.network.isOnline(),

      probeServer() {
        // navigator.onLine is only "has a network interface": a captive portal or a dead VPN says true, and a
        // machine whose only interface is loopback (a server on this computer) says false. Only the server's
        // answer decides; the browser going offline is a reason to ask (startConnectivity), not the answer.
        probing ??= (async () => {
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
