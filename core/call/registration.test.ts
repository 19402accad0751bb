import { describe, expect, it } from 'vitest';
import { initialRegistration, isRegistered, nextRegistration, type RegistrationEvent, type RegistrationModel } from './registration';

const run = (...events: RegistrationEvent[]): RegistrationModel => events.reduce(nextRegistration, initialRegistration);

describe('registration state machine', () => {
  it('is registered only after a 2xx on a live transport', () => {
    const m = run({ type: 'register' }, { type: 'transport-up' }, { type: 'register-ok', expiresSec: 300 });
    expect(m.state).toEqual({ kind: 'registered', expiresSec: 300 });
    expect(isRegistered(m)).toBe(true);
  });

  it('does not report registered for a 2xx that arrives after the transport died', () => {
    const m = run({ type: 'register' }, { type: 'transport-up' }, { type: 'transport-down', reason: { code: 'transport-lost', message: 'closed' } }, { type: 'register-ok', expiresSec: 300 });
    expect(m.state.kind).toBe('reconnecting');
    expect(isRegistered(m)).toBe(false);
  });

  it('leaves registered the moment the transport drops, with the reason and attempt', () => {
    const m = run({ type: 'register' }, { type: 'transport-up' }, { type: 'register-ok', expiresSec: 300 }, { type: 'transport-down', reason: { code: 'transport-lost', message: 'code 1006' } });
    expect(m.state).toEqual({ kind: 'reconnecting', attempt: 1, reason: { code: 'transport-lost', message: 'code 1006' } });
  });

  it('needs a fresh REGISTER after reconnecting, then resets the attempt count', () => {
    const lost = run({ type: 'register' }, { type: 'transport-up' }, { type: 'register-ok', expiresSec: 300 }, { type: 'transport-down', reason: { code: 'transport-lost', message: 'x' } });
    const back = nextRegistration(lost, { type: 'transport-up' });
    expect(back.state.kind).toBe('registering');
    const ok = nextRegistration(back, { type: 'register-ok', expiresSec: 300 });
    expect(ok.state.kind).toBe('registered');
    expect(ok.attempt).toBe(0);
  });

  it('fails without retrying when the password is wrong', () => {
    const m = run({ type: 'register' }, { type: 'transport-up' }, { type: 'register-rejected', status: 401, phrase: 'Unauthorized' });
    expect(m.state).toEqual({ kind: 'failed', reason: { code: 'auth-rejected', status: 401, message: '401 Unauthorized' } });
    expect(m.wanted).toBe(false);
    // A later transport flap must not turn a wrong password into an endless reconnect loop.
    expect(nextRegistration(m, { type: 'transport-down', reason: { code: 'transport-lost', message: 'x' } }).state.kind).toBe('failed');
  });

  it('retries server errors with a reason', () => {
    const m = run({ type: 'register' }, { type: 'transport-up' }, { type: 'register-rejected', status: 503, phrase: 'Service Unavailable' });
    expect(m.state).toEqual({ kind: 'reconnecting', attempt: 1, reason: { code: 'server-error', status: 503, message: '503 Service Unavailable' } });
  });

  it('reports an unreachable server as reconnecting with the cause', () => {
    const m = run({ type: 'register' }, { type: 'transport-down', reason: { code: 'unreachable', message: 'connection refused' } });
    expect(m.state).toMatchObject({ kind: 'reconnecting', reason: { code: 'unreachable' } });
  });

  it('stays unregistered after the agent unregisters, whatever the transport does', () => {
    const m = run({ type: 'register' }, { type: 'transport-up' }, { type: 'register-ok', expiresSec: 60 }, { type: 'unregister' }, { type: 'transport-down', reason: { code: 'transport-lost', message: 'x' } }, { type: 'register-ok', expiresSec: 60 });
    expect(m.state.kind).toBe('unregistered');
  });
});
