import { queueCallReport } from './callReports';
import type { OutboxDb } from './outboxDb';
import type { CallLogRow } from './rows';

/**
 * The call log: one row per finished call, written when the agent completes wrap-up (or at once for a missed
 * call). Each write also queues the call's report for the conversation history (the chat service sends it),
 * in the same transaction, so a logged call is never left unreported.
 */
export function createCallLogRepo(db: OutboxDb, now: () => number = Date.now) {
  return {
    put: (row: CallLogRow): Promise<void> =>
      db.transaction('rw', db.callLog, db.callReports, async () => {
        await db.callLog.put(row);
        await queueCallReport(db, row, now());
      }),
    recent: (limit = 50): Promise<CallLogRow[]> => db.callLog.orderBy('startedAt').reverse().limit(limit).toArray(),
    forTicket: (ticketId: string): Promise<CallLogRow[]> => db.callLog.where('ticketId').equals(ticketId).reverse().sortBy('startedAt'),
  };
}
export type CallLogRepo = ReturnType<typeof createCallLogRepo>;
