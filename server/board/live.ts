import type { LiveBoard } from '../coaching/live';
import type { LiveLookup } from './snapshot';

/** An app that has not reported for this long is shown as not connected (it re-reports every 15 s). */
export const connectedWithinMs = 45_000;

/** The wallboard's view of the coaching live board: the agent's current call, and whether their app still reports. */
export function liveLookup(board: LiveBoard, now: () => number): LiveLookup {
  return (userId) => {
    const e = board.get(userId);
    if (!e) return null;
    const connected = e.reportedAt > 0 && now() - e.reportedAt <= connectedWithinMs;
    return { connected, call: connected && e.call ? { startedAt: e.call.startedAt, direction: e.call.direction, held: e.call.held } : null };
  };
}
