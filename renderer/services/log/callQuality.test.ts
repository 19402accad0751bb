import { describe, expect, it, vi } from 'vitest';
import { newInboundCall } from '../../../core/call/callMachine';
import type { PhoneDelegate, QualitySample } from '../phone/phone';
import { createCallQualityRecorder } from './callQuality';

const delegate = (): PhoneDelegate => ({ onRegistration: vi.fn(), onCallState: vi.fn(), onIncoming: vi.fn(), onQuality: vi.fn(), onError: vi.fn() });
const sample = (at: number, mos = 4.3): QualitySample => ({ at, rttMs: 40, jitterMs: 3, lossPct: 0, mos, band: 'good', bytesIn: 0, bytesOut: 0, codec: 'opus' });
const memoryStorage = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};

describe('call quality recorder', () => {
  it('records each sample of a call, passes every event on, and keeps the timeline after a restart', () => {
    const storage = memoryStorage();
    const inner = delegate();
    const rec = createCallQualityRecorder({ storage, now: () => 1000 });
    const d = rec.tap(inner);
    const ringing = newInboundCall('c1', { uri: 'sip:+4930@pbx' }, 'rfc4733', 900);
    d.onCallState('c1', ringing);
    d.onCallState('c1', { ...ringing, state: 'established' });
    d.onQuality('c1', sample(1100));
    d.onQuality('c1', sample(1200, 2.1));
    d.onCallState('c1', { ...ringing, state: 'ended', endReason: { kind: 'remote-hangup' }, marks: { ...ringing.marks, endedAt: 1300 } });
    expect(inner.onQuality).toHaveBeenCalledTimes(2);
    expect(inner.onCallState).toHaveBeenCalledTimes(3);

    const after = createCallQualityRecorder({ storage }).timelines();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ callId: 'c1', direction: 'inbound', startedAt: 900, endedAt: 1300, outcome: 'remote-hangup' });
    expect(after[0]!.samples.map((s) => s.mos)).toEqual([4.3, 2.1]);
  });

  it('bounds calls and samples; a long call keeps its whole span, thinned', () => {
    const rec = createCallQualityRecorder({ maxCalls: 2, maxSamples: 10 });
    const d = rec.tap(delegate());
    for (const id of ['a', 'b', 'c']) {
      const call = newInboundCall(id, { uri: 'sip:1@pbx' }, 'rfc4733', 0);
      d.onCallState(id, call);
      for (let i = 0; i < 25; i++) d.onQuality(id, sample(i));
      d.onCallState(id, { ...call, state: 'failed' });
    }
    const t = rec.timelines();
    expect(t.map((x) => x.callId)).toEqual(['c', 'b']);
    expect(t[0]!.samples.length).toBeLessThanOrEqual(10);
    expect(t[0]!.samples.at(-1)!.at).toBe(24);
    expect(t[0]!.samples[0]!.at).toBeLessThan(8);
  });

  it('ignores a corrupt stored value instead of failing the app', () => {
    const storage = memoryStorage();
    storage.setItem('diagnostics.calls', '{"not":"an array"');
    expect(createCallQualityRecorder({ storage }).timelines()).toEqual([]);
  });
});
