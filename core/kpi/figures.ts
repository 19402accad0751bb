import type { ContactChannel } from './contactEvents';

/**
 * KPI figures from summed counters (the server sums its rollup rows; this file turns sums into figures).
 * Definitions, for the README and whoever reads a figure:
 *
 * - Contacts handled: contacts that ended with an agent, per channel (the agent who had it last).
 * - Average handle time (AHT): (talk + wrap-up) / contacts handled. Talk on a chat is from the last agent's
 *   answer to the end; on a call, the connected time the phone reported.
 * - Average speed of answer (ASA): wait from entering the queue to an agent's answer / answers.
 * - Answered within target: answers whose wait was within the team's answer target (the target when it was
 *   answered) / answers. Abandoned: contacts the customer left before any agent answered. The wallboard's
 *   "today" panel shows the same sums (server/board/today.ts reads them from server/kpi/report.ts todaySums).
 * - First-contact resolution (FCR): share of handled contacts with a ticket after which the same customer
 *   started no new contact about the same ticket within the team's FCR window (7 days unless configured).
 *   A contact whose window is still open counts as resolved until a new contact arrives.
 * - CSAT: average score (1-5) of answered surveys, and share satisfied (score 4 or 5); shown with the
 *   response rate (answered / asked). Valid only when the response rate is above 50%.
 * - Transfer rate: transfers out / contacts answered.
 * - SLA met: timers met / (met + missed), from sla_met / sla_missed events.
 * - Occupancy: (talk + wrap-up of the contacts handled) / staffed time, where staffed time is time in
 *   presence available, busy or after-call (signed in, not on a break, not offline), capped at 100%
 *   (chats worked in parallel each count their own talk time).
 */
export type KpiSums = {
  offered: number;
  answered: number;
  answeredWithin: number;
  abandoned: number;
  waitMs: number;
  handled: number;
  talkMs: number;
  wrapMs: number;
  fcrEligible: number;
  fcrResolved: number;
  transfers: number;
  surveysAsked: number;
  surveysAnswered: number;
  csatSum: number;
  csatSatisfied: number;
  slaMet: number;
  slaMissed: number;
  staffedMs: number;
};

export const kpiSumKeys = [
  'offered',
  'answered',
  'answeredWithin',
  'abandoned',
  'waitMs',
  'handled',
  'talkMs',
  'wrapMs',
  'fcrEligible',
  'fcrResolved',
  'transfers',
  'surveysAsked',
  'surveysAnswered',
  'csatSum',
  'csatSatisfied',
  'slaMet',
  'slaMissed',
  'staffedMs',
] as const satisfies readonly (keyof KpiSums)[];

export const emptySums = (): KpiSums => Object.fromEntries(kpiSumKeys.map((k) => [k, 0])) as KpiSums;

export function addSums(a: KpiSums, b: KpiSums): KpiSums {
  const out = emptySums();
  for (const k of kpiSumKeys) out[k] = a[k] + b[k];
  return out;
}

/** The survey response rate above which CSAT counts (issue 14: "marked not valid at 50% or less"). */
export const csatValidAbove = 0.5;

export type Csat = {
  /** Average score 1-5, null with no answers. */
  average: number | null;
  /** Share of answers with 4 or 5, null with no answers. */
  satisfied: number | null;
  /** Answered / asked; null when nobody was asked. */
  responseRate: number | null;
  answered: number;
  asked: number;
  /** False at a response rate of 50% or less (or no survey asked): the figure is shown but marked not valid. */
  valid: boolean;
};

export type KpiFigures = {
  handled: number;
  handledByChannel: Partial<Record<ContactChannel, number>>;
  /** Milliseconds; null with nothing handled. */
  ahtMs: number | null;
  asaMs: number | null;
  /** Share of answers within the team's answer target; null with nothing answered. */
  answeredWithin: number | null;
  abandoned: number;
  fcr: number | null;
  csat: Csat;
  transferRate: number | null;
  slaMet: number | null;
  occupancy: number | null;
};

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function csatOf(s: Pick<KpiSums, 'surveysAsked' | 'surveysAnswered' | 'csatSum' | 'csatSatisfied'>): Csat {
  const responseRate = ratio(s.surveysAnswered, s.surveysAsked);
  return {
    average: ratio(s.csatSum, s.surveysAnswered),
    satisfied: ratio(s.csatSatisfied, s.surveysAnswered),
    responseRate: responseRate === null ? null : Math.min(1, responseRate),
    answered: s.surveysAnswered,
    asked: s.surveysAsked,
    valid: responseRate !== null && responseRate > csatValidAbove,
  };
}

export function figuresOf(total: KpiSums, byChannel: Partial<Record<ContactChannel, KpiSums>> = {}): KpiFigures {
  const handledByChannel: Partial<Record<ContactChannel, number>> = {};
  for (const [channel, sums] of Object.entries(byChannel) as [ContactChannel, KpiSums][]) handledByChannel[channel] = sums.handled;
  const occupancy = ratio(total.talkMs + total.wrapMs, total.staffedMs);
  return {
    handled: total.handled,
    handledByChannel,
    ahtMs: ratio(total.talkMs + total.wrapMs, total.handled),
    asaMs: ratio(total.waitMs, total.answered),
    answeredWithin: ratio(total.answeredWithin, total.answered),
    abandoned: total.abandoned,
    fcr: ratio(total.fcrResolved, total.fcrEligible),
    csat: csatOf(total),
    transferRate: ratio(total.transfers, total.answered),
    slaMet: ratio(total.slaMet, total.slaMet + total.slaMissed),
    occupancy: occupancy === null ? null : Math.min(1, occupancy),
  };
}

/** The figures a comparison (环比 / 同比) is made on, and whether a rise is good. */
export const comparedFigures = [
  { key: 'handled', higherIsBetter: true },
  { key: 'ahtMs', higherIsBetter: false },
  { key: 'asaMs', higherIsBetter: false },
  { key: 'answeredWithin', higherIsBetter: true },
  { key: 'abandoned', higherIsBetter: false },
  { key: 'fcr', higherIsBetter: true },
  { key: 'csatAverage', higherIsBetter: true },
  { key: 'csatSatisfied', higherIsBetter: true },
  { key: 'transferRate', higherIsBetter: false },
  { key: 'slaMet', higherIsBetter: true },
  { key: 'occupancy', higherIsBetter: true },
] as const;
export type ComparedKey = (typeof comparedFigures)[number]['key'];

export function valueOf(f: KpiFigures, key: ComparedKey): number | null {
  switch (key) {
    case 'csatAverage':
      return f.csat.average;
    case 'csatSatisfied':
      return f.csat.satisfied;
    default:
      return f[key];
  }
}

/**
 * A change against an earlier period. Counts and durations change by a relative amount (+12%); shares
 * (FCR, CSAT satisfied, transfer rate, SLA met, occupancy) by percentage points, as contact-center reports
 * print them. null when either side has no figure, or a relative change from zero.
 */
export type Delta = { kind: 'relative' | 'points'; value: number; better: boolean | null } | null;

const shareKeys: ReadonlySet<ComparedKey> = new Set(['fcr', 'answeredWithin', 'csatSatisfied', 'transferRate', 'slaMet', 'occupancy']);

export function deltaOf(key: ComparedKey, current: number | null, earlier: number | null): Delta {
  if (current === null || earlier === null) return null;
  const higherIsBetter = comparedFigures.find((f) => f.key === key)!.higherIsBetter;
  const better = (diff: number) => (diff === 0 ? null : diff > 0 === higherIsBetter);
  if (shareKeys.has(key)) return { kind: 'points', value: (current - earlier) * 100, better: better(current - earlier) };
  if (earlier === 0) return null;
  const value = (current - earlier) / earlier;
  return { kind: 'relative', value, better: better(value) };
}

export function deltasOf(current: KpiFigures, earlier: KpiFigures): Record<ComparedKey, Delta> {
  const out = {} as Record<ComparedKey, Delta>;
  for (const { key } of comparedFigures) out[key] = deltaOf(key, valueOf(current, key), valueOf(earlier, key));
  return out;
}
