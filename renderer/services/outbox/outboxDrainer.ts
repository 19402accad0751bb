import { createBackoff, type Backoff } from '../../../core/backoff';

/**
 * One kind of pending work in the user's outbox database (chat messages, quick-reply edits, call reports).
 * `drainOnce` sends what is pending, oldest first, and says how the round ended: `done` (nothing left it
 * could send) or `retry` (network trouble: the rest waits for the shared backoff, a nudge or a kick).
 * Rows the server refuses for good are the lane's to mark failed; that is `done`, not `retry`.
 */
export type OutboxLane = { readonly name: string; drainOnce(): Promise<'done' | 'retry'> };

export type OutboxDrainerDeps = {
  setTimeout(fn: () => void, ms: number): () => void;
  log(line: string): void;
  /** One retry policy for every lane: full-jitter exponential backoff (core/backoff.ts). */
  backoff?: Backoff;
};

/**
 * The one drainer of the outbox: each lane runs one round at a time (a kick during a round runs it once more
 * after), a lane that hit network trouble is retried after the shared backoff, and a success anywhere resets
 * the backoff. Replaces three copies of "draining / again / retry" flags that each retried differently.
 *
 * ```
 *   kick(lane) ──► [round running?] ─yes─► again = true ──► (round ends) ──► one more round
 *                        │ no
 *                        ▼
 *                 lane.drainOnce() ── done ──► backoff.reset()
 *                        │ retry
 *                        ▼
 *                 setTimeout(backoff.next()) ──► kick(every lane)      nudge() = cancel timer + kick all
 * ```
 */
export function createOutboxDrainer(deps: OutboxDrainerDeps) {
  const backoff = deps.backoff ?? createBackoff({ baseMs: 1_000, maxMs: 30_000 });
  const lanes = new Map<string, OutboxLane>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let cancelRetry: (() => void) | null = null;
  let stopped = false;

  function scheduleRetry() {
    if (cancelRetry || stopped) return;
    cancelRetry = deps.setTimeout(() => {
      cancelRetry = null;
      void kickAll();
    }, backoff.next());
  }

  function drain(name: string): Promise<void> {
    const lane = lanes.get(name);
    if (!lane || stopped) return Promise.resolve();
    const current = running.get(name);
    if (current) {
      again.add(name);
      return current;
    }
    const run = (async () => {
      do {
        again.delete(name);
        const outcome = await lane.drainOnce();
        if (outcome === 'retry') {
          scheduleRetry();
          return;
        }
        backoff.reset();
      } while (again.has(name) && !stopped);
    })()
      .catch((err: unknown) => deps.log(`[outbox ${name}] round failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        running.delete(name);
        again.delete(name);
      });
    running.set(name, run);
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
    /** The network is back, the socket connected or the machine woke up: retry now rather than after backoff. */
    nudge(): Promise<void> {
      cancelRetry?.();
      cancelRetry = null;
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
