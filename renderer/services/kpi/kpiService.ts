import { type KpiQuery, KpiReport, KpiScopes, kpiRoutes } from '../../../core/kpi/wire';
import type { Api } from '../api/api';

/**
 * KPI reports from the server (core/kpi/wire.ts): what the caller may report on, a report, and its CSV
 * saved as a file. The page reads only through this.
 */
export type KpiService = {
  scopes(): Promise<KpiScopes>;
  report(query: KpiQuery): Promise<KpiReport>;
  /** Fetches the CSV and hands it to the browser as a download named `fileName`. */
  exportCsv(query: KpiQuery, fileName: string): Promise<void>;
};

const queryString = (q: KpiQuery): string =>
  new URLSearchParams({ teamId: q.teamId, period: q.period, anchor: q.anchor, ...(q.agentId ? { agentId: q.agentId } : {}) }).toString();

export function createKpiService(api: Api, doc: Document = document): KpiService {
  return {
    scopes: async () => KpiScopes.parse(await api.getJson(kpiRoutes.scopes)),
    report: async (q) => KpiReport.parse(await api.getJson(`${kpiRoutes.report}?${queryString(q)}`)),
    async exportCsv(q, fileName) {
      const csv = await api.getText(`${kpiRoutes.csv}?${queryString(q)}`);
      // The server sends a byte-order mark for Excel, but decoding the response as text (fetch's text(),
      // TextDecoder) drops it: put it back, or Excel reads the Chinese names in the ANSI code page.
      const withBom = csv.startsWith('\uFEFF') ? csv : `\uFEFF${csv}`;
      const url = URL.createObjectURL(new Blob([withBom], { type: 'text/csv;charset=utf-8' }));
      try {
        const a = doc.createElement('a');
        a.href = url;
        a.download = fileName;
        doc.body.append(a);
        a.click();
        a.remove();
      } finally {
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    },
  };
}
