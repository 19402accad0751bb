import type { Locale } from '../../../core/locale';
import { type ComparedKey, type Delta, type KpiFigures as Figures, deltasOf, figuresOf } from '../../../core/kpi/figures';
import type { ContactChannel } from '../../../core/kpi/contactEvents';
import type { KpiReport } from '../../../core/kpi/wire';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { formatDelta, formatDuration, formatNumber, formatPercent } from './kpiFormat';

const channels: readonly ContactChannel[] = ['webchat', 'messaging', 'email', 'voice'];

type Card = { key: ComparedKey; label: MessageKey; value: (f: Figures) => string; hint?: (f: Figures) => string | null };

/** The figure cards of a report: each value with its change against the previous period (环比) and a year before (同比). */
export function KpiFigures(props: { report: KpiReport; locale: Locale; t: Translate }) {
  const { report, locale, t } = props;
  const current = figuresOf(report.current.total, report.current.byChannel);
  const previous = figuresOf(report.previous.total, report.previous.byChannel);
  const yearBefore = figuresOf(report.yearBefore.total, report.yearBefore.byChannel);
  const vsPrevious = deltasOf(current, previous);
  const vsYear = deltasOf(current, yearBefore);

  const cards: Card[] = [
    {
      key: 'handled',
      label: 'kpi.fig.handled',
      value: (f) => formatNumber(locale, f.handled),
      hint: (f) =>
        channels
          .filter((c) => (f.handledByChannel[c] ?? 0) > 0)
          .map((c) => `${t(`kpi.channel.${c}`)} ${formatNumber(locale, f.handledByChannel[c] ?? 0)}`)
          .join(' · ') || null,
    },
    { key: 'ahtMs', label: 'kpi.fig.aht', value: (f) => formatDuration(f.ahtMs), hint: () => t('kpi.hint.aht') },
    { key: 'asaMs', label: 'kpi.fig.asa', value: (f) => formatDuration(f.asaMs) },
    {
      key: 'answeredWithin',
      label: 'kpi.fig.answeredWithin',
      value: (f) => formatPercent(locale, f.answeredWithin),
      hint: () => t('kpi.hint.answeredWithin', { answered: formatNumber(locale, report.current.total.answered) }),
    },
    { key: 'abandoned', label: 'kpi.fig.abandoned', value: (f) => formatNumber(locale, f.abandoned), hint: () => t('kpi.hint.abandoned', { offered: formatNumber(locale, report.current.total.offered) }) },
    { key: 'fcr', label: 'kpi.fig.fcr', value: (f) => formatPercent(locale, f.fcr), hint: () => t('kpi.hint.fcr', { days: report.team.fcrWindowDays }) },
    { key: 'transferRate', label: 'kpi.fig.transferRate', value: (f) => formatPercent(locale, f.transferRate) },
    { key: 'slaMet', label: 'kpi.fig.slaMet', value: (f) => formatPercent(locale, f.slaMet) },
    { key: 'occupancy', label: 'kpi.fig.occupancy', value: (f) => formatPercent(locale, f.occupancy), hint: () => t('kpi.hint.occupancy') },
  ];

  return (
    <div className="kpi-grid" data-testid="kpi-figures">
      {cards.map((c) => (
        <section key={c.key} className="kpi-card" aria-label={t(c.label)} data-kpi={c.key}>
          <h3 className="kpi-card__label">{t(c.label)}</h3>
          <p className="kpi-card__value">{c.value(current)}</p>
          <Deltas locale={locale} t={t} vsPrevious={vsPrevious[c.key]} vsYear={vsYear[c.key]} />
          {c.hint?.(current) ? <p className="kpi-card__hint">{c.hint(current)}</p> : null}
        </section>
      ))}
      <CsatCard figures={current} vsPrevious={vsPrevious} vsYear={vsYear} locale={locale} t={t} />
    </div>
  );
}

/** CSAT is shown with its response rate, and marked not valid when 50% or fewer customers answered. */
export function CsatCard(props: { figures: Figures; vsPrevious: Record<ComparedKey, Delta>; vsYear: Record<ComparedKey, Delta>; locale: Locale; t: Translate }) {
  const { figures, locale, t } = props;
  const csat = figures.csat;
  return (
    <section className={`kpi-card kpi-card--csat${csat.valid ? '' : ' kpi-card--invalid'}`} aria-label={t('kpi.fig.csat')} data-kpi="csat" data-valid={csat.valid}>
      <h3 className="kpi-card__label">{t('kpi.fig.csat')}</h3>
      <p className="kpi-card__value">
        {csat.average === null ? '—' : t('kpi.csat.average', { value: formatNumber(locale, csat.average, 2) })}
      </p>
      <Deltas locale={locale} t={t} vsPrevious={props.vsPrevious.csatAverage} vsYear={props.vsYear.csatAverage} />
      <p className="kpi-card__hint">{t('kpi.csat.satisfied', { value: formatPercent(locale, csat.satisfied) })}</p>
      <p className="kpi-card__hint" data-testid="kpi-csat-response">
        {csat.asked === 0
          ? t('kpi.csat.noSurveys')
          : t('kpi.csat.response', { rate: formatPercent(locale, csat.responseRate), answered: formatNumber(locale, csat.answered), asked: formatNumber(locale, csat.asked) })}
      </p>
      {csat.valid ? null : (
        <p className="kpi-card__invalid" role="note" data-testid="kpi-csat-invalid">
          {t('kpi.csat.notValid')}
        </p>
      )}
    </section>
  );
}

function Deltas(props: { locale: Locale; t: Translate; vsPrevious: Delta; vsYear: Delta }) {
  const { t } = props;
  return (
    <p className="kpi-card__deltas">
      <DeltaChip label={t('kpi.delta.previous')} title={t('kpi.delta.previousLong')} delta={props.vsPrevious} locale={props.locale} t={t} />
      <DeltaChip label={t('kpi.delta.year')} title={t('kpi.delta.yearLong')} delta={props.vsYear} locale={props.locale} t={t} />
    </p>
  );
}

function DeltaChip(props: { label: string; title: string; delta: Delta; locale: Locale; t: Translate }) {
  const { delta, t } = props;
  const tone = delta === null || delta.better === null ? 'flat' : delta.better ? 'better' : 'worse';
  const text = delta === null ? t('kpi.delta.none') : delta.kind === 'points' ? t('kpi.delta.points', { value: formatDelta(props.locale, delta) }) : formatDelta(props.locale, delta);
  return (
    <span className={`kpi-delta kpi-delta--${tone}`} title={props.title}>
      <span className="kpi-delta__label">{props.label}</span> {text}
    </span>
  );
}
