/**
 * Notices a dead signalling connection. A WebSocket on a sleeping or roaming laptop can stay "open" for
 * minutes after the path died (TCP only notices when it next sends and the retransmissions time out).
 * sip.js's CRLF keepalive (RFC 5626 §4.4.1) keeps NATs open but does not check for the pong, so we also
 * send an OPTIONS to the registrar every `intervalMs` and call the connection dead when one is not
 * answered within `timeoutMs`: with 15 s + 10 s a dead path is noticed in at most 25 s.
 */
export type PingerDeps = {
  /** Sends one OPTIONS; resolves on any final response (even 4xx: the server is alive), rejects on transport error. */
  ping(): Promise<void>;
  onDead(reason: string): void;
  intervalMs: number;
  timeoutMs: number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
};

export type Pinger = { start(): void; stop(): void };

export function createPinger(deps: PingerDeps): Pinger {
  let timer: unknown;
  let generation = 0;

  const schedule = (gen: number): void => {
    timer = deps.setTimer(() => void probe(gen), deps.intervalMs);
  };
  const probe = async (gen: number): Promise<void> => {
    let timeout: unknown;
    const expired = new Promise<'timeout'>((resolve) => {
      timeout = deps.setTimer(() => resolve('timeout'), deps.timeoutMs);
    });
    let outcome: 'ok' | 'timeout' | string;
    try {
      outcome = await Promise.race([deps.ping().then(() => 'ok' as const), expired]);
    } catch (e) {
      outcome = e instanceof Error ? e.message : String(e);
    } finally {
      deps.clearTimer(timeout);
    }
    if (gen !== generation) return; // stopped or restarted meanwhile
    if (outcome === 'ok') schedule(gen);
    else deps.onDead(outcome === 'timeout' ? `OPTIONS ping unanswered for ${deps.timeoutMs} ms` : `OPTIONS ping failed: ${outcome}`);
  };

  return {
    start() {
      generation += 1;
      deps.clearTimer(timer);
      schedule(generation);
    },
    stop() {
      generation += 1;
      deps.clearTimer(timer);
    },
  };
}
