import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { createAdminSlice, type AdminSlice } from './adminSlice';
import { createBoardSlice, type BoardSlice } from './boardSlice';
import { createCoachingSlice, type CoachingSlice } from './coachingSlice';
import { createConnectivitySlice, type ConnectivitySlice } from './connectivitySlice';
import { createInboxSlice, type InboxSlice } from './inboxSlice';
import { createKpiSlice, type KpiSlice } from './kpiSlice';
import { createRepliesSlice, type RepliesSlice } from './repliesSlice';
import { createReviewSlice, type ReviewSlice } from './reviewSlice';
import type { StoreDeps } from './deps';
import { createLocaleSlice, type LocaleSlice } from './localeSlice';
import { createPhoneSlice, type PhoneSlice } from './phoneSlice';
import { createPolicySlice, type PolicySlice } from './policySlice';
import { createPresenceSlice, type PresenceSlice } from './presenceSlice';
import { createQueueSlice, type QueueSlice } from './queueSlice';
import { createReadinessSlice, type ReadinessSlice } from './readinessSlice';
import { createSessionSlice, type SessionSlice } from './sessionSlice';
import { createShellSlice, type ShellSlice } from './shellSlice';
import { createSlaSlice, type SlaSlice } from './slaSlice';
import { createMoodSlice, type MoodSlice } from './moodSlice';
import { withDerivedSip } from './sipStatus';
import { withDerivedSync } from './syncIndicator';
import { createSyncSlice, type SyncSlice } from './syncSlice';
import { createTeamSlice, type TeamSlice } from './teamSlice';
import { createTicketsSlice, type TicketsSlice } from './ticketsSlice';
import { createUpdatesSlice, type UpdatesSlice } from './updatesSlice';

export type AppState = SessionSlice & PresenceSlice & LocaleSlice & ConnectivitySlice & ShellSlice & TeamSlice & TicketsSlice & PhoneSlice & InboxSlice & RepliesSlice & PolicySlice & UpdatesSlice & SyncSlice & CoachingSlice & KpiSlice & SlaSlice & MoodSlice & BoardSlice & ReadinessSlice & AdminSlice & QueueSlice & ReviewSlice;
export type AppStore = StoreApi<AppState>;

/** One vanilla store from slices; tests drive it without React by passing fake deps. */
export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()(withDerivedSip(withDerivedSync((...a) => ({
    ...createSessionSlice(deps)(...a),
    ...createPresenceSlice(deps)(...a),
    ...createLocaleSlice(deps)(...a),
    ...createConnectivitySlice(deps)(...a),
    ...createShellSlice()(...a),
    ...createTeamSlice(deps)(...a),
    ...createPhoneSlice(deps)(...a),
    ...createTicketsSlice()(...a),
    ...createInboxSlice()(...a),
    ...createRepliesSlice()(...a),
    ...createReviewSlice(deps)(...a),
    ...createUpdatesSlice(deps)(...a),
    ...createPolicySlice(deps)(...a),
    ...createSyncSlice()(...a),
    ...createCoachingSlice()(...a),
    ...createKpiSlice(deps)(...a),
    ...createSlaSlice(deps)(...a),
    ...createMoodSlice(deps)(...a),
    ...createBoardSlice(deps)(...a),
    ...createReadinessSlice(deps, deps.readinessProbes)(...a),
    ...createAdminSlice(deps)(...a),
    ...createQueueSlice(deps)(...a),
  }))));
}

/**
 * The store reaches components through context (zustand's "initialize state with props" pattern), so a
 * component test can render against its own store with fake deps.
 */
const AppStoreContext = createContext<AppStore | null>(null);

export function AppStoreProvider(props: { store: AppStore; children: ReactNode }): ReactNode {
  return createElement(AppStoreContext.Provider, { value: props.store }, props.children);
}

export function useAppStoreApi(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppStore needs an <AppStoreProvider> above it');
  return store;
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
