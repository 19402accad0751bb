import { describe, expect, it } from 'vitest';
import type { Call, CallEndReason } from './callMachine';
import { missedCall, missedReason } from './missed';

const inbound = (endReason: CallEndReason, established = false): Call => ({
  id: 'c1',
  direction: 'inbound',
  remote: { uri: 'sip:1004@127.0.0.1', displayName: 'Amira' },
  state: 'ended',
  marks: { inviteAt: 1000, endedAt: 9000, ...(established ? { establishedAt: 2000 } : {}) },
  muted: false,
  onHold: false,
  dtmfMode: 'rfc4733',
  endReason,
});

describe('why a call was missed', () => {
  it('names declined, no audio device, background and rang out', () => {
    expect(missedReason(inbound({ kind: 'declined' }), { hiddenWhileRinging: false })).toBe('declined');
    expect(missedReason(inbound({ kind: 'media', message: 'NotFoundError' }), { hiddenWhileRinging: false })).toBe('no-audio-device');
    expect(missedReason(inbound({ kind: 'remote-hangup' }), { hiddenWhileRinging: true })).toBe('background');
    expect(missedReason(inbound({ kind: 'cancelled' }), { hiddenWhileRinging: false })).toBe('timed-out');
  });

  it('an answered call, an outgoing one or one transferred away is not missed', () => {
    expect(missedReason(inbound({ kind: 'remote-hangup' }, true), { hiddenWhileRinging: false })).toBeNull();
    expect(missedReason({ ...inbound({ kind: 'cancelled' }), direction: 'outbound' }, { hiddenWhileRinging: false })).toBeNull();
    expect(missedReason(inbound({ kind: 'transferred' }), { hiddenWhileRinging: false })).toBeNull();
  });

  it('keeps the number, the name and when', () => {
    expect(missedCall(inbound({ kind: 'declined' }), 'declined', 0)).toEqual({ id: 'c1', at: 9000, remote: '1004', remoteName: 'Amira', reason: 'declined' });
  });
});
