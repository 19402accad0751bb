import { describe, expect, it, vi } from 'vitest';
import { createWebPolicy, userPolicyStorageKey } from './webPolicy';

function storage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe('web policy (browser host)', () => {
  it('the server policy locks settings; the agent changes only unmanaged userSettable ones, kept in localStorage', async () => {
    const store = storage();
    const fetchPolicy = vi.fn(async () => ({ ServerUrl: 'https://corp.example.com', LogLevel: 'warn' }));
    const policy = createWebPolicy({ fetchPolicy, storage: store });
    const p = await policy.get();
    expect(p.sources).toMatchObject({ ServerUrl: 'machine-policy', LogLevel: 'machine-policy', StartAtLogin: 'default' });
    expect(await policy.setUser('ServerUrl', 'https://mine.example.com')).toEqual({ ok: false, error: { code: 'not-allowed', message: 'ServerUrl is managed by your organization' } });
    expect(await policy.setUser('AllowWebMode', true)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(await policy.setUser('SipDomain', 'not a domain!')).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    const set = await policy.setUser('SipDomain', 'pbx.example.com');
    expect(set).toMatchObject({ ok: true, value: { values: { SipDomain: 'pbx.example.com' }, sources: { SipDomain: 'user' } } });
    expect(JSON.parse(store.data.get(userPolicyStorageKey)!)).toEqual({ SipDomain: 'pbx.example.com' });
    expect(fetchPolicy).toHaveBeenCalledTimes(1);
  });

  it('a forged localStorage entry cannot beat the server policy or set an IT-only policy', async () => {
    const store = storage({ [userPolicyStorageKey]: JSON.stringify({ ServerUrl: 'https://evil.example', PasswordLoginEnabled: true, LogLevel: 'debug' }) });
    const p = await createWebPolicy({ fetchPolicy: async () => ({ ServerUrl: 'https://corp.example.com', PasswordLoginEnabled: false }), storage: store }).get();
    expect(p.values).toMatchObject({ ServerUrl: 'https://corp.example.com', PasswordLoginEnabled: false, LogLevel: 'debug' });
    expect(p.problems).toEqual(['saved settings: PasswordLoginEnabled ignored: only your organization may set it']);
  });

  it('an unreachable server or a malformed body runs on defaults and says why', async () => {
    const down = await createWebPolicy({ fetchPolicy: async () => Promise.reject(new Error('HTTP 503')), storage: storage() }).get();
    expect(down.sources.ServerUrl).toBe('default');
    expect(down.problems).toEqual(['server policy: not loaded (HTTP 503)']);
    const junk = await createWebPolicy({ fetchPolicy: async () => ['x'], storage: storage({ [userPolicyStorageKey]: '{oops' }) }).get();
    expect(junk.problems).toEqual(['server policy: expected an object of policies, got an array', 'saved settings: not valid JSON; defaults used']);
  });
});
