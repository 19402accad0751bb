import type { StateCreator } from 'zustand';
import { presenceAfterWrapUp, presenceOnRequest, presenceOnWrapUp, type WrapUpPresence } from '../../core/call/rules';
import { Presence } from '../../core/presence';
import type { AppState } from './appStore';
import { storageKeys, type StoreDeps } from './deps';

export type PresenceSlice = {
  /** What the agent chose; routing offers work only to `available`. */
  presence: Presence;
  /** The presence each fresh sign-in starts with (Settings). */
  defaultPresence: Presence;
  /**
   * What the agent (or a shortcut, or sign-in) asks for. Leaving wrap-up takes a disposition: "available"
   * while a call is in wrap-up stays after-call and the phone says a disposition is required.
   */
  setPresence(presence: Presence): void;
  /** The presence to return to once the open wrap-ups are disposed (core/call/rules.ts). */
  wrapUpPresence: WrapUpPresence | null;
  /** A call entered wrap-up: after-call, remembering where the agent was. */
  beginWrapUpPresence(): void;
  /** The last wrap-up was disposed: back to where the agent was. */
  endWrapUpPresence(): void;
  /** Sign-out: the held presence belongs to the session that ended. */
  clearWrapUpPresence(): void;
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
    /** The one way presence changes: the wrap-up rule decides what an agent's request becomes. */
    const request = (requested: Presence) => {
      // A required readiness check that has not passed keeps the agent out of Available (readinessSlice);
      // a signed-in agent still gets a registered phone meanwhile, so the check can test it.
      if (requested === 'available' && get().presence !== 'available' && !get().readinessAllowsAvailable()) {
        if (get().presence === 'offline') apply('busy');
        return;
      }
      const wrapUpOpen = get().phone.calls.some((v) => v.call.state === 'wrap-up');
      const r = presenceOnRequest(requested, get().presence, wrapUpOpen);
      apply(r.presence);
      if (r.wrapUpRequired) get().requireWrapUp();
    };
    return {
      presence: 'offline',
      defaultPresence: read(deps, storageKeys.defaultPresence, 'available'),
      wrapUpPresence: null,
      setPresence: request,
      beginWrapUpPresence() {
        const r = presenceOnWrapUp(get().presence, get().wrapUpPresence);
        set({ wrapUpPresence: r.held });
        if (r.presence !== get().presence) apply(r.presence);
      },
      endWrapUpPresence() {
        const next = presenceAfterWrapUp(get().presence, get().wrapUpPresence);
        set({ wrapUpPresence: null });
        if (next !== get().presence) apply(next);
      },
      setDefaultPresence(presence) {
        set({ defaultPresence: presence });
        deps.storage.setItem(storageKeys.defaultPresence, presence);
      },
      clearWrapUpPresence: () => set({ wrapUpPresence: null }),
      applyDefaultPresence: () => request(get().defaultPresence),
      restorePresence: () => request(read(deps, storageKeys.presence, get().defaultPresence)),
    };
  };
