import { describe, expect, it } from 'vitest';
import { callTimings, newInboundCall, newOutboundCall, nextCallState, type Call, type CallEvent } from './callMachine';

const remote = { uri: 'sip:1002@example.com', displayName: 'Wang Fang' };

/** Applies events in order and fails the test on the first illegal one. */
function run(call: Call, ...events: CallEvent[]): Call {
  return events.reduce((c, e) => {
    const r = nextCallState(c, e);
    if (!r.ok) throw new Error(`illegal ${e.type} in ${c.state}`);
    return r.call;
  }, call);
}

describe('call state machine', () => {
  it('walks an outbound call from dialing through hold to wrap-up and done', () => {
    const c = run(
      newOutboundCall('c1', remote, 'rfc4733', 1000),
      { type: 'invite-sent', at: 1130 },
      { type: 'progress' },
      { type: 'established', at: 1185 },
      { type: 'first-audio', at: 1250 },
      { type: 'hold' },
      { type: 'resume' },
      { type: 'hangup' },
      { type: 'ended', at: 9000, reason: { kind: 'local-hangup' } },
      { type: 'wrap-up' },
      { type: 'dispose', disposition: ' resolved ' },
    );
    expect(c.state).toBe('done');
    expect(c.disposition).toBe('resolved');
    expect(callTimings(c)).toEqual({ clickToInviteMs: 130, inviteToEstablishedMs: 55, answerToFirstAudioMs: 65 });
  });

  it('measures an inbound call from the agent pressing answer to first audio', () => {
    const c = run(newInboundCall('c2', remote, 'info', 500), { type: 'answer', at: 2000 }, { type: 'established', at: 2040 }, { type: 'first-audio', at: 2100 });
    expect(c.state).toBe('established');
    expect(callTimings(c).answerToFirstAudioMs).toBe(100);
    expect(callTimings(c).inviteToEstablishedMs).toBeUndefined();
  });

  it('keeps the first audio mark when audio returns after hold', () => {
    const c = run(newInboundCall('c3', remote, 'rfc4733', 0), { type: 'established', at: 10 }, { type: 'first-audio', at: 20 }, { type: 'hold' }, { type: 'first-audio', at: 900 });
    expect(c.marks.firstAudioAt).toBe(20);
  });

  it('rejects hold before the call is established, leaving the call unchanged', () => {
    const call = newOutboundCall('c4', remote, 'rfc4733', 0);
    expect(nextCallState(call, { type: 'hold' })).toEqual({ ok: false, error: { code: 'illegal-transition', from: 'dialing', event: 'hold' } });
  });

  it('treats a drop after setup as ended, never as failed', () => {
    const up = run(newOutboundCall('c5', remote, 'rfc4733', 0), { type: 'established', at: 1 });
    expect(nextCallState(up, { type: 'failed', at: 2, reason: { kind: 'network', message: 'ws closed' } }).ok).toBe(false);
    const ended = run(up, { type: 'ended', at: 2, reason: { kind: 'network', message: 'ws closed' } });
    expect(ended.endReason).toEqual({ kind: 'network', message: 'ws closed' });
  });

  it('fails a call the far end rejects and keeps the SIP status', () => {
    const c = run(newOutboundCall('c6', remote, 'rfc4733', 0), { type: 'failed', at: 5, reason: { kind: 'rejected', status: 486, phrase: 'Busy Here' } });
    expect(c.state).toBe('failed');
    expect(c.endReason).toEqual({ kind: 'rejected', status: 486, phrase: 'Busy Here' });
  });

  it('does not leave wrap-up without a disposition', () => {
    const c = run(newInboundCall('c7', remote, 'rfc4733', 0), { type: 'ended', at: 1, reason: { kind: 'cancelled' } }, { type: 'wrap-up' });
    expect(nextCallState(c, { type: 'dispose', disposition: '  ' }).ok).toBe(false);
  });

  it('does nothing for events on a finished call', () => {
    const done = run(newInboundCall('c8', remote, 'rfc4733', 0), { type: 'ended', at: 1, reason: { kind: 'remote-hangup' } });
    for (const e of [{ type: 'hangup' }, { type: 'mute' }, { type: 'established', at: 3 }] as const) {
      expect(nextCallState(done, e).ok).toBe(false);
    }
  });

  it('records mute as a flag without changing the state', () => {
    const c = run(newOutboundCall('c9', remote, 'rfc4733', 0), { type: 'established', at: 1 }, { type: 'mute' });
    expect(c).toMatchObject({ state: 'established', muted: true });
  });
});
