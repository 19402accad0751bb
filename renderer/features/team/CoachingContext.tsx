import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { CoachingSession, CoachingSnapshot } from './coachingSession';

const CoachingContext = createContext<CoachingSession | null>(null);
const idle: CoachingSnapshot = { coached: null, handRaised: false, lead: { status: 'idle' }, team: null };
const none = { getSnapshot: () => idle, subscribe: () => () => {} };

export function CoachingProvider(props: { session: CoachingSession; children: ReactNode }) {
  return <CoachingContext.Provider value={props.session}>{props.children}</CoachingContext.Provider>;
}

/** The coaching session and its state; without a provider (component tests) an idle snapshot and no session. */
export function useCoaching(): { session: CoachingSession | null; snap: CoachingSnapshot } {
  const session = useContext(CoachingContext);
  const snap = useSyncExternalStore((session ?? none).subscribe, (session ?? none).getSnapshot);
  return { session, snap };
}
