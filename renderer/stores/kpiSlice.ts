import type { StateCreator } from 'zustand';
import type { KpiPeriod } from '../../core/kpi/periods';
import type { KpiQuery, KpiReport, KpiScopes } from '../../core/kpi/wire';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

export type KpiView = {
  teamId: string | null;
  /** null: the whole team (leads, admins); an agent always views themselves. */
  agentId: string | null;
  period: KpiPeriod;
  /** A day of the period, YYYY-MM-DD in the team's zone; null: today. */
  anchor: string | null;
};

export type KpiReportState =
  | { status: 'idle' }
  | { status: 'loading'; query: KpiQuery; last: KpiReport | null }
  | { status: 'loaded'; query: KpiQuery; report: KpiReport }
  | { status: 'error'; query: KpiQuery; message: string; last: KpiReport | null };

export type KpiSlice = {
  kpiScopes: { status: 'idle' | 'loading' } | { status: 'loaded'; scopes: KpiScopes } | { status: 'error'; message: string };
  kpiReport: KpiReportState;
  kpiExporting: boolean;
  kpiExportError: string | null;
  loadKpiScopes(): Promise<void>;
  loadKpiReport(query: KpiQuery): Promise<void>;
  exportKpiCsv(query: KpiQuery, fileName: string): Promise<void>;
};

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const same = (a: KpiQuery, b: KpiQuery) => a.teamId === b.teamId && a.agentId === b.agentId && a.period === b.period && a.anchor === b.anchor;
const lastOf = (s: KpiReportState): KpiReport | null => (s.status === 'loaded' ? s.report : s.status === 'idle' ? null : s.last);

export const createKpiSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], KpiSlice> =>
  (set, get) => ({
    kpiScopes: { status: 'idle' },
    kpiReport: { status: 'idle' },
    kpiExporting: false,
    kpiExportError: null,
    async loadKpiScopes() {
      if (!deps.kpi) return set({ kpiScopes: { status: 'error', message: 'KPIs are not available in this build.' } });
      set({ kpiScopes: { status: 'loading' } });
      try {
        set({ kpiScopes: { status: 'loaded', scopes: await deps.kpi.scopes() } });
      } catch (err) {
        set({ kpiScopes: { status: 'error', message: messageOf(err) } });
      }
    },
    async loadKpiReport(query) {
      if (!deps.kpi) return;
      // The last figures stay on screen (dimmed) while the next period loads; a superseded answer is dropped.
      set({ kpiReport: { status: 'loading', query, last: lastOf(get().kpiReport) } });
      const wanted = () => {
        const s = get().kpiReport;
        return s.status === 'loading' && same(s.query, query);
      };
      try {
        const report = await deps.kpi.report(query);
        if (wanted()) set({ kpiReport: { status: 'loaded', query, report } });
      } catch (err) {
        if (wanted()) set({ kpiReport: { status: 'error', query, message: messageOf(err), last: lastOf(get().kpiReport) } });
      }
    },
    async exportKpiCsv(query, fileName) {
      if (!deps.kpi) return;
      set({ kpiExporting: true, kpiExportError: null });
      try {
        await deps.kpi.exportCsv(query, fileName);
        set({ kpiExporting: false });
      } catch (err) {
        set({ kpiExporting: false, kpiExportError: messageOf(err) });
      }
    },
  });
