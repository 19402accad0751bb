import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../core/policy/effective';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

describe('locale slice', () => {
  it('follows the OS language when nothing was chosen', () => {
    const { deps, host } = fakeDeps();
    const store = createAppStore(deps);
    store.getState().initLocale(['zh-Hant-TW', 'en']);
    expect(store.getState()).toMatchObject({ locale: 'zh-TW', localeSource: 'system' });
    expect(host.setLocale).toHaveBeenCalledWith('zh-TW');
  });

  it('a language chosen in Settings wins over the OS on the next start', () => {
    const { deps } = fakeDeps();
    createAppStore(deps).getState().setLocale('zh-CN');
    const next = createAppStore(deps);
    next.getState().initLocale(['en-US']);
    expect(next.getState()).toMatchObject({ locale: 'zh-CN', localeSource: 'chosen' });
  });

  it('a managed DefaultLanguage beats the remembered choice and cannot be changed; a recommended one only beats the OS', async () => {
    const { deps, host } = fakeDeps();
    createAppStore(deps).getState().setLocale('zh-CN');
    host.getPolicy.mockResolvedValueOnce(resolvePolicy({ machine: { DefaultLanguage: 'zh-TW' }, user: {}, userPolicyDefaults: {} }));
    const locked = createAppStore(deps);
    await locked.getState().loadPolicy();
    locked.getState().initLocale(['en-US']);
    expect(locked.getState()).toMatchObject({ locale: 'zh-TW', localeSource: 'policy' });
    locked.getState().setLocale('en');
    expect(locked.getState().locale).toBe('zh-TW');

    const fresh = fakeDeps();
    fresh.host.getPolicy.mockResolvedValueOnce(resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: { DefaultLanguage: 'zh-CN' } }));
    const recommended = createAppStore(fresh.deps);
    await recommended.getState().loadPolicy();
    recommended.getState().initLocale(['en-US']);
    expect(recommended.getState()).toMatchObject({ locale: 'zh-CN', localeSource: 'policy' });
    recommended.getState().setLocale('en');
    expect(recommended.getState()).toMatchObject({ locale: 'en', localeSource: 'chosen' });
  });

  it("the signed-in account's language replaces the OS guess, but not the agent's own pick or a managed policy", async () => {
    const { deps, host } = fakeDeps();
    const store = createAppStore(deps);
    store.getState().initLocale(['en-US']);
    store.getState().followAccountLocale('zh-CN');
    expect(store.getState()).toMatchObject({ locale: 'zh-CN', localeSource: 'account' });
    expect(host.setLocale).toHaveBeenLastCalledWith('zh-CN');

    const chosen = fakeDeps();
    createAppStore(chosen.deps).getState().setLocale('en');
    const picked = createAppStore(chosen.deps);
    picked.getState().initLocale(['en-US']);
    picked.getState().followAccountLocale('zh-CN');
    expect(picked.getState()).toMatchObject({ locale: 'en', localeSource: 'chosen' });

    const managed = fakeDeps();
    managed.host.getPolicy.mockResolvedValueOnce(resolvePolicy({ machine: { DefaultLanguage: 'zh-TW' }, user: {}, userPolicyDefaults: {} }));
    const locked = createAppStore(managed.deps);
    await locked.getState().loadPolicy();
    locked.getState().initLocale(['en-US']);
    locked.getState().followAccountLocale('en');
    expect(locked.getState()).toMatchObject({ locale: 'zh-TW', localeSource: 'policy' });
  });

  it('signing in switches the screens to the account language', async () => {
    const { deps, api } = fakeDeps();
    const plain = await api.login('agent1', 'switchboard');
    api.login.mockResolvedValueOnce({ ...plain, user: { ...plain.user, language: 'zh-CN' } });
    const store = createAppStore(deps);
    store.getState().initLocale(['en-US']);
    await store.getState().login('agent1', 'switchboard');
    expect(store.getState().locale).toBe('zh-CN');
  });
});
