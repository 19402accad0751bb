/**
 * Voice first (issue 15): while a call is live, bulk background transfers wait, so a home agent's thin
 * uplink carries the call. A first sync of 100k tickets is a few hundred pages of up to a few hundred kB:
 * between two pages the engine asks `whileOnCall()`, which resolves at once when no call is live and
 * otherwise when the last call ends. Small work (pushing the agent's own changes, a poke's delta) never
 * waits: it is what the agent is doing now.
 */
export type VoiceFirst = {
  /** The phone says whether a call is live (established, held, ringing, dialing). */
  setCallLive(live: boolean): void;
  /** Resolves when no call is live. */
  whileOnCall(): Promise<void>;
  isCallLive(): boolean;
};

export function createVoiceFirst(opts: { enabled: () => boolean; log?: (line: string) => void }): VoiceFirst {
  let live = false;
  let waiters: Array<() => void> = [];
  return {
    setCallLive(next) {
      if (next === live) return;
      live = next;
      if (!live) {
        const w = waiters;
        waiters = [];
        if (w.length) opts.log?.(`[sync] call over: ${w.length} deferred transfer(s) resume`);
        for (const f of w) f();
      }
    },
    whileOnCall() {
      if (!live || !opts.enabled()) return Promise.resolve();
      opts.log?.('[sync] bulk transfer waits for the call to end (voice first)');
      return new Promise((resolve) => waiters.push(resolve));
    },
    isCallLive: () => live,
  };
}
