import type { CoachingControls, CoachingState } from '../../services/coaching/coachingService';
import { useAppStore } from '../../stores/appStore';

/** The coaching controls (null while signed out) and coaching state, from the store's coaching slice. */
export function useCoaching(): { session: CoachingControls | null; snap: CoachingState } {
  const session = useAppStore((s) => s.coachingControls);
  const snap = useAppStore((s) => s.coaching);
  return { session, snap };
}
