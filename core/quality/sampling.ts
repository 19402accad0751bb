/**
 * QA sampling (issue 19): which of a period's conversations reviewers score, picked at random but
 * reproducibly. The same seed, plan and candidates always give the same picks, so a disputed sample can be
 * re-drawn and checked; a new seed per period means no agent can count on luck.
 *
 *   candidates ──filters──▶ eligible ──group by agent──▶ quota per agent ──seeded shuffle──▶ picks
 *                                                                                          │
 *                                                       reviewers (daily cap) ◀──round robin┘
 *
 * Pure: no clock, no Math.random; the PRNG is sfc32 seeded through splitmix32 (both public domain, fast,
 * and pass PractRand well beyond what a sample of a few hundred needs).
 */

export type SampleCandidate = {
  id: string;
  agentId: string;
  channel: 'webchat' | 'messaging' | 'email' | 'voice';
  csat: number | null;
  handleMs: number | null;
  transferred: boolean;
};

export type SampleFilters = {
  channels?: readonly SampleCandidate['channel'][];
  /** Only conversations the customer scored at most this (1–5). */
  csatAtMost?: number;
  /** Only conversations handled for at least this long. */
  handleMsAtLeast?: number;
  /** Only conversations that were transferred. */
  transferred?: boolean;
};

export type SamplePlan = {
  /** N conversations per agent, or X percent of each agent's eligible conversations (rounded up). */
  quota: { kind: 'count'; perAgent: number } | { kind: 'percent'; percent: number };
  /** At least this many per agent (as long as the agent has that many eligible). */
  minPerAgent: number;
  filters: SampleFilters;
  seed: number;
};

export type Reviewer = { id: string; dailyCap: number; alreadyToday: number };

export type SampleReason = {
  /** Which filters the conversation met, in the order the plan lists them. */
  matched: ('channel' | 'low-csat' | 'long-handle' | 'transferred')[];
  /** Its draw: the k-th of `quota` picks among the agent's `eligible` conversations. */
  draw: number;
  quota: number;
  eligible: number;
  /** The quota was raised to the plan's minimum for this agent. */
  raisedToMinimum: boolean;
};

export type SamplePick = { conversationId: string; agentId: string; reviewerId: string | null; reason: SampleReason };

export type SampleResult = {
  picks: SamplePick[];
  /** Picks no reviewer had room for today (daily cap reached); kept so a lead can reassign them. */
  unassigned: number;
};

/** splitmix32 → sfc32: a 32-bit seed spread over sfc32's 128-bit state. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

function matchedFilters(c: SampleCandidate, f: SampleFilters): SampleReason['matched'] | null {
  const matched: SampleReason['matched'] = [];
  if (f.channels && f.channels.length > 0) {
    if (!f.channels.includes(c.channel)) return null;
    matched.push('channel');
  }
  if (f.csatAtMost !== undefined) {
    if (c.csat === null || c.csat > f.csatAtMost) return null;
    matched.push('low-csat');
  }
  if (f.handleMsAtLeast !== undefined) {
    if (c.handleMs === null || c.handleMs < f.handleMsAtLeast) return null;
    matched.push('long-handle');
  }
  if (f.transferred !== undefined) {
    if (c.transferred !== f.transferred) return null;
    if (f.transferred) matched.push('transferred');
  }
  return matched;
}

export function quotaFor(plan: SamplePlan, eligible: number): { quota: number; raisedToMinimum: boolean } {
  const asked = plan.quota.kind === 'count' ? plan.quota.perAgent : Math.ceil((eligible * plan.quota.percent) / 100);
  const quota = Math.min(eligible, Math.max(asked, plan.minPerAgent));
  return { quota, raisedToMinimum: quota > asked && asked < eligible };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Draws the sample. Input order does not matter: candidates and agents are sorted by id first, so the
 * picks depend on the seed and the set alone. Each agent's picks are the first `quota` of a partial
 * Fisher–Yates shuffle, i.e. every subset of that size is equally likely.
 */
export function drawSample(candidates: readonly SampleCandidate[], plan: SamplePlan, reviewers: readonly Reviewer[] = []): SampleResult {
  const random = seededRandom(plan.seed);
  const perAgent = new Map<string, { c: SampleCandidate; matched: SampleReason['matched'] }[]>();
  for (const c of [...candidates].sort(byId)) {
    const matched = matchedFilters(c, plan.filters);
    if (!matched) continue;
    const list = perAgent.get(c.agentId) ?? [];
    list.push({ c, matched });
    perAgent.set(c.agentId, list);
  }
  const picks: SamplePick[] = [];
  for (const agentId of [...perAgent.keys()].sort()) {
    const pool = perAgent.get(agentId)!;
    const { quota, raisedToMinimum } = quotaFor(plan, pool.length);
    for (let k = 0; k < quota; k++) {
      const j = k + Math.floor(random() * (pool.length - k));
      [pool[k], pool[j]] = [pool[j]!, pool[k]!];
      const { c, matched } = pool[k]!;
      picks.push({ conversationId: c.id, agentId, reviewerId: null, reason: { matched, draw: k + 1, quota, eligible: pool.length, raisedToMinimum } });
    }
  }
  // Reviewers in turn, each up to what is left of their daily cap; never a reviewer their own conversation.
  const room = new Map(reviewers.map((r) => [r.id, Math.max(0, r.dailyCap - r.alreadyToday)]));
  const order = [...reviewers].sort(byId);
  let next = 0;
  let unassigned = 0;
  for (const pick of picks) {
    let given = false;
    for (let tries = 0; tries < order.length && !given; tries++) {
      const r = order[(next + tries) % order.length]!;
      if (r.id === pick.agentId || (room.get(r.id) ?? 0) <= 0) continue;
      pick.reviewerId = r.id;
      room.set(r.id, room.get(r.id)! - 1);
      next = (next + tries + 1) % order.length;
      given = true;
    }
    if (!given) unassigned += 1;
  }
  return { picks, unassigned };
}

/** The reason in words, for the reviewer's list (the renderer translates the parts; this is the log line). */
export function describeReason(r: SampleReason): string {
  const filters = r.matched.length ? ` matching ${r.matched.join(', ')}` : '';
  return `random pick ${r.draw} of ${r.quota} among ${r.eligible} eligible${filters}${r.raisedToMinimum ? ' (raised to the minimum per agent)' : ''}`;
}
