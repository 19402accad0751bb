/**
 * Opens the microphone while an inbound call rings, so Answer does not wait for getUserMedia.
 *
 * Measured in bench/call.mjs: getUserMedia took 20–33 ms on the answering app page against 7–15 ms on
 * the bare sip.js page (the app renders the call card and paints while the request is in flight), and
 * it is the largest single step between Answer and the 200 OK; a real headset can take far longer to
 * open. The ringing seconds hide it. The stream belongs to one call: it is handed to sip.js when that
 * call is answered (sip.js then stops it when the session ends) or stopped when the call ends unanswered,
 * so the microphone is only open while a call rings or runs.
 */

export type WarmMic = {
  /** Starts opening the microphone for `key` (a sip.js session id). A second call for a key is ignored. */
  warm(key: string, constraints: MediaStreamConstraints): void;
  /**
   * The stream opened for `key` if it was opened with equal constraints (the agent may have switched
   * microphones while it rang), else undefined and the stale stream is stopped. Either way `key` is
   * forgotten: the caller now owns the stream.
   */
  take(key: string, constraints: MediaStreamConstraints): Promise<MediaStream> | undefined;
  /** Stops and forgets the stream for `key` (the call ended unanswered). */
  drop(key: string): void;
  dispose(): void;
};

type Pending = { constraints: string; stream: Promise<MediaStream> };

export function createWarmMic(open: (constraints: MediaStreamConstraints) => Promise<MediaStream>, log: (line: string) => void): WarmMic {
  const pending = new Map<string, Pending>();

  const stop = (key: string, p: Pending): void => {
    p.stream.then((s) => s.getTracks().forEach((t) => t.stop())).catch(() => undefined);
    pending.delete(key);
  };

  return {
    warm(key, constraints) {
      if (pending.has(key)) return;
      let stream: Promise<MediaStream>;
      try {
        stream = open(constraints);
      } catch (e) {
        stream = Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      // A refusal here is reported when the agent answers (take() hands over the same rejected promise);
      // an unanswered call must not leave an unhandled rejection behind.
      stream.catch((e: unknown) => log(`microphone not opened while ringing: ${e instanceof Error ? e.message : String(e)}`));
      pending.set(key, { constraints: JSON.stringify(constraints), stream });
    },
    take(key, constraints) {
      const p = pending.get(key);
      if (!p) return undefined;
      if (p.constraints !== JSON.stringify(constraints)) {
        stop(key, p);
        return undefined;
      }
      pending.delete(key);
      return p.stream;
    },
    drop(key) {
      const p = pending.get(key);
      if (p) stop(key, p);
    },
    dispose() {
      for (const [key, p] of [...pending]) stop(key, p);
    },
  };
}
