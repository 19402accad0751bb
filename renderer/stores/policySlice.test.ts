import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../core/policy/effective';
import { HostError } from '../services/host/host';
import { createAppStore } from './appStore';
import { selectManaged, selectPolicyValue } from './policySlice';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

function setup() {
  const { deps, host } = fakeDeps();
  return { host, store: createAppStore(deps) };
}

describe('policy slice', () => {
  it('starts on built-in defaults and takes the host policy when loaded', async () => {
    const { host, store } = setup();
    expect(selectPolicyValue('AllowWebMode')(store.getState())).toBe(true);
    host.getPolicy.mockResolvedValueOnce(resolvePolicy({ machine: { ServerUrl: 'https://corp.example.com', AllowWebMode: false }, user: {}, userPolicyDefaults: {} }));
    await store.getState().loadPolicy();
    expect(selectManaged('ServerUrl')(store.getState())).toBe(true);
    expect(selectManaged('LogLevel')(store.getState())).toBe(false);
    expect(selectPolicyValue('AllowWebMode')(store.getState())).toBe(false);
  });

  it('a host that cannot answer leaves the defaults in place', async () => {
    const { host, store } = setup();
    host.getPolicy.mockRejectedValueOnce(new HostError('internal', 'boom'));
    await store.getState().loadPolicy();
    expect(store.getState().policyLoaded).toBe(true);
    expect(store.getState().policy.sources.ServerUrl).toBe('default');
  });

  it('a refused change keeps the policy and reports the host error code', async () => {
    const { host, store } = setup();
    host.setUserPolicy.mockRejectedValueOnce(new HostError('not-allowed', 'ServerUrl is managed by your organization'));
    expect(await store.getState().setUserPolicy('ServerUrl', 'https://x.example.com')).toEqual({ ok: false, code: 'not-allowed', message: 'ServerUrl is managed by your organization' });
    host.setUserPolicy.mockResolvedValueOnce(resolvePolicy({ machine: {}, user: { LogLevel: 'debug' }, userPolicyDefaults: {} }));
    expect(await store.getState().setUserPolicy('LogLevel', 'debug')).toEqual({ ok: true });
    expect(store.getState().policy.sources.LogLevel).toBe('user');
  });
});
