import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, createBackoff } from './backoff';

describe('backoff', () => {
  const opts = { baseMs: 500, maxMs: 30_000 };

  it('doubles the ceiling per attempt and caps it', () => {
    expect([0, 1, 2, 3, 6, 7, 100].map((a) => backoffCeiling(a, opts))).toEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
  });

  it('draws the delay uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...opts, random: () => 0.5 })).toBe(2000);
    expect(backoffDelay(3, { ...opts, random: () => 0.999999 })).toBeLessThan(4000);
  });

  it('never waits longer than the cap, even after thousands of failures', () => {
    expect(backoffDelay(5000, { ...opts, random: () => 0.999 })).toBeLessThanOrEqual(30_000);
  });

  it('counts attempts and starts over after reset', () => {
    const b = createBackoff({ ...opts, random: () => 0.5 });
    expect([b.next(), b.next(), b.next()]).toEqual([250, 500, 1000]);
    expect(b.attempts).toBe(3);
    b.reset();
    expect(b.next()).toBe(250);
  });
});
