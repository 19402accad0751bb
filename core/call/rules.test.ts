import { describe, expect, it } from 'vitest';
import { newInboundCall, newOutboundCall, type CallEvent } from './callMachine';
import { callEnding, callRecord, formatDuration, hasCard, isDisposition, presenceAfterWrapUp, presenceOnRequest, presenceOnWrapUp, remoteNumber } from './rules';
import { step } from '../../tests/support/core/callSteps';

const talked = (direction: 'in' | 'out', end: CallEvent) => {
  const call = direction === 'in' ? newInboundCall('c1', { uri: 'sip:+8613800138000@pbx', displayName: 'Wang' }, 'rfc4733', 1000) : newOutboundCall('c1', { uri: 'sip:2001@pbx' }, 'rfc4733', 1000);
  return step(call, { type: 'established', at: 2000 }, end);
};

describe('who is calling', () => {
  it('takes the digits of a SIP URI, decoded, and leaves a URI without a user as it is', () => {
    expect(remoteNumber('sip:+8613800138000@pbx;transport=ws')).toBe('+8613800138000');
    expect(remoteNumber('sips:%2B4930123@example.com')).toBe('+4930123');
    expect(remoteNumber('anonymous.invalid')).toBe('anonymous.invalid');
  });

  it('formats durations as m:ss, and h:mm:ss past the hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
  });

  it('knows its dispositions', () => {
    expect(isDisposition('resolved')).toBe(true);
    expect(isDisposition('lost-interest')).toBe(false);
  });
});

describe('what an ended call becomes', () => {
  it('a call that connected gets a wrap-up; one that never did is logged missed or with its reason', () => {
    expect(callEnding(talked('in', { type: 'ended', at: 5000, reason: { kind: 'remote-hangup' } }), { transferredHere: false, wasConsult: false })).toEqual({ kind: 'wrap-up' });
    const missed = step(newInboundCall('c2', { uri: 'sip:1@pbx' }, 'rfc4733', 1000), { type: 'ended', at: 3000, reason: { kind: 'remote-hangup' } });
    expect(callEnding(missed, { transferredHere: false, wasConsult: false })).toEqual({ kind: 'log', outcome: 'missed' });
  });

  it('a leg that went on elsewhere is logged, a consult leg as "consult"; one the agent transferred gets the wrap-up', () => {
    const transferred = talked('out', { type: 'ended', at: 5000, reason: { kind: 'transferred' } });
    expect(callEnding(transferred, { transferredHere: true, wasConsult: false })).toEqual({ kind: 'wrap-up' });
    expect(callEnding(transferred, { transferredHere: false, wasConsult: true })).toEqual({ kind: 'log', outcome: 'consult' });
    expect(callEnding(transferred, { transferredHere: false, wasConsult: false })).toEqual({ kind: 'log', outcome: 'transferred' });
  });

  it('a call log row carries the number, the talk time and what the agent added', () => {
    const call = talked('in', { type: 'ended', at: 65_000, reason: { kind: 'remote-hangup' } });
    expect(callRecord(call, { outcome: 'answered', now: 99_000, ticketId: 't1', disposition: 'resolved' })).toEqual({
      id: 'c1',
      direction: 'inbound',
      remote: '+8613800138000',
      remoteName: 'Wang',
      startedAt: 1000,
      durationMs: 63_000,
      outcome: 'answered',
      ticketId: 't1',
      disposition: 'resolved',
      // KPIs: it rang from 1 s to the answer at 2 s; wrap-up from the end at 65 s to the disposition at 99 s.
      ringMs: 1000,
      wrapUpMs: 34_000,
    });
    expect(hasCard(call)).toBe(false);
  });
});

describe('the wrap-up rule for presence', () => {
  it('wrap-up makes the agent after-call and remembers where they were; the last disposition takes them back', () => {
    const begun = presenceOnWrapUp('break', null);
    expect(begun).toEqual({ presence: 'after-call', held: { before: 'break' } });
    expect(presenceOnWrapUp('after-call', begun.held)).toEqual({ presence: 'after-call', held: { before: 'break' } });
    expect(presenceAfterWrapUp('after-call', begun.held)).toBe('break');
    expect(presenceAfterWrapUp('after-call', { before: null })).toBe('available');
    expect(presenceAfterWrapUp('offline', begun.held)).toBe('offline');
  });

  it('"available" with a wrap-up open stays after-call and asks for a disposition; other choices are taken', () => {
    expect(presenceOnRequest('available', 'after-call', true)).toEqual({ presence: 'after-call', wrapUpRequired: true });
    expect(presenceOnRequest('available', 'after-call', false)).toEqual({ presence: 'available', wrapUpRequired: false });
    expect(presenceOnRequest('break', 'after-call', true)).toEqual({ presence: 'break', wrapUpRequired: false });
    expect(presenceOnRequest('available', 'available', true)).toEqual({ presence: 'available', wrapUpRequired: false });
  });
});
