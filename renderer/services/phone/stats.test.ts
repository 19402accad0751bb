import { describe, expect, it } from 'vitest';
import { readQuality } from './stats';

const report = (entries: Array<Record<string, unknown>>) => {
  const byId = new Map(entries.map((e) => [String(e.id), e]));
  return { forEach: (cb: (s: Record<string, unknown>) => void) => entries.forEach(cb), get: (id: string) => byId.get(id) };
};

describe('readQuality', () => {
  const base = [
    { id: 'c1', type: 'codec', mimeType: 'audio/PCMU' },
    { id: 'o1', type: 'outbound-rtp', kind: 'audio', bytesSent: 8000 },
    { id: 'r1', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.08 },
  ];

  it('turns getStats counters into ms, interval loss and a MOS band', () => {
    const first = readQuality(report([...base, { id: 'i1', type: 'inbound-rtp', kind: 'audio', bytesReceived: 16000, packetsReceived: 100, packetsLost: 0, jitter: 0.004, codecId: 'c1' }]), undefined, 1);
    const next = readQuality(report([...base, { id: 'i1', type: 'inbound-rtp', kind: 'audio', bytesReceived: 24000, packetsReceived: 145, packetsLost: 5, jitter: 0.004, codecId: 'c1' }]), first.cursor, 2);
    expect(first.sample).toMatchObject({ rttMs: 80, jitterMs: 4, lossPct: 0, bytesIn: 16000, bytesOut: 8000, codec: 'PCMU', band: 'good' });
    // 5 lost of 50 expected in this second: 10 %, even though it is 3.3 % of the whole call.
    expect(next.sample.lossPct).toBeCloseTo(10, 5);
    expect(next.sample.band).toBe('poor');
  });

  it('falls back to the ICE pair RTT before the first RTCP report', () => {
    const s = readQuality(report([{ id: 'p', type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.01 }]), undefined, 0).sample;
    expect(s.rttMs).toBe(10);
    expect(s.codec).toBe('unknown');
  });
});
