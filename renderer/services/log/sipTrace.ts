import { SIP_MESSAGE_MAX, type SipTraceEntry } from '../../../core/diagnostics/parts';
import { redactSipMessage } from '../../../core/diagnostics/redact';

/**
 * The last SIP messages in both directions, for the diagnostics archive: redacted (digest credentials,
 * SDP keys, non-SDP bodies) before anything can read them, bounded by count and by characters so a
 * chatty PBX (OPTIONS every few seconds, re-REGISTERs) keeps the recent past rather than growing without
 * end.
 *
 * record() sits on the transport's path (every message in and out, INVITE and 200 OK included), so it
 * only queues the raw text; redaction (regular expressions over a few kB of SDP) runs when the page is
 * idle, or at once when the archive reads the trace or the queue reaches its bound.
 */
export type SipTrace = {
  record(direction: SipTraceEntry['direction'], message: string): void;
  entries(): SipTraceEntry[];
};

type Options = {
  maxEntries?: number;
  maxChars?: number;
  now?: () => number;
  knownSecrets?: () => readonly string[];
  /** Runs the redaction later; default: requestIdleCallback (1 s at most), else a 0 ms timer. */
  schedule?: (work: () => void) => void;
};

const whenIdle = (work: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 1000 });
  else setTimeout(work, 0);
};

export function createSipTrace(opts: Options = {}): SipTrace {
  const maxEntries = opts.maxEntries ?? 1000;
  const maxChars = opts.maxChars ?? 1_000_000;
  const now = opts.now ?? (() => Date.now());
  const schedule = opts.schedule ?? whenIdle;
  let ring: SipTraceEntry[] = [];
  let chars = 0;
  let queued: SipTraceEntry[] = [];
  let scheduled = false;

  const drain = (): void => {
    scheduled = false;
    const batch = queued;
    queued = [];
    for (const raw of batch) {
      const redacted = redactSipMessage(raw.message, opts.knownSecrets?.() ?? []);
      const text = redacted.length > SIP_MESSAGE_MAX ? `${redacted.slice(0, SIP_MESSAGE_MAX - 40)}\n[truncated ${redacted.length} chars]` : redacted;
      ring.push({ ...raw, message: text });
      chars += text.length;
    }
    let drop = 0;
    while ((ring.length - drop > maxEntries || chars > maxChars) && drop < ring.length - 1) chars -= ring[drop++]!.message.length;
    if (drop > 0) ring = ring.slice(drop);
  };

  return {
    record(direction, message) {
      queued.push({ at: now(), direction, message });
      if (queued.length >= maxEntries) drain();
      else if (!scheduled) {
        scheduled = true;
        schedule(() => {
          if (scheduled) drain();
        });
      }
    },
    entries: () => {
      drain();
      return [...ring];
    },
  };
}
