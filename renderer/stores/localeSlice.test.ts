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
});
