import { describe, expect, test, vi } from 'vitest';
import type { VerifyResponse } from '../../../core/coaching/wire';
import type { CoachingInvite, LiveCallAccess } from '../phone/coachingInvite';
import { createAgentCoach } from './agentCoach';

/** An incoming INVITE as the coaching service sees it: headers, reject and accept. */
function invite(headers: Record<string, string>) {
  const reject = vi.fn(() => Promise.resolve());
  const accept = vi.fn(() => Promise.resolve());
  const inv: CoachingInvite = {
    header: (name: string) => headers[name],
    reject,
    accept: vi.fn(async () => void (await accept())),
    onInfo: vi.fn(),
    onEnded: vi.fn(),
    established: () => false,
    bye: vi.fn(() => Promise.resolve()),
  };
  return { inv, reject, accept };
}

const onCall: LiveCallAccess = { current: () => ({ callId: 'c1' }), peerConnection: () => undefined };
const noCall: LiveCallAccess = { current: () => undefined, peerConnection: () => undefined };
const ok: VerifyResponse = { sessionId: '4694d04b-8975-42ed-a0b7-24bb92348692', lead: { id: '5694d04b-8975-42ed-a0b7-24bb92348692', displayName: 'Wang' }, callId: 'c1', showListen: true };
const grant = { 'X-Switchboard-Coach': 'listen', 'X-Switchboard-Coach-Grant': 'v1.payload.sig' };

function coach(verify: (g: string, c: string) => Promise<VerifyResponse>) {
  const onChange = vi.fn();
  const c = createAgentCoach({ verify, report: () => Promise.resolve(), onChange, log: () => {} });
  return { c, onChange };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the agent accepts a coaching INVITE only with a grant the server verified', () => {
  test('an ordinary INVITE (no coaching headers) is left to the phone to ring', () => {
    const { c } = coach(() => Promise.resolve(ok));
    const { inv, reject, accept } = invite({});
    expect(c.intercept(inv, onCall)).toBe(false);
    expect(reject).not.toHaveBeenCalled();
    expect(accept).not.toHaveBeenCalled();
  });

  test('a coaching INVITE without a grant is refused with 403 and never verified or answered', async () => {
    const verify = vi.fn(() => Promise.resolve(ok));
    const { c } = coach(verify);
    const { inv, reject, accept } = invite({ 'X-Switchboard-Coach': 'listen' });
    expect(c.intercept(inv, onCall)).toBe(true);
    await settle();
    expect(reject).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 403 }));
    expect(verify).not.toHaveBeenCalled();
    expect(accept).not.toHaveBeenCalled();
  });

  test('a grant the server refuses (forged, expired, another agent\'s…) is a 403', async () => {
    const { c, onChange } = coach(() => Promise.reject(new Error('forged: coaching grant refused')));
    const { inv, reject, accept } = invite(grant);
    c.intercept(inv, onCall);
    await settle();
    expect(reject).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 403 }));
    expect(accept).not.toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
  });

  test('no customer call, an unknown mode, or a grant for a different call than the one the agent is on: 403', async () => {
    const verify = vi.fn((_g: string, callId: string) => Promise.resolve({ ...ok, callId: `${callId}-old` }));
    for (const [headers, calls] of [[grant, noCall], [{ ...grant, 'X-Switchboard-Coach': 'shout' }, onCall], [grant, onCall]] as const) {
      const { c } = coach(verify);
      const { inv, reject, accept } = invite(headers);
      c.intercept(inv, calls);
      await settle();
      expect(reject).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 403 }));
      expect(accept).not.toHaveBeenCalled();
    }
  });

  test('a verified grant for the current call is answered and sent to the server with that call id', async () => {
    const verify = vi.fn(() => Promise.resolve(ok));
    const { c } = coach(verify);
    const { inv, reject, accept } = invite(grant);
    c.intercept(inv, onCall);
    await settle();
    expect(verify).toHaveBeenCalledWith('v1.payload.sig', 'c1');
    expect(accept).toHaveBeenCalled();
    expect(reject).not.toHaveBeenCalled();
  });
});
