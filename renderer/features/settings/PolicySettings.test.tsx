// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../core/policy/effective';
import type { PolicyLayers } from '../../../core/policy/effective';
import { HostError } from '../../services/host/host';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { fakeDeps } from '../../../tests/support/renderer/storeFakes';
import { AutoAnswerToggle } from '../phone/AutoAnswerToggle';
import { LanguageSelect } from './LanguageSelect';
import { PolicySettings } from './PolicySettings';

afterEach(cleanup);

async function renderWith(layers: Partial<PolicyLayers>, kind: 'electron' | 'browser' = 'electron') {
  const { deps, host } = fakeDeps();
  const full = { machine: {}, user: {}, userPolicyDefaults: {}, ...layers };
  host.getPolicy.mockResolvedValue(resolvePolicy(full));
  const store = createAppStore(deps);
  store.getState().setHostInfo({ kind, appVersion: '0.1.0', platform: 'test', osLanguages: ['en'], serverUrl: kind === 'electron' ? 'http://127.0.0.1:7600' : null });
  await store.getState().loadPolicy();
  store.getState().initLocale(['en-US']);
  render(
    <AppStoreProvider store={store}>
      <LanguageSelect labelHidden />
      <PolicySettings />
    </AppStoreProvider>,
  );
  return { host, store };
}

describe('Settings → Connection and app', () => {
  it('every managed setting carries the badge and a disabled control; the others stay editable', async () => {
    await renderWith({ machine: { ServerUrl: 'https://corp.example.com', LogLevel: 'warn', StartAtLogin: true, DefaultLanguage: 'zh-TW', UpdateMode: 'none' } });
    for (const name of ['ServerUrl', 'LogLevel', 'StartAtLogin']) {
      const field = screen.getByTestId(`policy-field-${name}`);
      expect(within(field).getByTestId('managed-badge').textContent, name).toBe('由您的組織管理');
      expect((within(field).getByTestId(`policy-input-${name}`) as HTMLInputElement).disabled, name).toBe(true);
    }
    expect((screen.getByTestId('policy-input-ServerUrl') as HTMLInputElement).value).toBe('https://corp.example.com');
    expect(within(screen.getByTestId('policy-field-SipDomain')).queryByTestId('managed-badge')).toBeNull();
    expect((screen.getByTestId('policy-input-SipDomain') as HTMLInputElement).disabled).toBe(false);
    // The managed language: the picker is locked, and the page is in it (the store picked it up).
    expect((screen.getByTestId('language-select') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByTestId('policy-org-set').textContent).toContain('更新模式');
  });

  it('saves an editable text setting through the host and shows the host refusal when there is one', async () => {
    const { host, store } = await renderWith({});
    host.setUserPolicy.mockRejectedValueOnce(new HostError('bad-args', 'SipDomain: must be a domain name'));
    fireEvent.change(screen.getByTestId('policy-input-SipDomain'), { target: { value: 'bad domain' } });
    await act(async () => fireEvent.click(screen.getByTestId('policy-save-SipDomain')));
    expect(within(screen.getByTestId('policy-field-SipDomain')).getByRole('alert').textContent).toBe('Not saved: SipDomain: must be a domain name');

    host.setUserPolicy.mockResolvedValueOnce(resolvePolicy({ machine: {}, user: { SipDomain: 'pbx.example.com' }, userPolicyDefaults: {} }));
    fireEvent.change(screen.getByTestId('policy-input-SipDomain'), { target: { value: ' pbx.example.com ' } });
    await act(async () => fireEvent.click(screen.getByTestId('policy-save-SipDomain')));
    expect(host.setUserPolicy).toHaveBeenLastCalledWith('SipDomain', 'pbx.example.com');
    expect(store.getState().policy.values.SipDomain).toBe('pbx.example.com');

    // Emptied: back to what the server provides (null), not an empty string.
    host.setUserPolicy.mockResolvedValueOnce(resolvePolicy({ machine: {}, user: { SipDomain: null }, userPolicyDefaults: {} }));
    fireEvent.change(screen.getByTestId('policy-input-SipDomain'), { target: { value: '' } });
    await act(async () => fireEvent.click(screen.getByTestId('policy-save-SipDomain')));
    expect(host.setUserPolicy).toHaveBeenLastCalledWith('SipDomain', null);
  });

  it('in web mode the server is the page origin, read-only, and there is no start-at-login', async () => {
    await renderWith({}, 'browser');
    const input = screen.getByTestId('policy-input-ServerUrl') as HTMLInputElement;
    expect(input.disabled).toBe(true);
    expect(input.value).toBe(window.location.origin);
    expect(screen.queryByTestId('policy-field-StartAtLogin')).toBeNull();
  });

  it('an on/off setting saves through the host, and says so when the host refuses it (start at login, auto-answer)', async () => {
    const { host, store } = await renderWith({});
    host.setUserPolicy.mockResolvedValueOnce(resolvePolicy({ machine: {}, user: { StartAtLogin: true }, userPolicyDefaults: {} }));
    await act(async () => fireEvent.click(screen.getByTestId('policy-input-StartAtLogin')));
    expect(host.setUserPolicy).toHaveBeenLastCalledWith('StartAtLogin', true);
    expect((screen.getByTestId('policy-input-StartAtLogin') as HTMLInputElement).checked).toBe(true);
    expect(store.getState().policy.values.StartAtLogin).toBe(true);

    cleanup();
    render(
      <AppStoreProvider store={store}>
        <AutoAnswerToggle testId="auto-answer" />
      </AppStoreProvider>,
    );
    host.setUserPolicy.mockRejectedValueOnce(new HostError('not-allowed', 'AutoAnswer is managed'));
    await act(async () => fireEvent.click(screen.getByTestId('auto-answer-input')));
    expect(host.setUserPolicy).toHaveBeenLastCalledWith('AutoAnswer', true);
    expect(within(screen.getByTestId('auto-answer')).getByRole('alert').textContent).toBe('Not saved: AutoAnswer is managed');
    expect((screen.getByTestId('auto-answer-input') as HTMLInputElement).checked).toBe(false);
  });
});
