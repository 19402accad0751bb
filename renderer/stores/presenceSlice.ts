import type { StateCreator } from 'zustand';
import { presenceAfterWrapUp, presenceOnRequest, presenceOnWrapUp, wrapUpEndsAt, type WrapUpPresence } from '../../core/call/rules';
import { Presence } from '../../core/presence';
import { PresenceConfig, boardRoutes } from '../../core/wire/board';
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
  setPresence(presence: Presence, reasonId?: string | null): void;
  /** The break reason chosen with `break` (one of presenceConfig's reasons), else null. */
  presenceReason: string | null;
  /** Epoch ms the agent entered the current presence (and reason): the status bar's timer. */
  presenceSince: number;
  /** The team's break reasons and wrap-up limit (GET /presence/config); null until loaded. */
  presenceConfig: PresenceConfig | null;
  loadPresenceConfig(): Promise<void>;
  /** The status bar's tick: after-call past the team's wrap-up limit ends into the team's choice. */
  checkWrapUpLimit(now: number): void;
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
    const apply = (presence: Presence, reasonId: string | null = null) => {
      const reason = presence === 'break' ? reasonId : null;
      if (presence !== get().presence || reason !== get().presenceReason) set({ presenceSince: Date.now() });
      set({ presence, presenceReason: reason });
      deps.storage.setItem(storageKeys.presence, presence);
      mirror(presence);
    };
    /** The one way presence changes: the wrap-up rule decides what an agent's request becomes. */
    const request = (requested: Presence, reasonId: string | null = null) => {
      // A required readiness check that has not passed keeps the agent out of Available (readinessSlice);
      // a signed-in agent still gets a registered phone meanwhile, so the check can test it.
      if (requested === 'available' && get().presence !== 'available' && !get().readinessAllowsAvailable()) {
        if (get().presence === 'offline') apply('busy');
        return;
      }
      const wrapUpOpen = get().phone.calls.some((v) => v.call.state === 'wrap-up');
      const r = presenceOnRequest(requested, get().presence, wrapUpOpen);
      apply(r.presence, reasonId);
      if (r.wrapUpRequired) get().requireWrapUp();
    };
    return {
      presence: 'offline',
      presenceReason: null,
      presenceSince: Date.now(),
      presenceConfig: null,
      defaultPresence: read(deps, storageKeys.defaultPresence, 'available'),
      wrapUpPresence: null,
      setPresence: (presence, reasonId) => request(presence, reasonId ?? null),
      async loadPresenceConfig() {
        try {
          set({ presenceConfig: PresenceConfig.parse(await deps.api.getJson(boardRoutes.presenceConfig)) });
        } catch (err) {
          deps.log?.(`[presence] break reasons not loaded: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
      checkWrapUpLimit(now) {
        const { presence, presenceSince, presenceConfig } = get();
        const ends = wrapUpEndsAt(presence, presenceSince, presenceConfig?.floor.wrapUpLimitSeconds ?? null);
        if (ends === null || now < ends) return;
        // The team's limit overrides the disposition rule: the call's wrap-up card stays open for its
        // disposition, but the agent is reachable again (or wherever the team sends them).
        set({ wrapUpPresence: null });
        apply(presenceConfig!.floor.wrapUpNext);
      },
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
