/**
 * Retry delays for reconnecting clients (SIP transport, sync). Exponential growth, capped, with
 * "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015): the delay is drawn
 * uniformly from [0, min(cap, base * 2^attempt)]. Full jitter spreads a crowd of agents that all lost
 * the same server at once, so the server is not hit by every client in the same second on its return.
 */
export type BackoffOptions = {
  /** Upper bound of the first attempt's delay (attempt 0). */
  baseMs: number;
  /** No delay ever exceeds this. */
  maxMs: number;
  /** Uniform [0, 1); injected so tests are deterministic. */
  random?: () => number;
};

/** The ceiling for `attempt` (0-based) before jitter: min(maxMs, baseMs * 2^attempt). */
export function backoffCeiling(attempt: number, opts: Pick<BackoffOptions, 'baseMs' | 'maxMs'>): number {
  const n = Math.max(0, Math.floor(attempt));
  // 2^n overflows to Infinity for large n; Math.min then yields maxMs, which is what we want.
  return Math.min(opts.maxMs, opts.baseMs * 2 ** n);
}

/** A full-jitter delay for `attempt` (0-based). */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const random = opts.random ?? Math.random;
  return Math.floor(random() * backoffCeiling(attempt, opts));
}

export type Backoff = {
  /** The delay before the next attempt; each call counts one attempt. */
  next(): number;
  /** Call after a success: the next failure starts from the base again. */
  reset(): void;
  readonly attempts: number;
};

export function createBackoff(opts: BackoffOptions): Backoff {
  let attempts = 0;
  return {
    next() {
      const d = backoffDelay(attempts, opts);
      attempts += 1;
      return d;
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
