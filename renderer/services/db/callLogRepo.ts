import type { OutboxDb } from './outboxDb';
import type { CallLogRow } from './rows';

/** The call log: one row per finished call, written when the agent completes wrap-up (or at once for a missed call). */
export function createCallLogRepo(db: OutboxDb) {
  return {
    put: async (row: CallLogRow): Promise<void> => void (await db.callLog.put(row)),
    recent: (limit = 50): Promise<CallLogRow[]> => db.callLog.orderBy('startedAt').reverse().limit(limit).toArray(),
    forTicket: (ticketId: string): Promise<CallLogRow[]> => db.callLog.where('ticketId').equals(ticketId).reverse().sortBy('startedAt'),
  };
}
export type CallLogRepo = ReturnType<typeof createCallLogRepo>;
