import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SyncSession, SyncSessionSnapshot } from './syncSession';

const SyncSessionContext = createContext<SyncSession | null>(null);
const none: SyncSessionSnapshot = { services: null, sync: null };
const noSession: Pick<SyncSession, 'getSnapshot' | 'subscribe'> = { getSnapshot: () => none, subscribe: () => () => {} };

export function SyncSessionProvider(props: { session: SyncSession; children: ReactNode }) {
  return <SyncSessionContext.Provider value={props.session}>{props.children}</SyncSessionContext.Provider>;
}

/** The signed-in user's ticket services and sync state; none without a provider (component tests of other pages). */
export function useSyncSession(): SyncSessionSnapshot {
  const session = useContext(SyncSessionContext) ?? noSession;
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
