import { describe, expect, test } from 'vitest';
import { type Scorecard, answerProblems, calibrationSpread, scoreReview } from './scorecard';

const card: Scorecard = {
  id: 'chat',
  name: 'Chat quality',
  passPercent: 80,
  sections: [
    { id: 'open', title: 'Opening', questions: [{ id: 'greet', text: 'Greeted by name', weight: 1, scale: 1 }, { id: 'verify', text: 'Verified identity', weight: 2, scale: 1, autoFail: true }] },
    { id: 'solve', title: 'Resolution', questions: [{ id: 'fix', text: 'Solved the problem', weight: 4, scale: 4 }, { id: 'refund', text: 'Explained the refund', weight: 3, scale: 1, allowNa: true }] },
  ],
};

describe('scorecards', () => {
  test('weights count, and a not-applicable question leaves both earned and possible points', () => {
    // greet 1/1·1 + verify 1/1·2 + fix 3/4·4 = 6 of 7 possible (refund n/a) → 85.7 %.
    const r = scoreReview(card, { greet: { kind: 'score', value: 1 }, verify: { kind: 'score', value: 1 }, fix: { kind: 'score', value: 3 }, refund: { kind: 'na' } });
    expect(r.percent).toBe(85.7);
    expect(r.passed).toBe(true);
    expect(r.sections).toEqual([{ id: 'open', percent: 100 }, { id: 'solve', percent: 75 }]);
    // The same answers with the refund explained badly: 6 of 10 → 60 %, a fail.
    expect(scoreReview(card, { greet: { kind: 'score', value: 1 }, verify: { kind: 'score', value: 1 }, fix: { kind: 'score', value: 3 }, refund: { kind: 'score', value: 0 } }).percent).toBe(60);
  });

  test('an auto-fail question missed makes the review 0 and failed, whatever else was earned', () => {
    const r = scoreReview(card, { greet: { kind: 'score', value: 1 }, verify: { kind: 'score', value: 0 }, fix: { kind: 'score', value: 4 }, refund: { kind: 'score', value: 1 } });
    expect(r).toMatchObject({ percent: 0, passed: false, autoFailed: ['verify'] });
  });

  test('answers that cannot be saved say which question and why', () => {
    expect(answerProblems(card, { greet: { kind: 'na' }, verify: { kind: 'score', value: 2 }, fix: { kind: 'score', value: 4 } })).toEqual([
      { code: 'na-not-allowed', questionId: 'greet' },
      { code: 'out-of-range', questionId: 'verify' },
      { code: 'unanswered', questionId: 'refund' },
    ]);
  });

  test('calibration shows the spread between reviewers of one conversation', () => {
    expect(calibrationSpread([85.7, 60, null, 71.4])).toEqual({ count: 3, min: 60, max: 85.7, spread: 25.7 });
    expect(calibrationSpread([90])).toBeNull();
  });
});
