import { describe, expect, test } from 'vitest';
import { csatOf, deltaOf, emptySums, figuresOf } from './figures';
import { comparableRange, isoWeek, periodRange, previousRange, trendRange, yearBeforeRange } from './periods';

describe('CSAT validity', () => {
  const at = (asked: number, answered: number) => csatOf({ surveysAsked: asked, surveysAnswered: answered, csatSum: answered * 4, csatSatisfied: answered });
  test('valid only above a 50% response rate', () => {
    expect(at(10, 4)).toMatchObject({ responseRate: 0.4, valid: false, average: 4 });
    expect(at(10, 5)).toMatchObject({ responseRate: 0.5, valid: false });
    expect(at(10, 6)).toMatchObject({ responseRate: 0.6, valid: true });
  });
  test('nobody asked: no rate, not valid; no answers: no average', () => {
    expect(at(0, 0)).toMatchObject({ responseRate: null, valid: false, average: null, satisfied: null });
  });
});

describe('figures', () => {
  test('ratios, and none from nothing', () => {
    const f = figuresOf({ ...emptySums(), handled: 4, answered: 5, waitMs: 50_000, talkMs: 1_000_000, wrapMs: 200_000, transfers: 1, slaMet: 3, slaMissed: 1, staffedMs: 2_400_000 });
    expect(f).toMatchObject({ ahtMs: 300_000, asaMs: 10_000, transferRate: 0.2, slaMet: 0.75, occupancy: 0.5, fcr: null });
    expect(figuresOf(emptySums())).toMatchObject({ handled: 0, ahtMs: null, asaMs: null, occupancy: null });
  });
  test('occupancy is capped at 100% (parallel chats)', () => {
    expect(figuresOf({ ...emptySums(), handled: 3, talkMs: 3_600_000, staffedMs: 1_800_000 }).occupancy).toBe(1);
  });
});

describe('deltas', () => {
  test('counts and durations relative; a shorter handle time is better', () => {
    expect(deltaOf('handled', 120, 100)).toEqual({ kind: 'relative', value: 0.2, better: true });
    expect(deltaOf('ahtMs', 240_000, 300_000)).toEqual({ kind: 'relative', value: -0.2, better: true });
    expect(deltaOf('handled', 5, 0)).toBeNull();
    expect(deltaOf('handled', 5, null)).toBeNull();
  });
  test('shares in percentage points; a higher transfer rate is worse', () => {
    const d = deltaOf('transferRate', 0.15, 0.1)!;
    expect(d.kind).toBe('points');
    expect(d.value).toBeCloseTo(5, 10);
    expect(d.better).toBe(false);
    expect(deltaOf('fcr', 0.8, 0.8)).toEqual({ kind: 'points', value: 0, better: null });
  });
});

describe('periods', () => {
  test('ISO weeks start on Monday; the week before and the same ISO week a year before', () => {
    expect(periodRange('week', '2026-03-29')).toEqual({ from: '2026-03-23', to: '2026-03-29' });
    expect(previousRange('week', '2026-03-25')).toEqual({ from: '2026-03-16', to: '2026-03-22' });
    expect(isoWeek('2026-03-25')).toEqual({ year: 2026, week: 13 });
    expect(yearBeforeRange('week', '2026-03-25')).toEqual({ from: '2025-03-24', to: '2025-03-30' });
    // 2021-01-03 is in ISO week 53 of 2020; 2019 has 52 weeks, so the last one stands in.
    expect(isoWeek('2021-01-03')).toEqual({ year: 2020, week: 53 });
    expect(yearBeforeRange('week', '2021-01-03')).toEqual({ from: '2019-12-23', to: '2019-12-29' });
  });
  test('months: lengths, leap years, the month before, a year before', () => {
    expect(periodRange('month', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(previousRange('month', '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(yearBeforeRange('month', '2026-12-07')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(yearBeforeRange('day', '2028-02-29')).toEqual({ from: '2027-02-28', to: '2027-02-28' });
    expect(previousRange('day', '2026-03-01')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
  });
  test('a day report trends the 14 days up to it', () => {
    expect(trendRange('day', '2026-03-14')).toEqual({ from: '2026-03-01', to: '2026-03-14' });
  });
  test('a running period is compared with as many days of the earlier one', () => {
    const current = periodRange('week', '2026-12-09');
    expect(comparableRange(current, previousRange('week', '2026-12-09'), '2026-12-09')).toEqual({ from: '2026-11-30', to: '2026-12-02' });
    // A finished period compares whole periods; February is shorter than the 31 days of a running March.
    expect(comparableRange(current, previousRange('week', '2026-12-09'), '2026-12-20')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(comparableRange(periodRange('month', '2026-03-31'), previousRange('month', '2026-03-31'), '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
});
