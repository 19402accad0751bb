import type { StateCreator } from 'zustand';
import type { SyncEngineState } from '../services/sync/syncEngine';
import type { AppState } from './appStore';
import type { SyncIndicator } from './connectivitySlice';

/**
 * What the status bar says of sync, from its two sources: whether the connectivity probe reaches the server
 * (`serverReachable`, the probe's alone) and the sync engine's own report (`syncEngine`, the sync part's
 * alone). Unreachable is offline whatever the engine last said; otherwise the engine's phase. Signed out
 * (no engine), reachability is all there is to say and nobody's outbox is on screen.
 */
export function syncIndicatorOf(serverReachable: boolean, engine: SyncEngineState | null): SyncIndicator {
  if (!engine) return { state: serverReachable ? 'online' : 'offline', pendingCount: 0, lastSyncedAt: null };
  return { state: serverReachable ? engine.status : 'offline', pendingCount: engine.pendingCount, lastSyncedAt: engine.lastSyncedAt };
}

const sameIndicator = (a: SyncIndicator, b: SyncIndicator) => a.state === b.state && a.pendingCount === b.pendingCount && a.lastSyncedAt === b.lastSyncedAt;

/**
 * `sync` has one writer: this wrapper derives it from `serverReachable` and `syncEngine` in the same `set`
 * that changed either, as stores/sipStatus.ts does for `sip`. It stays a field (not only a selector) so the
 * reference is stable for subscribers.
 */
export const withDerivedSync =
  (creator: StateCreator<AppState>): StateCreator<AppState> =>
  (set, get, api) => {
    const derivedSet: typeof set = (partial, replace) => {
      const patch = typeof partial === 'function' ? partial(get()) : partial;
      const next = { ...get(), ...patch } as AppState;
      const sync = syncIndicatorOf(next.serverReachable, next.syncEngine);
      const withSync = next.sync && sameIndicator(sync, next.sync) ? patch : { ...patch, sync };
      if (replace === true) set(withSync as AppState, true);
      else set(withSync);
    };
    api.setState = derivedSet;
    return creator(derivedSet, get, api);
  };
