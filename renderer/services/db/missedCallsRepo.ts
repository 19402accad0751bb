import { z } from 'zod';
import { missedReasons, type MissedCall, type MissedReason } from '../../../core/call/missed';
import type { OutboxDb } from './outboxDb';

/** A missed call as stored: the call and whether the agent has looked at the missed-call list since. */
export type MissedCallRow = MissedCall & { seen: 0 | 1 };

/** How many missed calls are kept: older ones go as new ones arrive (a list, not an archive). */
export const missedCallsKept = 200;

/** The list localStorage held before issue 15 moved it here; read once, validated (any script could have written it). */
const LegacyList = z
  .array(z.object({ id: z.string().max(64), at: z.number(), remote: z.string().max(256), remoteName: z.string().max(200).optional(), reason: z.enum(missedReasons as [MissedReason, ...MissedReason[]]) }))
  .max(50);

const strip = ({ seen: _seen, ...call }: MissedCallRow): MissedCall => call;

/** The signed-in agent's missed calls (their own outbox database). The only writer of `missedCalls`. */
export function createMissedCallsRepo(db: OutboxDb) {
  return {
    /** Records a missed call, unseen, and drops the oldest beyond `missedCallsKept`. */
    add: (call: MissedCall): Promise<void> =>
      db.transaction('rw', db.missedCalls, async () => {
        await db.missedCalls.put({ ...call, seen: 0 });
        const extra = (await db.missedCalls.count()) - missedCallsKept;
        if (extra > 0) await db.missedCalls.orderBy('at').limit(extra).delete();
      }),
    recent: async (limit = 50): Promise<MissedCall[]> => (await db.missedCalls.orderBy('at').reverse().limit(limit).toArray()).map(strip),
    byReason: async (reason: MissedReason, since = 0): Promise<MissedCall[]> =>
      (await db.missedCalls.where('reason').equals(reason).filter((r) => r.at >= since).toArray()).sort((a, b) => b.at - a.at).map(strip),
    unseenCount: (): Promise<number> => db.missedCalls.where('seen').equals(0).count(),
    markAllSeen: (): Promise<number> => db.missedCalls.where('seen').equals(0).modify({ seen: 1 }),
    /**
     * Moves a list left in localStorage by an earlier version into the table (as seen: the agent saw
     * those under the old badge or not, and a sudden badge of old calls would mislead). Returns how many.
     */
    importLegacy: async (raw: string | null): Promise<number> => {
      if (!raw) return 0;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return 0;
      }
      const list = LegacyList.safeParse(parsed);
      if (!list.success) return 0;
      await db.transaction('rw', db.missedCalls, async () => {
        for (const m of list.data) if (!(await db.missedCalls.get(m.id))) await db.missedCalls.put({ ...m, seen: 1 });
      });
      return list.data.length;
    },
  };
}
export type MissedCallsRepo = ReturnType<typeof createMissedCallsRepo>;
