/**
 * Slows password guessing: after `maxFailures` failed logins for one username from one address
 * within `windowMs`, further attempts are refused until the window passes. In memory, so it resets
 * with the server; that is enough for a single-node server and needs no table.
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
