import { describe, expect, it } from 'vitest';
import { createAppStore } from './appStore';
import { fakeDeps } from './testDeps';

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
});
