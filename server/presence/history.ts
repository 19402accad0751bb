import type { Presence } from '../../core/presence';
import type { Queryable } from '../db/db';

/**
 * THE SEAM for the presence history (issue 14, the kpi part: `presence_log`, occupancy). Every presence
 * change the server accepts goes through `writePresence` (write.ts), which calls this once, inside the same
 * transaction as the agent_presence row, with the break reason (or the system cause) that came with it.
 *
 * Until the kpi module is merged this keeps nothing; at merge it is replaced by (or re-exports) that
 * module's `recordPresenceChange(db, { userId, teamIds, state, reason, at })`.
 */
export type PresenceChange = {
  userId: string;
  teamIds: readonly string[];
  state: Presence;
  /** The break reason's id with `break`; `wrap-up-limit` when the team's wrap-up limit ended after-call work; else null. */
  reason: string | null;
  at: Date;
};

export async function recordPresenceChange(_db: Queryable, _change: PresenceChange): Promise<void> {}
