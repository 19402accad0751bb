import type { Locale } from '../../../core/locale';
import type { Delta } from '../../../core/kpi/figures';

/**
 * KPI numbers and dates in the viewer's locale. Days are the team's calendar days (YYYY-MM-DD), so they
 * are formatted as UTC dates: the label is the day the team lived, whatever the viewer's own zone.
 */
export function formatPercent(locale: Locale, share: number | null): string {
  return share === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

export function formatNumber(locale: Locale, n: number | null, digits = 0): string {
  return n === null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

/** 75 s → "1:15"; 3 725 s → "1:02:05" (clock style reads the same in every locale). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const utcDay = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function formatDay(locale: Locale, day: string, style: 'short' | 'long' = 'short'): string {
  const opts: Intl.DateTimeFormatOptions =
    style === 'long' ? { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' } : { timeZone: 'UTC', month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat(locale, opts).format(utcDay(day));
}

export function formatRange(locale: Locale, from: string, to: string): string {
  const f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
  return from === to ? f.format(utcDay(from)) : f.formatRange(utcDay(from), utcDay(to));
}

export function formatMonth(locale: Locale, day: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(utcDay(day));
}

/** "+12%" / "−3.5 pts" style numbers; the caller adds the unit word for points. */
export function formatDelta(locale: Locale, d: NonNullable<Delta>): string {
  // The sign of what is shown: a change that rounds to nothing is ±0, never −0.
  const shown = d.kind === 'relative' ? Math.round(d.value * 1000) / 1000 : Math.round(d.value * 10) / 10;
  const sign = shown > 0 ? '+' : shown < 0 ? '−' : '±';
  const abs = Math.abs(shown);
  return d.kind === 'relative'
    ? `${sign}${new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(abs)}`
    : `${sign}${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(abs)}`;
}

/** Today as a calendar day in a time zone (the team's), YYYY-MM-DD. */
export function todayIn(timeZone: string, now: number = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
