import { levelKept } from '../../../core/diagnostics/logLine';
import type { LogEntry } from '../../../core/diagnostics/parts';
import type { LogLevel } from '../../../core/policy/schema';

/** Rows the viewer renders at most: enough to read back through a call, few enough to stay instant. */
export const VIEWER_ROWS = 500;

/** Newest first, at or above `level`, containing `query` (case-insensitive), at most `limit` rows. */
export function filterLog(entries: readonly LogEntry[], level: LogLevel, query: string, limit = VIEWER_ROWS): { rows: LogEntry[]; matched: number } {
  const q = query.trim().toLowerCase();
  const rows: LogEntry[] = [];
  let matched = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (!levelKept(e.level, level)) continue;
    if (q && !e.line.toLowerCase().includes(q)) continue;
    matched++;
    if (rows.length < limit) rows.push(e);
  }
  return { rows, matched };
}
