import { describe, expect, test } from 'vitest';
import { CallReport, callLine, parseCallLine } from './chatCalls';

describe('call lines', () => {
  test('a call line reads as text and parses back to what was reported', () => {
    const line = callLine({ direction: 'outbound', outcome: 'answered', durationMs: 3_725_400, remote: '+86 138 0000 0000' });
    expect(line).toBe('Outbound call · answered · 62:05 · +86 138 0000 0000');
    expect(parseCallLine(line)).toEqual({ direction: 'outbound', outcome: 'answered', durationSeconds: 3725, remote: '+86 138 0000 0000' });
  });

  test('any other body is not a call line', () => {
    for (const body of ['Call started with +49', 'Inbound call · ANSWERED · 1:00 · x', 'Inbound call · answered · 1:75 · x', 'Inbound call · answered · 1:05 · ']) {
      expect(parseCallLine(body)).toBeNull();
    }
  });

  test('a report refuses an outcome that is not a plain word and an empty number', () => {
    const base = { id: '0b5f8f2e-4a43-4c1f-9d53-6c1a1f1c2b3d', callId: 'c1', direction: 'inbound', remote: '1004', startedAt: 1, durationMs: 0, outcome: 'missed' };
    expect(CallReport.safeParse(base).success).toBe(true);
    expect(CallReport.safeParse({ ...base, outcome: 'Missed <b>' }).success).toBe(false);
    expect(CallReport.safeParse({ ...base, remote: '  ' }).success).toBe(false);
  });
});
