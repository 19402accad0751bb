/**
 * Scorecards (issue 19): a team's sections of questions, each with a weight; an answer is a score on the
 * question's scale, not-applicable (left out of both the earned and the possible points), or for an
 * auto-fail question a failure that makes the whole review 0 whatever else was earned (e.g. "verified the
 * caller's identity": a miss there is not offset by a friendly tone).
 *
 *   score = Σ weight·(answer/scale) / Σ weight over applicable questions, as a percentage (null if none apply)
 */
export type ScorecardQuestion = { id: string; text: string; weight: number; scale: number; autoFail?: boolean; allowNa?: boolean };
export type ScorecardSection = { id: string; title: string; questions: ScorecardQuestion[] };
export type Scorecard = { id: string; name: string; sections: ScorecardSection[]; passPercent: number };

export type Answer = { kind: 'score'; value: number } | { kind: 'na' };
export type Answers = Record<string, Answer | undefined>;

export type ScoreResult = {
  /** 0–100, one decimal; null when every question was not applicable. */
  percent: number | null;
  passed: boolean;
  autoFailed: string[];
  sections: { id: string; percent: number | null }[];
};

export type ScoreProblem = { code: 'unanswered' | 'out-of-range' | 'na-not-allowed'; questionId: string };

/** What is wrong with a set of answers before it can be saved; empty when it can. */
export function answerProblems(card: Scorecard, answers: Answers): ScoreProblem[] {
  const problems: ScoreProblem[] = [];
  for (const q of card.sections.flatMap((s) => s.questions)) {
    const a = answers[q.id];
    if (!a) problems.push({ code: 'unanswered', questionId: q.id });
    else if (a.kind === 'na' && !q.allowNa) problems.push({ code: 'na-not-allowed', questionId: q.id });
    else if (a.kind === 'score' && (!Number.isInteger(a.value) || a.value < 0 || a.value > q.scale)) problems.push({ code: 'out-of-range', questionId: q.id });
  }
  return problems;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function sum(questions: readonly ScorecardQuestion[], answers: Answers): { earned: number; possible: number } {
  let earned = 0;
  let possible = 0;
  for (const q of questions) {
    const a = answers[q.id];
    if (!a || a.kind === 'na') continue;
    earned += (q.weight * a.value) / q.scale;
    possible += q.weight;
  }
  return { earned, possible };
}

/** Scores complete answers (check `answerProblems` first). An auto-fail question answered 0 fails the review. */
export function scoreReview(card: Scorecard, answers: Answers): ScoreResult {
  const all = card.sections.flatMap((s) => s.questions);
  const autoFailed = all.filter((q) => q.autoFail && answers[q.id]?.kind === 'score' && (answers[q.id] as { value: number }).value === 0).map((q) => q.id);
  const { earned, possible } = sum(all, answers);
  const raw = possible === 0 ? null : round1((100 * earned) / possible);
  const percent = autoFailed.length > 0 ? 0 : raw;
  return {
    percent,
    passed: percent !== null && autoFailed.length === 0 && percent >= card.passPercent,
    autoFailed,
    sections: card.sections.map((s) => {
      const r = sum(s.questions, answers);
      return { id: s.id, percent: r.possible === 0 ? null : round1((100 * r.earned) / r.possible) };
    }),
  };
}

/** Calibration: several reviewers scored the same conversation; the spread is max − min of their percents. */
export function calibrationSpread(percents: readonly (number | null)[]): { count: number; min: number; max: number; spread: number } | null {
  const xs = percents.filter((p): p is number => p !== null);
  if (xs.length < 2) return null;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { count: xs.length, min, max, spread: round1(max - min) };
}
