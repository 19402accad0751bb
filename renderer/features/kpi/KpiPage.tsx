import { useEffect, useMemo, useState } from 'react';
import { type KpiSums, figuresOf } from '../../../core/kpi/figures';
import { type KpiPeriod, addDays, periodRange } from '../../../core/kpi/periods';
import type { KpiQuery, KpiReport, KpiScopes } from '../../../core/kpi/wire';
import type { Locale } from '../../../core/locale';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { EmptyState, Page } from '../../ui/EmptyState';
import { ChartIcon } from '../../ui/icons';
import { KpiFigures } from './KpiFigures';
import { KpiTrendChart } from './KpiTrendChart';
import { formatDuration, formatMonth, formatNumber, formatPercent, formatRange, todayIn } from './kpiFormat';
import './kpi.css';

const periods: readonly KpiPeriod[] = ['day', 'week', 'month'];

type TrendMetric = { id: string; label: MessageKey; value: (s: KpiSums) => number | null; format: (locale: Locale, v: number) => string };
const trendMetrics: readonly TrendMetric[] = [
  { id: 'handled', label: 'kpi.fig.handled', value: (s) => s.handled, format: (l, v) => formatNumber(l, v) },
  { id: 'aht', label: 'kpi.fig.aht', value: (s) => figuresOf(s).ahtMs, format: (_l, v) => formatDuration(v) },
  { id: 'asa', label: 'kpi.fig.asa', value: (s) => figuresOf(s).asaMs, format: (_l, v) => formatDuration(v) },
  { id: 'fcr', label: 'kpi.fig.fcr', value: (s) => figuresOf(s).fcr, format: (l, v) => formatPercent(l, v) },
  { id: 'csat', label: 'kpi.fig.csat', value: (s) => figuresOf(s).csat.average, format: (l, v) => formatNumber(l, v, 1) },
  { id: 'sla', label: 'kpi.fig.slaMet', value: (s) => figuresOf(s).slaMet, format: (l, v) => formatPercent(l, v) },
  { id: 'occupancy', label: 'kpi.fig.occupancy', value: (s) => figuresOf(s).occupancy, format: (l, v) => formatPercent(l, v) },
];

/** KPIs: an agent's own figures, a lead's teams (and each agent in them), an admin's every team. */
export function KpiPage() {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const user = useAppStore((s) => s.user);
  const scopes = useAppStore((s) => s.kpiScopes);
  const report = useAppStore((s) => s.kpiReport);
  const exporting = useAppStore((s) => s.kpiExporting);
  const exportError = useAppStore((s) => s.kpiExportError);
  const loadScopes = useAppStore((s) => s.loadKpiScopes);
  const loadReport = useAppStore((s) => s.loadKpiReport);
  const exportCsv = useAppStore((s) => s.exportKpiCsv);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [agentId, setAgentId] = useState<string | null>(null);
  const [period, setPeriod] = useState<KpiPeriod>('week');
  const [anchor, setAnchor] = useState<string | null>(null);
  const [metric, setMetric] = useState('handled');

  useEffect(() => {
    void loadScopes();
  }, [loadScopes, user?.id]);

  const teams = scopes.status === 'loaded' ? scopes.scopes.teams : [];
  const team = teams.find((x) => x.id === teamId) ?? teams[0] ?? null;
  // An agent always views themselves; a lead or admin starts with the whole team.
  const viewAgent = team && !team.teamView ? (user?.id ?? null) : agentId;
  const day = anchor ?? (team ? todayIn(team.timeZone) : null);
  const query: KpiQuery | null = useMemo(
    () => (team && day ? { teamId: team.id, period, anchor: day, ...(viewAgent ? { agentId: viewAgent } : {}) } : null),
    [team, day, period, viewAgent],
  );

  useEffect(() => {
    if (query) void loadReport(query);
  }, [query, loadReport]);

  const shown: KpiReport | null = report.status === 'loaded' ? report.report : report.status === 'idle' ? null : report.last;
  const title = team ? `${t('kpi.title')} · ${team.name}` : t('kpi.title');

  if (scopes.status === 'error') {
    return (
      <Page title={t('kpi.title')}>
        <ErrorLine message={t('kpi.error', { message: scopes.message })} retry={() => void loadScopes()} t={t} />
      </Page>
    );
  }
  if (scopes.status === 'loaded' && !team) {
    return (
      <Page title={t('kpi.title')}>
        <EmptyState icon={<ChartIcon size={28} />} title={t('kpi.title')}>
          {t('kpi.none')}
        </EmptyState>
      </Page>
    );
  }

  const exportName = query ? `kpi-${team?.name ?? 'team'}-${period}-${query.anchor}.csv`.replace(/[\\/:*?"<>|\s]+/g, '-') : '';
  return (
    <Page
      title={title}
      actions={
        <button type="button" className="button" disabled={!query || exporting} onClick={() => query && void exportCsv(query, exportName)} data-testid="kpi-export">
          {exporting ? t('kpi.exporting') : t('kpi.export')}
        </button>
      }
    >
      {team && day ? (
        <Toolbar
          t={t}
          locale={locale}
          teams={teams}
          team={team}
          agentId={viewAgent}
          period={period}
          day={day}
          onTeam={(id) => {
            setTeamId(id);
            setAgentId(null);
          }}
          onAgent={setAgentId}
          onPeriod={setPeriod}
          onDay={setAnchor}
        />
      ) : null}
      {exportError ? <p className="alert kpi__error" role="alert">{t('kpi.exportError', { message: exportError })}</p> : null}
      {report.status === 'error' && query ? <ErrorLine message={t('kpi.error', { message: report.message })} retry={() => void loadReport(query)} t={t} /> : null}
      {!shown ? (
        <p className="kpi__loading" role="status">
          {t('kpi.loading')}
        </p>
      ) : (
        <div className={report.status === 'loading' ? 'kpi__body kpi__body--stale' : 'kpi__body'} aria-busy={report.status === 'loading'} data-testid="kpi-body">
          <p className="kpi__note">
            {t('kpi.note', { zone: shown.team.timeZone, from: formatRange(locale, shown.ranges.current.from, shown.ranges.current.to) })}
            {' · '}
            {t('kpi.compared', {
              previous: formatRange(locale, shown.ranges.previous.from, shown.ranges.previous.to),
              year: formatRange(locale, shown.ranges.yearBefore.from, shown.ranges.yearBefore.to),
            })}
          </p>
          <KpiFigures report={shown} locale={locale} t={t} />
          <Trend report={shown} metric={metric} onMetric={setMetric} locale={locale} t={t} />
          {shown.agents.length > 0 ? <AgentTable report={shown} locale={locale} t={t} /> : null}
          <details className="kpi__definitions">
            <summary>{t('kpi.definitions')}</summary>
            <ul>
              <li>{t('kpi.def.handled')}</li>
              <li>{t('kpi.def.aht')}</li>
              <li>{t('kpi.def.asa')}</li>
              <li>{t('kpi.def.fcr', { days: shown.team.fcrWindowDays })}</li>
              <li>{t('kpi.def.csat')}</li>
              <li>{t('kpi.def.transfer')}</li>
              <li>{t('kpi.def.sla')}</li>
              <li>{t('kpi.def.occupancy')}</li>
            </ul>
          </details>
        </div>
      )}
    </Page>
  );
}

function ErrorLine(props: { message: string; retry(): void; t: Translate }) {
  return (
    <div className="alert kpi__error" role="alert">
      <span>{props.message}</span>
      <button type="button" className="button" onClick={props.retry}>
        {props.t('kpi.retry')}
      </button>
    </div>
  );
}

function Toolbar(props: {
  t: Translate;
  locale: Locale;
  teams: KpiScopes['teams'];
  team: KpiScopes['teams'][number];
  agentId: string | null;
  period: KpiPeriod;
  day: string;
  onTeam(id: string): void;
  onAgent(id: string | null): void;
  onPeriod(p: KpiPeriod): void;
  onDay(day: string | null): void;
}) {
  const { t, locale, team, period, day } = props;
  const range = periodRange(period, day);
  const today = todayIn(team.timeZone);
  const label = period === 'month' ? formatMonth(locale, range.from) : formatRange(locale, range.from, range.to);
  const step = (dir: -1 | 1) => props.onDay(dir < 0 ? addDays(range.from, -1) : addDays(range.to, 1));
  return (
    <div className="kpi-toolbar" role="toolbar" aria-label={t('kpi.toolbar')}>
      {props.teams.length > 1 ? (
        <label className="kpi-toolbar__field">
          <span>{t('kpi.team')}</span>
          <select className="select" value={team.id} onChange={(e) => props.onTeam(e.target.value)}>
            {props.teams.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {team.teamView ? (
        <label className="kpi-toolbar__field">
          <span>{t('kpi.agent')}</span>
          <select className="select" value={props.agentId ?? ''} onChange={(e) => props.onAgent(e.target.value || null)} data-testid="kpi-agent">
            <option value="">{t('kpi.wholeTeam')}</option>
            {team.agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="kpi-seg" role="group" aria-label={t('kpi.period')}>
        {periods.map((p) => (
          <button key={p} type="button" className={`kpi-seg__item${p === period ? ' kpi-seg__item--on' : ''}`} aria-pressed={p === period} onClick={() => props.onPeriod(p)}>
            {t(`kpi.period.${p}`)}
          </button>
        ))}
      </div>
      <div className="kpi-nav">
        <button type="button" className="button button--quiet" aria-label={t('kpi.earlier')} title={t('kpi.earlier')} onClick={() => step(-1)}>
          ‹
        </button>
        <span className="kpi-nav__label" data-testid="kpi-range">
          {label}
        </span>
        <button type="button" className="button button--quiet" aria-label={t('kpi.later')} title={t('kpi.later')} disabled={range.to >= today} onClick={() => step(1)}>
          ›
        </button>
        <button type="button" className="button button--quiet" disabled={today >= range.from && today <= range.to} onClick={() => props.onDay(null)}>
          {t('kpi.current')}
        </button>
      </div>
    </div>
  );
}

function Trend(props: { report: KpiReport; metric: string; onMetric(id: string): void; locale: Locale; t: Translate }) {
  const { report, locale, t } = props;
  const m = trendMetrics.find((x) => x.id === props.metric) ?? trendMetrics[0]!;
  const days = useMemo(() => report.trend.map((d) => d.day), [report]);
  const values = useMemo(() => report.trend.map((d) => m.value(d.total)), [report, m]);
  const format = useMemo(() => (v: number) => m.format(locale, v), [m, locale]);
  return (
    <section className="kpi-trend" aria-labelledby="kpi-trend-title">
      <header className="kpi-trend__header">
        <h2 id="kpi-trend-title" className="kpi-section-title">
          {t('kpi.trend')}
        </h2>
        <label className="kpi-toolbar__field">
          <span>{t('kpi.trendMetric')}</span>
          <select className="select" value={m.id} onChange={(e) => props.onMetric(e.target.value)}>
            {trendMetrics.map((x) => (
              <option key={x.id} value={x.id}>
                {t(x.label)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <KpiTrendChart days={days} values={values} label={t(m.label)} format={format} locale={locale} color="#2b63d9" />
    </section>
  );
}

function AgentTable(props: { report: KpiReport; locale: Locale; t: Translate }) {
  const { report, locale, t } = props;
  return (
    <section aria-labelledby="kpi-agents-title">
      <h2 id="kpi-agents-title" className="kpi-section-title">
        {t('kpi.agents')}
      </h2>
      <table className="data-table kpi-agents" data-testid="kpi-agents">
        <thead>
          <tr>
            <th scope="col">{t('kpi.col.agent')}</th>
            <th scope="col">{t('kpi.fig.handled')}</th>
            <th scope="col">{t('kpi.fig.aht')}</th>
            <th scope="col">{t('kpi.fig.fcr')}</th>
            <th scope="col">{t('kpi.col.csat')}</th>
            <th scope="col">{t('kpi.fig.transferRate')}</th>
            <th scope="col">{t('kpi.fig.occupancy')}</th>
          </tr>
        </thead>
        <tbody>
          {report.agents.map((a) => {
            const f = figuresOf(a.total);
            return (
              <tr key={a.id}>
                <td>{a.displayName}</td>
                <td className="kpi-num">{formatNumber(locale, f.handled)}</td>
                <td className="kpi-num">{formatDuration(f.ahtMs)}</td>
                <td className="kpi-num">{formatPercent(locale, f.fcr)}</td>
                <td className="kpi-num">
                  {f.csat.average === null ? '—' : formatNumber(locale, f.csat.average, 2)}
                  {f.csat.asked > 0 ? (
                    <span className={f.csat.valid ? 'kpi-sub' : 'kpi-sub kpi-sub--invalid'} title={f.csat.valid ? undefined : t('kpi.csat.notValid')}>
                      {' '}
                      ({formatPercent(locale, f.csat.responseRate)}
                      {f.csat.valid ? '' : ` · ${t('kpi.csat.notValidShort')}`})
                    </span>
                  ) : null}
                </td>
                <td className="kpi-num">{formatPercent(locale, f.transferRate)}</td>
                <td className="kpi-num">{formatPercent(locale, f.occupancy)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
