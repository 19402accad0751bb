import { describe, expect, it } from 'vitest';
import { mosFromR, qualityFromStats, rFactor } from './mos';

describe('E-model MOS', () => {
  it('maps R to MOS with the G.107 Annex B curve and clamps the ends', () => {
    expect(mosFromR(93.2)).toBeCloseTo(4.41, 2);
    expect(mosFromR(80)).toBeCloseTo(4.02, 2);
    expect(mosFromR(70)).toBeCloseTo(3.6, 1);
    expect(mosFromR(50)).toBeCloseTo(2.58, 2);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
  });

  it('rates a clean LAN call good', () => {
    const q = qualityFromStats({ rttMs: 2, jitterMs: 1, lossPct: 0, codec: 'opus' });
    expect(q.band).toBe('good');
    expect(q.mos).toBeGreaterThan(4.3);
  });

  it('penalises delay beyond the 177.3 ms knee more steeply', () => {
    const below = rFactor({ oneWayDelayMs: 170, lossPct: 0, codec: 'PCMU' });
    const above = rFactor({ oneWayDelayMs: 300, lossPct: 0, codec: 'PCMU' });
    expect(93.2 - below).toBeCloseTo(0.024 * 170, 5);
    expect(93.2 - above).toBeCloseTo(0.024 * 300 + 0.11 * (300 - 177.3), 5);
  });

  it('rates bad home Wi-Fi (300 ms RTT, 40 ms jitter, 5 % loss) poor', () => {
    expect(qualityFromStats({ rttMs: 300, jitterMs: 40, lossPct: 5, codec: 'PCMU' }).band).toBe('poor');
  });

  it('lets opus tolerate loss better than PCMU', () => {
    const opus = qualityFromStats({ rttMs: 50, jitterMs: 5, lossPct: 3, codec: 'opus' });
    const pcmu = qualityFromStats({ rttMs: 50, jitterMs: 5, lossPct: 3, codec: 'PCMU' });
    expect(opus.mos).toBeGreaterThan(pcmu.mos);
  });

  it('treats missing numbers as zero instead of producing NaN', () => {
    const q = qualityFromStats({ rttMs: Number.NaN, jitterMs: Number.POSITIVE_INFINITY, lossPct: 0, codec: 'opus' });
    expect(Number.isNaN(q.mos)).toBe(false);
    expect(q.band).toBe('good');
  });
});
