import { SIP_MESSAGE_MAX, type SipTraceEntry } from '../../../core/diagnostics/parts';
import { redactSipMessage } from '../../../core/diagnostics/redact';

/**
 * The last SIP messages in both directions, for the diagnostics archive: redacted when captured (digest
 * credentials, SDP keys, non-SDP bodies), bounded by count and by characters so a chatty PBX (OPTIONS
 * every few seconds, re-REGISTERs) keeps the recent past rather than growing without end.
 */
export type SipTrace = {
  record(direction: SipTraceEntry['direction'], message: string): void;
  entries(): SipTraceEntry[];
};

export function createSipTrace(opts: { maxEntries?: number; maxChars?: number; now?: () => number; knownSecrets?: () => readonly string[] } = {}): SipTrace {
  const maxEntries = opts.maxEntries ?? 1000;
  const maxChars = opts.maxChars ?? 1_000_000;
  const now = opts.now ?? (() => Date.now());
  let ring: SipTraceEntry[] = [];
  let chars = 0;
  return {
    record(direction, message) {
      const redacted = redactSipMessage(message, opts.knownSecrets?.() ?? []);
      const text = redacted.length > SIP_MESSAGE_MAX ? `${redacted.slice(0, SIP_MESSAGE_MAX - 40)}\n[truncated ${redacted.length} chars]` : redacted;
      ring.push({ at: now(), direction, message: text });
      chars += text.length;
      let drop = 0;
      while ((ring.length - drop > maxEntries || chars > maxChars) && drop < ring.length - 1) chars -= ring[drop++]!.message.length;
      if (drop > 0) ring = ring.slice(drop);
    },
    entries: () => [...ring],
  };
}
