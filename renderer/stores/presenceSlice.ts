import type { StateCreator } from 'zustand';
import { Presence } from '../../core/presence';
import type { AppState } from './appStore';
import { storageKeys, type StoreDeps } from './deps';

export type PresenceSlice = {
  /** What the agent chose; routing offers work only to `available`. */
  presence: Presence;
  /** The presence each fresh sign-in starts with (Settings). */
  defaultPresence: Presence;
  setPresence(presence: Presence): void;
  setDefaultPresence(presence: Presence): void;
  /** After a fresh sign-in: start from the default. */
  applyDefaultPresence(): void;
  /** After a silent resume (restart, reload): carry on with what the agent last chose. */
  restorePresence(): void;
};

function read(deps: StoreDeps, key: string, fallback: Presence): Presence {
  const parsed = Presence.safeParse(deps.storage.getItem(key));
  return parsed.success ? parsed.data : fallback;
}

export const createPresenceSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], PresenceSlice> =>
  (set, get) => {
    const mirror = (presence: Presence) => {
      deps.host.setTrayPresence(presence).catch((err: unknown) => deps.log?.(`[presence] tray update failed: ${String(err)}`));
    };
    const apply = (presence: Presence) => {
      set({ presence });
      deps.storage.setItem(storageKeys.presence, presence);
      mirror(presence);
    };
    return {
      presence: 'offline',
      defaultPresence: read(deps, storageKeys.defaultPresence, 'available'),
      setPresence: apply,
      setDefaultPresence(presence) {
        set({ defaultPresence: presence });
        deps.storage.setItem(storageKeys.defaultPresence, presence);
      },
      applyDefaultPresence: () => apply(get().defaultPresence),
      restorePresence: () => apply(read(deps, storageKeys.presence, get().defaultPresence)),
    };
  };
