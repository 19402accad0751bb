/**
 * KPI periods as calendar days of the team's time zone ('YYYY-MM-DD'). Pure calendar arithmetic (UTC
 * dates stand for local calendar days), so the server turns a day into instants with the team's zone and a
 * day of 23 or 25 hours (daylight saving) is still one day. Weeks start on Monday (ISO 8601).
 *
 *   period   current                previous (环比)          year before (同比)
 *   day      the day                the day before            the same date a year before
 *   week     Monday..Sunday         the week before           the ISO week with the same number a year before
 *   month    1st..last              the month before          the same month a year before
 */
export type KpiPeriod = 'day' | 'week' | 'month';
export type DayRange = { from: string; to: string };

const dayMs = 86_400_000;
const parse = (day: string): number => {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
};
const format = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && format(parse(s)) === s;
export const addDays = (day: string, n: number): string => format(parse(day) + n * dayMs);
export const daysBetween = (from: string, to: string): number => Math.round((parse(to) - parse(from)) / dayMs);

/** Every day from `from` to `to`, both included. */
export function daysOf(range: DayRange): string[] {
  const out: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  return out;
}

function isoWeekMonday(day: string): string {
  const dow = (new Date(parse(day)).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -dow);
}

/** The ISO week-numbering year and week of a day. */
export function isoWeek(day: string): { year: number; week: number } {
  const monday = isoWeekMonday(day);
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const firstThursdayMonday = isoWeekMonday(addDays(`${year}-01-04`, 0));
  return { year, week: daysBetween(firstThursdayMonday, monday) / 7 + 1 };
}

export function periodRange(period: KpiPeriod, anchor: string): DayRange {
  if (period === 'day') return { from: anchor, to: anchor };
  if (period === 'week') {
    const from = isoWeekMonday(anchor);
    return { from, to: addDays(from, 6) };
  }
  const from = `${anchor.slice(0, 7)}-01`;
  const [y, m] = from.split('-').map(Number);
  return { from, to: format(Date.UTC(y!, m!, 0)) };
}

export function previousRange(period: KpiPeriod, anchor: string): DayRange {
  const current = periodRange(period, anchor);
  return periodRange(period, addDays(current.from, -1));
}

export function yearBeforeRange(period: KpiPeriod, anchor: string): DayRange {
  if (period === 'week') {
    const { year, week } = isoWeek(anchor);
    const mondayWeek1 = isoWeekMonday(`${year - 1}-01-04`);
    return periodRange('week', addDays(mondayWeek1, (Math.min(week, weeksIn(year - 1)) - 1) * 7));
  }
  const [y, m, d] = anchor.split('-').map(Number);
  // 29 February a year before is the 28th.
  const last = new Date(Date.UTC(y! - 1, m!, 0)).getUTCDate();
  const day = `${y! - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d!, last)).padStart(2, '0')}`;
  return periodRange(period, day);
}

const weeksIn = (year: number): number => isoWeek(`${year}-12-28`).week;

/** The days a trend chart shows for a period: the period's days, or for a single day the 14 days up to it. */
export function trendRange(period: KpiPeriod, anchor: string): DayRange {
  return period === 'day' ? { from: addDays(anchor, -13), to: anchor } : periodRange(period, anchor);
}

/**
 * A running period (today inside it) is compared like with like: the earlier period is cut to as many
 * days as have begun in the current one (week to date against the same days of the week before).
 */
export function comparableRange(current: DayRange, earlier: DayRange, today: string): DayRange {
  if (today < current.from || today > current.to) return earlier;
  const elapsed = daysBetween(current.from, today);
  const to = addDays(earlier.from, elapsed);
  return { from: earlier.from, to: to < earlier.to ? to : earlier.to };
}
