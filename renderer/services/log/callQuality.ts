import { z } from 'zod';
import type { Call, CallId } from '../../../core/call/callMachine';
import { CallTimeline, type QualityPoint } from '../../../core/diagnostics/parts';
import type { PhoneDelegate, QualitySample } from '../phone/phone';

/**
 * Recent calls' quality timelines (a getStats sample a second: RTT, jitter, loss, MOS) for the
 * diagnostics archive. "My audio broke an hour ago" is the usual report, often after a restart, so a
 * finished call's timeline is saved to localStorage (bounded: the last `maxCalls` calls, each thinned to
 * `maxSamples` by keeping every other sample when full, so a long call keeps its whole span).
 */

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export type CallQualityRecorder = {
  /** Wraps the phone's delegate: sees call states and quality samples, passes everything on unchanged. */
  tap(delegate: PhoneDelegate): PhoneDelegate;
  /** Finished calls (newest first) then live ones. */
  timelines(): CallTimeline[];
};

const storageKey = 'diagnostics.calls';
const Stored = z.array(CallTimeline);
const ends = new Set(['ended', 'failed', 'wrap-up', 'done']);

export function createCallQualityRecorder(opts: { storage?: StorageLike | null; maxCalls?: number; maxSamples?: number; now?: () => number } = {}): CallQualityRecorder {
  const maxCalls = opts.maxCalls ?? 10;
  const maxSamples = opts.maxSamples ?? 900;
  const now = opts.now ?? (() => Date.now());
  const storage = opts.storage ?? null;
  const live = new Map<CallId, CallTimeline>();

  const load = (): CallTimeline[] => {
    try {
      const parsed = Stored.safeParse(JSON.parse(storage?.getItem(storageKey) ?? '[]'));
      return parsed.success ? parsed.data.slice(0, maxCalls) : [];
    } catch {
      return [];
    }
  };
  let finished = load();

  const save = (): void => {
    try {
      storage?.setItem(storageKey, JSON.stringify(finished));
    } catch {
      // Storage full: the timelines stay in memory for this session.
    }
  };

  const finish = (id: CallId, call: Call): void => {
    const t = live.get(id);
    if (!t) return;
    live.delete(id);
    t.endedAt = call.marks.endedAt ?? now();
    t.outcome = call.endReason?.kind ?? call.state;
    finished = [t, ...finished.filter((f) => f.callId !== id)].slice(0, maxCalls);
    save();
  };

  const point = (s: QualitySample): QualityPoint => ({ at: s.at, rttMs: s.rttMs, jitterMs: s.jitterMs, lossPct: s.lossPct, mos: s.mos, codec: s.codec.slice(0, 32) });

  return {
    tap(delegate) {
      return {
        ...delegate,
        onCallState(id, call) {
          if (!ends.has(call.state) && !live.has(id)) {
            live.set(id, { callId: id, direction: call.direction, startedAt: call.marks.clickAt ?? call.marks.inviteAt ?? now(), endedAt: null, outcome: null, samples: [] });
          } else if (ends.has(call.state)) finish(id, call);
          delegate.onCallState(id, call);
        },
        onQuality(id, sample) {
          const t = live.get(id);
          if (t) {
            if (t.samples.length >= maxSamples) t.samples = t.samples.filter((_, i) => i % 2 === 1);
            t.samples.push(point(sample));
          }
          delegate.onQuality(id, sample);
        },
      };
    },
    timelines: () => [...finished, ...live.values()].map((t) => ({ ...t, samples: [...t.samples] })),
  };
}
