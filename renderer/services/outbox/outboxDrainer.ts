import { createBackoff, type Backoff } from '../../../core/backoff';

/**
 * One kind of pending work in the user's outbox database (ticket-sync mutations, chat messages, quick-reply
 * edits, call reports). `drainOnce` sends what is pending, oldest first, and says how the round ended: `done`
 * (nothing left it could send) or `retry` (network trouble: the rest waits for the shared backoff, a nudge or
 * a kick). Rows the server refuses for good are the lane's to mark failed; that is `done`, not `retry`.
 * `again`: the round changed what the next one will do (the sync engine recovered from a refusal) and asks for
 * one more at once; kicks that came meanwhile are folded into it. `retrying` (optional) hears when the retry
 * after its `retry` is due, on the drainer's clock.
 */
export type OutboxLane = { readonly name: string; drainOnce(): Promise<'done' | 'again' | 'retry'>; retrying?(at: number): void };

export type OutboxDrainerDeps = {
  setTimeout(fn: () => void, ms: number): () => void;
  /** The clock `retrying` times are on (default Date.now). */
  now?: () => number;
  log(line: string): void;
  /** One retry policy for every lane: full-jitter exponential backoff (core/backoff.ts). */
  backoff?: Backoff;
};

/**
 * The one drainer of the outbox: each lane runs one round at a time (a kick during a round runs it once more
 * after), a lane that hit network trouble is retried after the shared backoff, and a success anywhere resets
 * the backoff. Replaces four copies of "draining / again / retry" flags that each retried differently (the
 * sync engine's push loop and three in the chat service).
 *
 * ```
 *   kick(lane) ──► [round running?] ─yes─► again = true ──► (round ends) ──► one more round
 *                        │ no
 *                        ▼
 *                 lane.drainOnce() ── done ──► backoff.reset()
 *                        │ retry
 *                        ▼
 *                 setTimeout(backoff.next()) ──► kick(every lane)      nudge() = cancel timer, reset backoff, kick all
 * ```
 */
export function createOutboxDrainer(deps: OutboxDrainerDeps) {
  const backoff = deps.backoff ?? createBackoff({ baseMs: 1_000, maxMs: 30_000 });
  const now = deps.now ?? Date.now;
  const lanes = new Map<string, OutboxLane>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let cancelRetry: (() => void) | null = null;
  let retryAt = 0;
  let stopped = false;

  /** One shared retry: a lane that fails while it is pending waits for the same one. */
  function scheduleRetry(lane: OutboxLane) {
    if (stopped) return;
    if (!cancelRetry) {
      const delay = backoff.next();
      retryAt = now() + delay;
      cancelRetry = deps.setTimeout(() => {
        cancelRetry = null;
        void kickAll();
      }, delay);
    }
    lane.retrying?.(retryAt);
  }

  function drain(name: string): Promise<void> {
    const lane = lanes.get(name);
    if (!lane || stopped) return Promise.resolve();
    const current = running.get(name);
    if (current) {
      again.add(name);
      return current;
    }
    // `running` is set before the lane is called: a kick from inside drainOnce (before its first await)
    // then folds into this run instead of starting a second, concurrent one.
    let finished: () => void = () => {};
    const run = new Promise<void>((resolve) => (finished = resolve));
    running.set(name, run);
    void (async () => {
      for (;;) {
        again.delete(name);
        const outcome = await lane.drainOnce();
        if (outcome === 'retry') {
          scheduleRetry(lane);
          return;
        }
        if (outcome === 'done') backoff.reset();
        if (stopped || (outcome === 'done' && !again.has(name))) return;
      }
    })()
      .catch((err: unknown) => deps.log(`[outbox ${name}] round failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        running.delete(name);
        again.delete(name);
        finished();
      });
    return run;
  }

  function kickAll(): Promise<void> {
    return Promise.all([...lanes.keys()].map(drain)).then(() => undefined);
  }

  return {
    addLane(lane: OutboxLane): void {
      lanes.set(lane.name, lane);
    },
    /** Sends what `lane` has pending; resolves when that round (and any round asked for meanwhile) is over. */
    drain,
    /**
     * The network is back, the socket connected or the machine woke up: retry now rather than after backoff,
     * and should that fail, start the backoff from its base again (what it grew to was for the old trouble).
     */
    nudge(): Promise<void> {
      cancelRetry?.();
      cancelRetry = null;
      backoff.reset();
      return kickAll();
    },
    stop(): void {
      stopped = true;
      cancelRetry?.();
      cancelRetry = null;
    },
  };
}
export type OutboxDrainer = ReturnType<typeof createOutboxDrainer>;
