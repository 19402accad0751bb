import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../services/api/api';
import { SsoError, type SsoService } from '../services/sso/ssoService';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

const provider = { issuer: 'https://login.example.com', clientId: 'c', authorizationEndpoint: 'https://login.example.com/auth', scopes: ['openid'], issParameterSupported: true };

function setup(sso: Partial<SsoService>) {
  const fakes = fakeDeps();
  fakes.api.ssoConfig.mockResolvedValue({ passwordLoginEnabled: false, sso: provider, ssoProblem: null });
  const service: SsoService = { signIn: vi.fn(async () => null), complete: vi.fn(), ...sso };
  const store = createAppStore({ ...fakes.deps, sso: service });
  return { ...fakes, store, service };
}

describe('session slice: single sign-on', () => {
  it('reads what the login screen offers from the server', async () => {
    const { store } = setup({});
    expect(store.getState().signInOptions).toMatchObject({ loaded: false, passwordLoginEnabled: true });
    await store.getState().loadSignInOptions();
    expect(store.getState().signInOptions).toEqual({ loaded: true, passwordLoginEnabled: false, sso: provider, ssoProblem: null });
  });

  it('hides the password form when the managed policy turns it off, whatever the server allows', async () => {
    const { store, api, host } = setup({});
    api.ssoConfig.mockResolvedValue({ passwordLoginEnabled: true, sso: provider, ssoProblem: null });
    const policy = await host.getPolicy();
    host.getPolicy.mockResolvedValue({ ...policy, values: { ...policy.values, PasswordLoginEnabled: false } });
    await store.getState().loadSignInOptions();
    expect(store.getState().signInOptions).toMatchObject({ passwordLoginEnabled: false, sso: provider });
  });

  it('signs in when the company sign-in completes, as a password sign-in would', async () => {
    const { store, api, host, service } = setup({});
    // The fake service's sign-in ends in the API's exchange, which stores the refresh token like login does.
    vi.mocked(service.signIn).mockImplementation(() => api.ssoExchange({ code: 'c', codeVerifier: 'v'.repeat(43), redirectUri: 'x', nonce: 'n'.repeat(16) }));
    await store.getState().loadSignInOptions();
    await store.getState().loginWithSso();
    expect(service.signIn).toHaveBeenCalledWith(provider, 'en');
    expect(store.getState()).toMatchObject({ status: 'signed-in', ssoWaiting: false, loginError: null, user: { username: 'agent1' } });
    expect(store.getState().offlineUser?.username).toBe('agent1');
    expect(host.setSecret).toHaveBeenCalledWith('auth.refresh-token', 'refresh-sso');
  });

  it('shows why a returned sign-in was refused, in the user’s terms', async () => {
    const cases: [unknown, string][] = [
      [new SsoError('state-mismatch', 'state does not match'), 'sso-state'],
      [new SsoError('issuer-mismatch', 'issuer'), 'sso-issuer'],
      [new SsoError('verifier-missing', 'verifier'), 'sso-verifier'],
      [new ApiError(401, 'sso-rejected', 'This sign-in code was already used.'), 'sso-rejected'],
      [new ApiError(403, 'sso-unknown-user', 'not linked'), 'sso-unknown-user'],
    ];
    for (const [error, kind] of cases) {
      const { store } = setup({ complete: vi.fn(async () => Promise.reject(error)) });
      await store.getState().completeSso('http://127.0.0.1:7611/?code=c&state=s');
      expect(store.getState()).toMatchObject({ status: 'signed-out', user: null, loginError: { kind } });
    }
  });

  it('a second click starts over; the first attempt’s end is not shown as an error', async () => {
    let rejectFirst: (e: Error) => void = () => {};
    const signIn = vi.fn()
      .mockImplementationOnce(() => new Promise((_resolve, reject) => (rejectFirst = reject)))
      .mockImplementationOnce(() => new Promise(() => {}));
    const { store } = setup({ signIn });
    await store.getState().loadSignInOptions();
    const first = store.getState().loginWithSso();
    void store.getState().loginWithSso();
    rejectFirst(new Error('sso: a newer sign-in was started'));
    await first;
    expect(store.getState()).toMatchObject({ ssoWaiting: true, loginError: null });
  });

  it('password sign-in refused by the server says so', async () => {
    const { store, api } = setup({});
    api.login.mockRejectedValueOnce(new ApiError(403, 'password-login-disabled', 'off'));
    await store.getState().login('agent1', 'switchboard');
    expect(store.getState().loginError?.kind).toBe('password-disabled');
  });
});
