import { describe, expect, test } from 'vitest';
import { type SampleCandidate, type SamplePlan, describeReason, drawSample, seededRandom } from './sampling';

const hex = (n: number) => n.toString(16).padStart(12, '0');
const conv = (n: number, agentId: string, extra: Partial<SampleCandidate> = {}): SampleCandidate => ({
  id: `00000000-0000-4000-8000-${hex(n)}`,
  agentId,
  channel: 'webchat',
  csat: 5,
  handleMs: 60_000,
  transferred: false,
  ...extra,
});

/**
 * The chi-square CDF for an even number of degrees of freedom 2m has a closed form (the Erlang/Poisson
 * identity): P(X ≤ x) = 1 − e^(−x/2) Σ_{k<m} (x/2)^k / k!. Exact, so no numerical library is needed as
 * long as the test keeps df even; 22 @stdlib packages for one CDF were not worth it.
 */
function chiSquareCdfEvenDf(x: number, df: number): number {
  if (df % 2 !== 0) throw new Error('even degrees of freedom only');
  let term = 1;
  let sum = 1;
  for (let k = 1; k < df / 2; k++) {
    term *= x / 2 / k;
    sum += term;
  }
  return 1 - Math.exp(-x / 2) * sum;
}

const plan = (over: Partial<SamplePlan> = {}): SamplePlan => ({ quota: { kind: 'count', perAgent: 2 }, minPerAgent: 0, filters: {}, seed: 42, ...over });

describe('QA sampling', () => {
  test('the CDF we test with is right at known quantiles', () => {
    // Tabled critical values: df 10 → 18.307 at 0.95, 29.588 at 0.999; df 2 → 5.991 at 0.95.
    expect(chiSquareCdfEvenDf(18.307, 10)).toBeCloseTo(0.95, 4);
    expect(chiSquareCdfEvenDf(29.588, 10)).toBeCloseTo(0.999, 4);
    expect(chiSquareCdfEvenDf(5.991, 2)).toBeCloseTo(0.95, 4);
  });

  test('a fixed seed picks the same conversations whatever order they come in, with a reason for each', () => {
    const pool = [...Array.from({ length: 6 }, (_, i) => conv(i, 'agent-a')), ...Array.from({ length: 4 }, (_, i) => conv(100 + i, 'agent-b'))];
    const first = drawSample(pool, plan());
    const again = drawSample([...pool].reverse(), plan());
    expect(again).toEqual(first);
    // Pinned: a change to the PRNG or the draw re-draws every past sample, which must be a deliberate change.
    expect(first.picks.map((p) => p.conversationId.slice(-3))).toEqual(['005', '002', '067', '064']);
    expect(describeReason(first.picks[0]!.reason)).toBe('random pick 1 of 2 among 6 eligible');
    expect(drawSample(pool, plan({ seed: 43 })).picks.map((p) => p.conversationId)).not.toEqual(first.picks.map((p) => p.conversationId));
  });

  test('over many seeds every conversation is picked equally often (chi-square, df 10)', () => {
    const pool = Array.from({ length: 11 }, (_, i) => conv(i, 'agent-a'));
    const counts = new Map(pool.map((c) => [c.id, 0]));
    const seeds = 11_000;
    for (let seed = 1; seed <= seeds; seed++) for (const p of drawSample(pool, plan({ seed, quota: { kind: 'count', perAgent: 3 } })).picks) counts.set(p.conversationId, counts.get(p.conversationId)! + 1);
    const expected = (seeds * 3) / pool.length;
    const chi = [...counts.values()].reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    // Seeds are fixed, so this is deterministic; a biased draw (e.g. always the first ids) gives thousands.
    expect(1 - chiSquareCdfEvenDf(chi, 10)).toBeGreaterThan(0.001);
  });

  test('the PRNG itself is uniform over 16 bins (chi-square, df 16 → 17 bins)', () => {
    const random = seededRandom(7);
    const bins = new Array<number>(17).fill(0);
    const n = 170_000;
    for (let i = 0; i < n; i++) bins[Math.floor(random() * 17)]! += 1;
    const chi = bins.reduce((s, o) => s + (o - n / 17) ** 2 / (n / 17), 0);
    expect(1 - chiSquareCdfEvenDf(chi, 16)).toBeGreaterThan(0.001);
  });

  test('percent quota, minimum per agent and filters hold for every seed', () => {
    const pool = [
      ...Array.from({ length: 40 }, (_, i) => conv(i, 'agent-busy', { csat: (i % 5) + 1, channel: i % 2 ? 'email' : 'webchat', transferred: i % 3 === 0, handleMs: i * 10_000 })),
      ...Array.from({ length: 5 }, (_, i) => conv(200 + i, 'agent-quiet', { csat: 1, channel: 'email', transferred: true, handleMs: 900_000 })),
    ];
    for (let seed = 1; seed <= 300; seed++) {
      const all = drawSample(pool, plan({ seed, quota: { kind: 'percent', percent: 10 }, minPerAgent: 3 }));
      const per = (a: string) => all.picks.filter((p) => p.agentId === a).length;
      expect(per('agent-busy')).toBe(4); // 10% of 40
      expect(per('agent-quiet')).toBe(3); // 10% of 5 rounds up to 1, raised to the minimum 3
      expect(all.picks.filter((p) => p.agentId === 'agent-quiet').every((p) => p.reason.raisedToMinimum)).toBe(true);
      expect(new Set(all.picks.map((p) => p.conversationId)).size).toBe(all.picks.length);

      const filters = { channels: ['email'] as const, csatAtMost: 2, transferred: true };
      const low = drawSample(pool, plan({ seed, filters: { ...filters, channels: [...filters.channels] }, minPerAgent: 1 }));
      for (const p of low.picks) {
        const c = pool.find((x) => x.id === p.conversationId)!;
        expect(c.channel === 'email' && c.csat! <= 2 && c.transferred).toBe(true);
        expect(p.reason.matched).toEqual(['channel', 'low-csat', 'transferred']);
      }
      expect(low.picks.length).toBeGreaterThan(0);
    }
  });

  test('a reviewer gets no more than their daily cap and never their own conversation; the rest wait unassigned', () => {
    const pool = Array.from({ length: 10 }, (_, i) => conv(i, i < 5 ? 'agent-a' : 'lead-1'));
    const result = drawSample(pool, plan({ quota: { kind: 'count', perAgent: 4 } }), [
      { id: 'lead-1', dailyCap: 10, alreadyToday: 7 },
      { id: 'lead-2', dailyCap: 2, alreadyToday: 0 },
    ]);
    const count = (r: string) => result.picks.filter((p) => p.reviewerId === r).length;
    // agent-a's four picks alternate between the leads; lead-1's own four cannot go to lead-1, and lead-2 is full.
    expect(count('lead-1')).toBe(2);
    expect(count('lead-2')).toBe(2);
    expect(result.picks.some((p) => p.reviewerId === 'lead-1' && p.agentId === 'lead-1')).toBe(false);
    expect(result.picks.filter((p) => p.agentId === 'lead-1').every((p) => p.reviewerId === null)).toBe(true);
    expect(result.unassigned).toBe(4);
  });
});
