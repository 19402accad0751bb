/**
 * Business-time arithmetic for SLA timers: "due = start + N business minutes" and "how many business
 * minutes lie between two instants", in a team's own time zone, across nights, weekends, holidays and
 * daylight-saving changes. Pure: instants are epoch milliseconds (UTC); the calendar's hours are local
 * wall-clock minutes of the team's IANA time zone.
 *
 * Intl is enough, so no time-zone library: `Intl.DateTimeFormat(…, { timeZone })` gives the wall clock of
 * any instant in any IANA zone from the runtime's own tz database (Node and Chromium ship full ICU), and a
 * wall-clock time is turned back into an instant by trying the zone's offsets on either side (below).
 *
 * A business interval of a local day becomes a pair of real instants, so a business minute is always a
 * real minute: on the night Berlin springs forward a 24/7 calendar has 23 hours, and 09:00-18:00 is nine
 * real hours on either side of a change. A wall-clock time that does not exist (02:30 on the spring-forward
 * night) is read as the same time on the old offset, i.e. later (Temporal's "compatible"); one that exists
 * twice (02:30 on the fall-back night) is the earlier.
 */

/** One opening interval of a weekday: ISO weekday 1 = Monday … 7 = Sunday, minutes from local midnight, end exclusive (1440 = midnight). */
export type OpenInterval = { weekday: number; start: number; end: number };

export type BusinessCalendar = {
  timeZone: string;
  /** Empty: open every day around the clock (holidays still closed). */
  hours: readonly OpenInterval[];
  /** Local dates (YYYY-MM-DD) on which the team is closed all day. */
  holidays: readonly string[];
};

/** A calendar that is always open, in UTC: business time is plain elapsed time. */
export const alwaysOpen: BusinessCalendar = { timeZone: 'UTC', hours: [], holidays: [] };

const minute = 60_000;
const day = 86_400_000;
/** How far ahead a due time is searched for; a calendar with no opening in a year has no due time. */
const horizonDays = 800;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone the runtime knows (an IANA name such as Asia/Shanghai, or UTC). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall clock of an instant in a zone. */
export function localParts(at: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +2 h). */
export function offsetAt(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant of a local wall-clock time (minutes may run past 1440: the next day's midnight). */
export function localToInstant(year: number, month: number, dayOfMonth: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, dayOfMonth, 0, minuteOfDay);
  const before = offsetAt(wall - day, timeZone);
  const after = offsetAt(wall + day, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => t + offsetAt(t, timeZone) === wall);
  // Exists twice (fall back): the earlier. Does not exist (spring forward): on the old offset, i.e. later.
  return candidates.length > 0 ? Math.min(...candidates) : wall - before;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

type Day = { y: number; m: number; d: number; weekday: number; key: string };
function civilDay(y: number, m: number, d: number): Day {
  const t = new Date(Date.UTC(y, m - 1, d));
  const weekday = t.getUTCDay() === 0 ? 7 : t.getUTCDay();
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), weekday, key: isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()) };
}

const fullDay: readonly OpenInterval[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 0, end: 1440 }));

/**
 * The calendar's open intervals as instants, in order, from the local day that holds `from` on. Each is
 * clipped to start no earlier than `from`; empty ones are skipped.
 */
function* openIntervals(calendar: BusinessCalendar, from: number): Generator<[number, number]> {
  const hours = calendar.hours.length > 0 ? calendar.hours : fullDay;
  const holidays = new Set(calendar.holidays);
  const byDay = new Map<number, OpenInterval[]>();
  for (const h of [...hours].sort((a, b) => a.start - b.start)) byDay.set(h.weekday, [...(byDay.get(h.weekday) ?? []), h]);
  const p = localParts(from, calendar.timeZone);
  // Start a day early: a local day's interval may begin before `from` and still be open at it.
  for (let i = -1; i < horizonDays; i += 1) {
    const today = civilDay(p.year, p.month, p.day + i);
    if (holidays.has(today.key)) continue;
    for (const h of byDay.get(today.weekday) ?? []) {
      const start = Math.max(from, localToInstant(today.y, today.m, today.d, h.start, calendar.timeZone));
      const end = localToInstant(today.y, today.m, today.d, h.end, calendar.timeZone);
      if (end > start) yield [start, end];
    }
  }
}

/** Thrown when a calendar has no open time within the search horizon (every day a holiday, say). */
export class NeverOpenError extends Error {
  override readonly name = 'NeverOpenError';
}

/**
 * The instant `ms` business milliseconds after `start`. With `ms` 0 it is `start` itself (the clock is
 * at the target already, open or not). A result at the end of an interval means "due at closing time".
 */
export function addBusinessTime(calendar: BusinessCalendar, start: number, ms: number): number {
  if (ms <= 0) return start;
  let left = ms;
  let last = start;
  for (const [s, e] of openIntervals(calendar, start)) {
    // Overlapping intervals (refused by validation) must not count time twice.
    const from = Math.max(s, last);
    if (e <= from) continue;
    if (left <= e - from) return from + left;
    left -= e - from;
    last = e;
  }
  throw new NeverOpenError(`no business time within ${horizonDays} days in ${calendar.timeZone}`);
}

/** Business milliseconds in [from, to); 0 when `to` is not after `from`. */
export function businessTimeBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  let last = from;
  for (const [s, e] of openIntervals(calendar, from)) {
    if (s >= to) break;
    const a = Math.max(s, last);
    const b = Math.min(e, to);
    if (b > a) total += b - a;
    last = Math.max(last, b);
  }
  return total;
}

export const minutes = (n: number) => n * minute;
