import { describe, expect, it } from 'vitest';
import { isManaged, parsePolicyLayer, resolvePolicy } from './effective';

const none = { machine: {}, user: {}, userPolicyDefaults: {} };

describe('policy precedence', () => {
  it('uses built-in defaults when nothing is set', () => {
    const p = resolvePolicy(none);
    expect(p.values.ServerUrl).toBe('http://127.0.0.1:7600');
    expect(p.sources.ServerUrl).toBe('default');
    expect(isManaged(p, 'ServerUrl')).toBe(false);
  });

  it('a machine policy beats the user, which beats the recommended default', () => {
    const p = resolvePolicy({
      machine: { ServerUrl: 'https://corp.example.com' },
      user: { ServerUrl: 'https://mine.example.com', LogLevel: 'debug' },
      userPolicyDefaults: { ServerUrl: 'https://rec.example.com', LogLevel: 'warn', StartAtLogin: true },
    });
    expect(p.values.ServerUrl).toBe('https://corp.example.com');
    expect(isManaged(p, 'ServerUrl')).toBe(true);
    expect([p.values.LogLevel, p.sources.LogLevel]).toEqual(['debug', 'user']);
    expect([p.values.StartAtLogin, p.sources.StartAtLogin]).toEqual([true, 'user-policy-default']);
  });

  it('ignores a user value for a policy only IT may set', () => {
    const p = resolvePolicy({ ...none, user: { PasswordLoginEnabled: false, UpdateMode: 'none' } });
    expect(p.values.PasswordLoginEnabled).toBe(true);
    expect(p.values.UpdateMode).toBe('default');
  });
});

describe('parsePolicyLayer', () => {
  it('keeps valid keys and reports each bad one by source and name', () => {
    const { layer, problems } = parsePolicyLayer(
      { ServerUrl: 'https://corp.example.com', LogLevel: 'verbose', Bogus: 1, UpdateWindow: { start: '02:00', end: '05:00' } },
      '/etc/switchboard/policy.json',
    );
    expect(layer).toEqual({ ServerUrl: 'https://corp.example.com', UpdateWindow: { start: '02:00', end: '05:00' } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/policy\.json: LogLevel ignored/);
    expect(problems[1]).toMatch(/unknown policy "Bogus"/);
  });

  it('refuses a non-object source with a clear problem', () => {
    expect(parsePolicyLayer([1, 2], 'HKLM').problems[0]).toMatch(/HKLM: expected an object of policies, got an array/);
    expect(parsePolicyLayer('x', 'HKLM').layer).toEqual({});
  });

  it('refuses a javascript: server URL', () => {
    expect(parsePolicyLayer({ ServerUrl: 'javascript:alert(1)' }, 'x').layer).toEqual({});
  });
});
