/**
 * A fixed-window counter per key: after `maxFailures` within `windowMs`, further attempts are refused
 * until the window passes. In memory, so it resets with the server; that is enough for a single-node
 * server and needs no table. Password sign-in no longer uses it (a hard lockout per username + address
 * let anyone lock an agent out behind a proxy and never saw spraying): see createLoginThrottle below.
 */
export type LoginLimiter = {
  /** Seconds to wait, or 0 when an attempt is allowed. */
  retryAfter(key: string): number;
  fail(key: string): void;
  succeed(key: string): void;
};

export function createLoginLimiter({ maxFailures = 5, windowMs = 15 * 60_000, now = Date.now, maxKeys = 10_000 } = {}): LoginLimiter {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (key: string) => {
    const entry = failures.get(key);
    if (entry && now() - entry.since >= windowMs) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    retryAfter(key) {
      const entry = current(key);
      if (!entry || entry.count < maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.since + windowMs - now()) / 1000));
    },
    fail(key) {
      const entry = current(key);
      if (entry) {
        entry.count++;
        return;
      }
      // Bounded memory under a spray of usernames: forget the oldest entry (Map keeps insertion order).
      if (failures.size >= maxKeys) failures.delete(failures.keys().next().value!);
      failures.set(key, { count: 1, since: now() });
    },
    succeed(key) {
      failures.delete(key);
    },
  };
}

/**
 * The password sign-in throttle. Two counters of failed sign-ins, each forgotten `forgetAfterMs` after its
 * last failure, and each answered with growing delays (429 and Retry-After), never a hard lockout:
 *
 * - per address, over every username: past `addressFreeFailures`, each further attempt from that address
 *   waits `baseDelayMs · 2^(failures − free)` (capped at `maxDelayMs`) after its last failure. This is what
 *   stops one password sprayed over many usernames, which a per-username key never sees. An account that
 *   signed in from that address within `trustForMs` is exempt (the account limit still applies to it), so
 *   one noisy client behind an office's NAT address does not slow every colleague there.
 * - per account, over every address: past `accountFreeFailures`, the same growing delay, but only for
 *   addresses that have themselves failed on this account. An address with no failure on it still gets
 *   through, so an attacker elsewhere cannot lock the real agent out (OWASP Authentication Cheat Sheet,
 *   "Login Throttling"; the device-cookie idea without the cookie: the address is the device).
 *
 * Attempts still being checked count as failures-to-be, so a burst of parallel attempts from one address
 * cannot slip past the counters before the first failure is recorded. A success forgets that account's
 * counters (the address's stays, so an insider cannot reset a spray by signing in to their own account).
 * Addresses are keyed as IPv4, or the IPv6 /64 a single host usually holds (RFC 6177 assigns /64 and up).
 * In memory, like the limiter above: enough for one node; a restart forgets.
 */
export type LoginThrottleOptions = {
  addressFreeFailures: number;
  accountFreeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
  trustForMs: number;
  maxEntries: number;
  now: () => number;
};

export type ThrottleRefusal = { allowed: false; retryAfter: number; limit: 'address' | 'account' };
export type LoginAttempt = {
  allowed: true;
  /** Record the outcome; each also ends the attempt. */
  failed(): void;
  succeeded(): void;
  /** Ends an attempt with no outcome (the hashing was refused, an error); safe to call after the others. */
  release(): void;
};
export type LoginThrottle = { begin(attempt: { account: string; address: string }): LoginAttempt | ThrottleRefusal };

type Counter = { count: number; last: number };

export const loginThrottleDefaults: LoginThrottleOptions = {
  addressFreeFailures: 10,
  accountFreeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  trustForMs: 30 * 24 * 60 * 60_000,
  maxEntries: 10_000,
  now: Date.now,
};

export function createLoginThrottle(options: Partial<LoginThrottleOptions> = {}): LoginThrottle {
  const o = { ...loginThrottleDefaults, ...options };
  const byAddress = new Map<string, Counter>();
  const byAccount = new Map<string, Counter>();
  // account + '\n' + address: which addresses have failed on which account.
  const byPair = new Map<string, Counter>();
  const inFlight = new Map<string, number>();
  // account + '\n' + address → when that account last signed in from there.
  const trusted = new Map<string, number>();

  const read = (map: Map<string, Counter>, key: string): Counter | undefined => {
    const entry = map.get(key);
    if (entry && o.now() - entry.last >= o.forgetAfterMs) {
      map.delete(key);
      return undefined;
    }
    return entry;
  };
  const bump = (map: Map<string, Counter>, key: string) => {
    const count = (read(map, key)?.count ?? 0) + 1;
    // Re-inserted so the Map's order is least recently failed first; the oldest goes when full.
    map.delete(key);
    if (map.size >= o.maxEntries) map.delete(map.keys().next().value!);
    map.set(key, { count, last: o.now() });
  };
  const delayMs = (failures: number, free: number) => (failures < free ? 0 : Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(failures - free, 30)));
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    begin({ account, address: rawAddress }) {
      const address = addressKey(rawAddress);
      const pairKey = `${account}\n${address}`;
      const pending = inFlight.get(address) ?? 0;
      const fromAddress = read(byAddress, address);
      const addressFailures = (fromAddress?.count ?? 0) + pending;
      const trustedSince = trusted.get(pairKey);
      const isTrusted = trustedSince !== undefined && o.now() - trustedSince < o.trustForMs;
      if (!isTrusted && addressFailures >= o.addressFreeFailures) {
        const wait = (fromAddress?.last ?? o.now()) + delayMs(addressFailures, o.addressFreeFailures) - o.now();
        if (wait > 0 || pending > 0) return { allowed: false, retryAfter: seconds(wait), limit: 'address' };
      }
      const pair = read(byPair, pairKey);
      const onAccount = read(byAccount, account);
      if (pair && onAccount && onAccount.count >= o.accountFreeFailures) {
        const wait = pair.last + delayMs(onAccount.count, o.accountFreeFailures) - o.now();
        if (wait > 0) return { allowed: false, retryAfter: seconds(wait), limit: 'account' };
      }
      inFlight.set(address, pending + 1);
      let open = true;
      const release = () => {
        if (!open) return;
        open = false;
        const left = (inFlight.get(address) ?? 1) - 1;
        if (left > 0) inFlight.set(address, left);
        else inFlight.delete(address);
      };
      return {
        allowed: true,
        failed() {
          if (!open) return;
          release();
          bump(byAddress, address);
          bump(byAccount, account);
          bump(byPair, pairKey);
        },
        succeeded() {
          if (!open) return;
          release();
          byAccount.delete(account);
          byPair.delete(pairKey);
          trusted.delete(pairKey);
          if (trusted.size >= o.maxEntries) trusted.delete(trusted.keys().next().value!);
          trusted.set(pairKey, o.now());
        },
        release,
      };
    },
  };
}

/** An IPv4 address as is (also when IPv4-mapped), an IPv6 address as its /64 prefix. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]!.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
