import { describe, expect, test } from 'vitest';
import { addressKey, createLoginLimiter, createLoginThrottle } from './loginLimiter';

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

describe('issue 12 item 5 (login limiting): the sign-in throttle', () => {
  const account = (name: string, address = '203.0.113.7') => ({ account: name, address });

  test('issue 12 item 5 (login limiting): one address spraying many usernames gets growing delays, not a lockout', () => {
    let now = 0;
    const throttle = createLoginThrottle({ addressFreeFailures: 3, now: () => now });
    for (let i = 0; i < 3; i++) {
      const attempt = throttle.begin(account(`user${i}`));
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) attempt.failed();
    }
    expect(throttle.begin(account('user9'))).toEqual({ allowed: false, retryAfter: 1, limit: 'address' });
    now += 1000;
    const fourth = throttle.begin(account('user9'));
    expect(fourth.allowed).toBe(true);
    if (fourth.allowed) fourth.failed();
    expect(throttle.begin(account('user10'))).toMatchObject({ allowed: false, retryAfter: 2 });
    // Another address is not slowed by this one's failures.
    expect(throttle.begin(account('user10', '198.51.100.1')).allowed).toBe(true);
  });

  test('issue 12 item 5 (login limiting): an account under attack slows only the addresses that failed on it', () => {
    let now = 0;
    const throttle = createLoginThrottle({ accountFreeFailures: 2, now: () => now });
    for (let i = 0; i < 4; i++) {
      now += 60_000;
      const attempt = throttle.begin(account('agent4', '198.51.100.66'));
      if (attempt.allowed) attempt.failed();
    }
    expect(throttle.begin(account('agent4', '198.51.100.66'))).toMatchObject({ allowed: false, limit: 'account' });
    const realUser = throttle.begin(account('agent4', '192.0.2.10'));
    expect(realUser.allowed).toBe(true);
    if (realUser.allowed) realUser.succeeded();
  });

  test('issue 12 item 5 (login limiting): an account that signed in from this address before is not slowed by others’ failures there', () => {
    const throttle = createLoginThrottle({ addressFreeFailures: 2 });
    const office = '198.51.100.20';
    const first = throttle.begin(account('agent1', office));
    if (first.allowed) first.succeeded();
    for (let i = 0; i < 2; i++) {
      const attempt = throttle.begin(account(`typo${i}`, office));
      if (attempt.allowed) attempt.failed();
    }
    expect(throttle.begin(account('agent2', office))).toMatchObject({ allowed: false, limit: 'address' });
    expect(throttle.begin(account('agent1', office)).allowed).toBe(true);
  });

  test('issue 12 item 5 (login limiting): attempts still being checked count, so a parallel burst cannot slip past', () => {
    const throttle = createLoginThrottle({ addressFreeFailures: 3 });
    const burst = Array.from({ length: 10 }, (_, i) => throttle.begin(account(`user${i}`)));
    expect(burst.filter((a) => a.allowed)).toHaveLength(3);
    for (const a of burst) if (a.allowed) a.release();
    expect(throttle.begin(account('user11')).allowed).toBe(true);
  });

  test('issue 12 item 5 (login limiting): IPv6 addresses count per /64, IPv4-mapped ones as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
