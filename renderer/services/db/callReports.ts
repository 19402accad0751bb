import { CallReport } from '../../../core/wire/chatCalls';
import type { OutboxDb } from './outboxDb';
import type { CallLogRow } from './rows';

/**
 * A finished call the server has not recorded yet. `report.id` is made once, when the call is first logged,
 * and kept when the log row is written again (wrap-up after a missed-call row), so the server stores one
 * history line however often it is sent. `failed`: refused for good (kept, with the reason, for diagnostics).
 */
export type CallReportRow = { callId: string; report: CallReport; createdAt: number; status: 'pending' | 'failed'; error?: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const slug = (s: string, fallback: string) => {
  const cleaned = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 32).replace(/-+$/, '');
  return cleaned || fallback;
};

/** The wire report of a call log row; null when the row cannot make a valid one (logged, never sent). */
export function callReportOf(row: CallLogRow, id: string): CallReport | null {
  const parsed = CallReport.safeParse({
    id,
    callId: row.id.slice(0, 64),
    direction: row.direction,
    remote: row.remote.trim().slice(0, 200) || 'unknown',
    ...(row.remoteName?.trim() ? { remoteName: row.remoteName.trim().slice(0, 200) } : {}),
    startedAt: Math.max(0, Math.round(row.startedAt)),
    durationMs: Math.min(86_400_000, Math.max(0, Math.round(row.durationMs))),
    outcome: slug(row.outcome, 'ended'),
    ...(row.disposition ? { disposition: slug(row.disposition, 'other') } : {}),
    ...(row.wrapUpMs !== undefined ? { wrapUpMs: Math.min(86_400_000, Math.max(0, Math.round(row.wrapUpMs))) } : {}),
    ...(row.ringMs !== undefined ? { ringMs: Math.min(86_400_000, Math.max(0, Math.round(row.ringMs))) } : {}),
    ...(row.customerId && uuid.test(row.customerId) ? { customerId: row.customerId } : {}),
    ...(row.ticketId && uuid.test(row.ticketId) ? { ticketId: row.ticketId } : {}),
  });
  return parsed.success ? parsed.data : null;
}

/**
 * Queues (or refreshes) the report of a logged call. Call inside a transaction that also writes the call
 * log row (tables callLog and callReports), so the log and the report are stored together or not at all.
 */
export async function queueCallReport(db: OutboxDb, row: CallLogRow, now: number): Promise<void> {
  const existing = await db.callReports.get(row.id);
  const report = callReportOf(row, existing?.report.id ?? crypto.randomUUID());
  if (!report) return;
  await db.callReports.put({ callId: row.id, report, createdAt: existing?.createdAt ?? now, status: 'pending' });
}

export function createCallReportsRepo(db: OutboxDb) {
  return {
    pending: (): Promise<CallReportRow[]> => db.callReports.orderBy('createdAt').filter((r) => r.status === 'pending').toArray(),
    /** Recorded: dropped, unless the log row was rewritten meanwhile (then the newer report is sent too; same id). */
    confirm: (sent: CallReportRow) =>
      db.transaction('rw', db.callReports, async () => {
        const row = await db.callReports.get(sent.callId);
        if (row && JSON.stringify(row.report) === JSON.stringify(sent.report)) await db.callReports.delete(sent.callId);
      }),
    markFailed: (sent: CallReportRow, error: string) => db.callReports.update(sent.callId, { status: 'failed', error }),
    pendingCount: (): Promise<number> => db.callReports.filter((r) => r.status === 'pending').count(),
  };
}
export type CallReportsRepo = ReturnType<typeof createCallReportsRepo>;
