import type { Dexie } from 'dexie';

/**
 * Finished calls waiting to reach the server's conversation history (POST /chat/calls), one per call id,
 * written in the same transaction as the call log row. In the outbox database: a call made while the
 * server was unreachable is reported when it is back, even after a restart. [createdAt] is the send order.
 */
export function migration0060CallReports(db: Dexie): void {
  db.version(60).stores({ callReports: 'callId, createdAt' });
}
