import { describe, expect, test } from 'vitest';
import { createLoginLimiter } from './loginLimiter';

describe('login limiter', () => {
  test('blocks after the allowed failures until the window passes; success resets', () => {
    let now = 0;
    const limiter = createLoginLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('a|ip')).toBe(0);
      limiter.fail('a|ip');
    }
    expect(limiter.retryAfter('a|ip')).toBe(60);
    expect(limiter.retryAfter('b|ip')).toBe(0);
    now = 60_000;
    expect(limiter.retryAfter('a|ip')).toBe(0);
    limiter.fail('a|ip');
    limiter.succeed('a|ip');
    limiter.fail('a|ip');
    limiter.fail('a|ip');
    expect(limiter.retryAfter('a|ip')).toBe(0);
  });
});
