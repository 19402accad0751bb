import { qualityFromStats, type Codec } from '../../../core/call/mos';
import type { QualitySample } from './phone';

/**
 * Reads a WebRTC stats report into a QualitySample. Loss is computed over the interval since the
 * previous reading, not since the call began: a burst of loss now matters, not an average over an hour.
 */

type Counters = { packetsReceived: number; packetsLost: number };
export type StatsCursor = Counters;

type StatsLike = { forEach(cb: (s: Record<string, unknown>) => void): void; get(id: string): unknown };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function readQuality(report: StatsLike, prev: StatsCursor | undefined, at: number): { sample: QualitySample; cursor: StatsCursor } {
  let bytesIn = 0;
  let bytesOut = 0;
  let jitterS = 0;
  let rttS: number | undefined;
  let pairRttS: number | undefined;
  let codecId: string | undefined;
  const now: Counters = { packetsReceived: 0, packetsLost: 0 };
  report.forEach((s) => {
    if (s.kind !== undefined && s.kind !== 'audio') return;
    switch (s.type) {
      case 'inbound-rtp':
        bytesIn += num(s.bytesReceived);
        now.packetsReceived += num(s.packetsReceived);
        now.packetsLost += num(s.packetsLost);
        jitterS = Math.max(jitterS, num(s.jitter));
        if (typeof s.codecId === 'string') codecId = s.codecId;
        break;
      case 'outbound-rtp':
        bytesOut += num(s.bytesSent);
        break;
      case 'remote-inbound-rtp':
        // RTCP receiver reports from the far end: the RTT of our media path.
        if (typeof s.roundTripTime === 'number') rttS = s.roundTripTime;
        break;
      case 'candidate-pair':
        if ((s.nominated === true || s.state === 'succeeded') && typeof s.currentRoundTripTime === 'number') pairRttS = s.currentRoundTripTime;
        break;
    }
  });
  const dReceived = now.packetsReceived - (prev?.packetsReceived ?? 0);
  const dLost = now.packetsLost - (prev?.packetsLost ?? 0);
  const expected = dReceived + Math.max(0, dLost);
  const lossPct = expected > 0 ? (100 * Math.max(0, dLost)) / expected : 0;
  const codecStats = codecId ? (report.get(codecId) as Record<string, unknown> | undefined) : undefined;
  const mime = typeof codecStats?.mimeType === 'string' ? codecStats.mimeType : '';
  const codec = mime.replace(/^audio\//i, '');
  const model: Codec = /pcm[ua]/i.test(codec) ? 'PCMU' : 'opus';
  const rttMs = 1000 * (rttS ?? pairRttS ?? 0);
  const jitterMs = 1000 * jitterS;
  const q = qualityFromStats({ rttMs, jitterMs, lossPct, codec: model });
  return {
    sample: { at, rttMs, jitterMs, lossPct, mos: Math.round(q.mos * 100) / 100, band: q.band, bytesIn, bytesOut, codec: codec || 'unknown' },
    cursor: now,
  };
}
