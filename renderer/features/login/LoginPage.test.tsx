// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SsoConfig } from '../../../core/wire/sso';
import { SsoError, type SsoService } from '../../services/sso/ssoService';
import { AppStoreProvider, createAppStore } from '../../stores/appStore';
import { fakeDeps } from '../../../tests/support/renderer/storeFakes';
import { LoginPage } from './LoginPage';

afterEach(cleanup);

const provider = { issuer: 'https://login.example.com', clientId: 'c', authorizationEndpoint: 'https://login.example.com/auth', scopes: ['openid'], issParameterSupported: true };

async function renderLogin(config: SsoConfig, sso: Partial<SsoService> = {}) {
  const fakes = fakeDeps();
  fakes.api.ssoConfig.mockResolvedValue(config);
  const service: SsoService = { signIn: vi.fn(async () => null), complete: vi.fn(), ...sso };
  const store = createAppStore({ ...fakes.deps, sso: service });
  store.getState().initLocale(['en-US']);
  await act(async () => {
    render(
      <AppStoreProvider store={store}>
        <LoginPage />
      </AppStoreProvider>,
    );
  });
  return { store, service, ...fakes };
}

describe('login page with single sign-on', () => {
  it('offers the company sign-in above the password form when both are allowed', async () => {
    const { service } = await renderLogin({ passwordLoginEnabled: true, sso: provider, ssoProblem: null });
    expect(screen.getByLabelText('Password')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in with your company account' })));
    expect(service.signIn).toHaveBeenCalledWith(provider, 'en');
  });

  it('shows no password form when the server turns passwords off', async () => {
    await renderLogin({ passwordLoginEnabled: false, sso: provider, ssoProblem: null });
    expect(screen.queryByLabelText('Password')).toBeNull();
    expect(screen.getByText('Your organization signs in with company accounts only.')).toBeTruthy();
  });

  it('explains a refused sign-in even without the password form', async () => {
    const { store } = await renderLogin({ passwordLoginEnabled: false, sso: provider, ssoProblem: null }, { complete: vi.fn(async () => Promise.reject(new SsoError('issuer-mismatch', 'x'))) });
    await act(async () => store.getState().completeSso('http://127.0.0.1:7611/?code=c&state=s'));
    expect(screen.getByRole('alert').textContent).toMatch(/different identity provider/);
  });

  it('says when the company sign-in cannot be reached, and keeps passwords', async () => {
    await renderLogin({ passwordLoginEnabled: true, sso: null, ssoProblem: 'down' });
    expect(screen.getByTestId('sso-unavailable').textContent).toMatch(/cannot be reached/);
    expect(screen.queryByRole('button', { name: 'Sign in with your company account' })).toBeNull();
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });
});
