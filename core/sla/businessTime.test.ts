import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, type OpenInterval, addBusinessTime, alwaysOpen, businessTimeBetween, isKnownTimeZone, localToInstant, minutes } from './businessTime';

const weekdays9to18: OpenInterval[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: 9 * 60, end: 18 * 60 }));
const berlin: BusinessCalendar = { timeZone: 'Europe/Berlin', hours: weekdays9to18, holidays: [] };
const iso = (s: string) => Date.parse(s);

describe('business time, hand-checked', () => {
  it('Friday 17:00 in Berlin + 2 business hours is Monday 10:00, across the spring-forward weekend (CET → CEST)', () => {
    // Fri 27 March 2026 17:00 CET = 16:00Z; one hour left on Friday, one on Monday 30 March from 09:00 CEST (07:00Z).
    const due = addBusinessTime(berlin, iso('2026-03-27T16:00:00Z'), minutes(120));
    expect(new Date(due).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(businessTimeBetween(berlin, iso('2026-03-27T16:00:00Z'), due)).toBe(minutes(120));
  });

  it('a 24/7 Berlin calendar counts real minutes through the missing hour and the repeated hour', () => {
    const open: BusinessCalendar = { timeZone: 'Europe/Berlin', hours: [], holidays: [] };
    // 01:30 CET on 29 March 2026 + 60 min = 03:30 CEST (the wall clock jumps 02:00 → 03:00).
    expect(new Date(addBusinessTime(open, iso('2026-03-29T00:30:00Z'), minutes(60))).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 23:00 CEST on 24 October 2026 + 5 h = 03:00 CET (02:00-03:00 happens twice): five real hours.
    expect(new Date(addBusinessTime(open, iso('2026-10-24T21:00:00Z'), minutes(300))).toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('business hours on the fall-back day are nine real hours, and the day after is nine too', () => {
    const everyDay: BusinessCalendar = { timeZone: 'Europe/Berlin', hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 540, end: 1080 })), holidays: [] };
    // Sun 25 Oct 2026 09:00 CET = 08:00Z; 9 h later is closing time 18:00 CET = 17:00Z.
    expect(new Date(addBusinessTime(everyDay, iso('2026-10-25T08:00:00Z'), minutes(540))).toISOString()).toBe('2026-10-25T17:00:00.000Z');
    // From Saturday 09:00 CEST (07:00Z): Saturday's 9 h, then Sunday 09:00 CET (08:00Z) + 1 h.
    expect(new Date(addBusinessTime(everyDay, iso('2026-10-24T07:00:00Z'), minutes(600))).toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('Shanghai skips its National Day holidays and the weekend between them', () => {
    const holidays = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08'];
    const shanghai: BusinessCalendar = { timeZone: 'Asia/Shanghai', hours: weekdays9to18, holidays };
    // Wed 30 Sep 17:30 CST (09:30Z): 30 min that day; closed Thu 1 to Thu 8; Fri 9 Oct 09:00 + 30 min = 09:30 CST = 01:30Z.
    expect(new Date(addBusinessTime(shanghai, iso('2026-09-30T09:30:00Z'), minutes(60))).toISOString()).toBe('2026-10-09T01:30:00.000Z');
  });

  it('a lunch break is not business time', () => {
    const split: BusinessCalendar = { timeZone: 'Asia/Shanghai', hours: [{ weekday: 2, start: 540, end: 720 }, { weekday: 2, start: 780, end: 1080 }], holidays: [] };
    // Tue 1 Dec 2026 11:30 CST (03:30Z) + 60 = 30 min before lunch, 30 after 13:00 → 13:30 CST = 05:30Z.
    expect(new Date(addBusinessTime(split, iso('2026-12-01T03:30:00Z'), minutes(60))).toISOString()).toBe('2026-12-01T05:30:00.000Z');
  });

  it('a start outside hours begins counting at the next opening', () => {
    // Sat 5 Dec 2026 12:00 Berlin + 30 min → Mon 7 Dec 09:30 CET = 08:30Z.
    expect(new Date(addBusinessTime(berlin, iso('2026-12-05T11:00:00Z'), minutes(30))).toISOString()).toBe('2026-12-07T08:30:00.000Z');
  });

  it('reads wall-clock times that do not exist as later and those that exist twice as earlier', () => {
    expect(new Date(localToInstant(2026, 3, 29, 150, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(localToInstant(2026, 10, 25, 150, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('knows real time zones and refuses made-up ones', () => {
    expect(isKnownTimeZone('Asia/Shanghai')).toBe(true);
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});

const zones = ['Europe/Berlin', 'Asia/Shanghai', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu', 'UTC'];

/** Non-overlapping intervals per weekday, on quarter hours (possibly none: open around the clock). */
const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...zones),
    days: fc.array(fc.record({ weekday: fc.integer({ min: 1, max: 7 }), cuts: fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 6 }) }), { maxLength: 7 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 700 }), { maxLength: 30 }),
  })
  .map(({ timeZone, days, holidays }) => {
    const seen = new Set<number>();
    const hours: OpenInterval[] = [];
    for (const { weekday, cuts } of days) {
      if (seen.has(weekday)) continue;
      seen.add(weekday);
      const sorted = [...cuts].sort((a, b) => a - b);
      for (let i = 0; i + 1 < sorted.length; i += 2) hours.push({ weekday, start: sorted[i]! * 15, end: sorted[i + 1]! * 15 });
    }
    const base = Date.UTC(2026, 0, 1);
    return { timeZone, hours, holidays: holidays.map((d) => new Date(base + d * 86_400_000).toISOString().slice(0, 10)) };
  })
  // At least four open hours a week, so every target below falls within the search horizon.
  .filter((c) => c.hours.length === 0 || c.hours.reduce((sum, h) => sum + h.end - h.start, 0) >= 240);

const startArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }).map((t) => t - (t % 1000));
const targetArb = fc.integer({ min: 1, max: 3 * 24 * 60 }).map(minutes);

describe('business time, properties', () => {
  it('the business time between start and due is the target', () => {
    fc.assert(fc.property(calendarArb, startArb, targetArb, (cal, start, target) => businessTimeBetween(cal, start, addBusinessTime(cal, start, target)) === target), { numRuns: 200 });
  });

  it('adding twice is adding the sum', () => {
    fc.assert(
      fc.property(calendarArb, startArb, targetArb, targetArb, (cal, start, a, b) => addBusinessTime(cal, addBusinessTime(cal, start, a), b) === addBusinessTime(cal, start, a + b)),
      { numRuns: 150 },
    );
  });

  it('a longer target is never due earlier, and never sooner than the same real time', () => {
    fc.assert(
      fc.property(calendarArb, startArb, targetArb, targetArb, (cal, start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const dueLo = addBusinessTime(cal, start, lo);
        return dueLo <= addBusinessTime(cal, start, hi) && dueLo >= start + lo;
      }),
      { numRuns: 150 },
    );
  });

  it('open around the clock in UTC is plain elapsed time', () => {
    fc.assert(fc.property(startArb, targetArb, (start, target) => addBusinessTime(alwaysOpen, start, target) === start + target));
  });
});
