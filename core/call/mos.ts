/**
 * Call quality as a MOS estimate, from the ITU-T G.107 E-model with the simplifications of
 * Cole & Rosenbluth ("Voice over IP performance monitoring", ACM CCR 2001), which is what getStats gives
 * us enough data for:
 *
 *   R   = 93.2 - Id - Ie,eff                        (R0 - Is with G.107 defaults, A = 0)
 *   Id  = 0.024·d + 0.11·(d - 177.3)·H(d - 177.3)   d = one-way mouth-to-ear delay in ms
 *   Ie,eff = Ie + (95 - Ie) · Ppl / (Ppl + Bpl)     (G.107 §7.4, random loss, BurstR = 1)
 *   MOS = 1 + 0.035·R + R·(R - 60)·(100 - R)·7e-6    (G.107 Annex B), clamped to [1, 4.5]
 *
 * One-way delay is RTT/2 (network) plus the jitter buffer, which WebRTC's NetEq sizes at about twice the
 * observed jitter, plus one packetisation frame (20 ms).
 */

export type Codec = 'opus' | 'PCMU';
export type QualityBand = 'good' | 'fair' | 'poor';

/**
 * Equipment impairment Ie and packet-loss robustness Bpl. PCMU: G.113 Appendix I, G.711 with packet loss
 * concealment (Ie 0, Bpl 25.1; browsers always conceal). Opus has no G.113 entry; we rate it no worse
 * than G.711 in quality and a little more robust to loss (in-band FEC), Bpl 30: an engineering estimate,
 * used only to colour a quality badge.
 */
export const codecImpairment: Record<Codec, { ie: number; bpl: number }> = {
  PCMU: { ie: 0, bpl: 25.1 },
  opus: { ie: 0, bpl: 30 },
};

const FRAME_MS = 20;

export function oneWayDelayMs(rttMs: number, jitterMs: number): number {
  return Math.max(0, rttMs) / 2 + 2 * Math.max(0, jitterMs) + FRAME_MS;
}

export function rFactor(input: { oneWayDelayMs: number; lossPct: number; codec: Codec }): number {
  const d = input.oneWayDelayMs;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const { ie, bpl } = codecImpairment[input.codec];
  const ppl = Math.min(100, Math.max(0, input.lossPct));
  const ieEff = ie + ((95 - ie) * ppl) / (ppl + bpl);
  return 93.2 - id - ieEff;
}

export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.min(4.5, Math.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6));
}

/** good: MOS ≥ 4.0 (R ≈ 80, "satisfied"); fair: ≥ 3.6 (R ≈ 70, "some users dissatisfied"); poor below. */
export function qualityBand(mos: number): QualityBand {
  if (mos >= 4.0) return 'good';
  if (mos >= 3.6) return 'fair';
  return 'poor';
}

export type QualityInput = { rttMs: number; jitterMs: number; lossPct: number; codec: Codec };
export type Quality = { r: number; mos: number; band: QualityBand };

/** MOS and band from plain numbers (as read from getStats); non-finite inputs count as 0. */
export function qualityFromStats(input: QualityInput): Quality {
  const n = (x: number): number => (Number.isFinite(x) ? x : 0);
  const r = rFactor({ oneWayDelayMs: oneWayDelayMs(n(input.rttMs), n(input.jitterMs)), lossPct: n(input.lossPct), codec: input.codec });
  const mos = mosFromR(r);
  return { r, mos, band: qualityBand(mos) };
}
