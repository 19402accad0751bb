import { describe, expect, it } from 'vitest';
import { ApiError } from '../services/api/api';
import { createAppStore } from './appStore';
import { loginErrorOf } from './sessionSlice';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

describe('session slice', () => {
  it('starts signed out at the login screen when no refresh token is stored', async () => {
    const { deps, api } = fakeDeps();
    const store = createAppStore(deps);
    await store.getState().startSession();
    expect(store.getState()).toMatchObject({ status: 'signed-out', user: null, resuming: false });
    expect(api.me).not.toHaveBeenCalled();
  });

  it('resumes silently from a stored refresh token and restores the last presence', async () => {
    const { deps, secrets, storage, host } = fakeDeps();
    secrets.set('auth.refresh-token', 'refresh-0');
    storage.data.set('switchboard.presence', 'break');
    const store = createAppStore(deps);
    await store.getState().startSession();
    expect(store.getState()).toMatchObject({ status: 'signed-in', resuming: false, presence: 'break' });
    expect(store.getState().user?.displayName).toBe('Ada Agent');
    expect(host.setTrayPresence).toHaveBeenLastCalledWith('break');
  });

  it('stays signed out with the token kept when resuming fails offline', async () => {
    const { deps, secrets, api } = fakeDeps();
    secrets.set('auth.refresh-token', 'refresh-0');
    api.resume.mockRejectedValueOnce(new ApiError(0, 'unreachable', 'offline'));
    const store = createAppStore(deps);
    await store.getState().startSession();
    expect(store.getState().status).toBe('signed-out');
    expect(secrets.get('auth.refresh-token')).toBe('refresh-0');
  });

  it('signs in with the default presence, and explains bad credentials', async () => {
    const { deps } = fakeDeps();
    const store = createAppStore(deps);
    await store.getState().login('agent1', 'wrong');
    expect(store.getState()).toMatchObject({ status: 'signed-out', loginError: { kind: 'bad-credentials' } });
    await store.getState().login('agent1', 'switchboard');
    expect(store.getState()).toMatchObject({ status: 'signed-in', loginError: null, presence: 'available' });
  });

  it('sign-out clears the user and every token from host secrets', async () => {
    const { deps, secrets, host } = fakeDeps();
    const store = createAppStore(deps);
    await store.getState().login('agent1', 'switchboard');
    secrets.set('auth.access-token', 'stale');
    await store.getState().logout();
    expect(store.getState()).toMatchObject({ status: 'signed-out', user: null, presence: 'offline' });
    expect([...secrets.keys()]).toEqual([]);
    expect(host.setTrayPresence).toHaveBeenLastCalledWith('offline');
  });

  it('maps server failures to what the login screen explains', () => {
    expect(loginErrorOf(new ApiError(429, 'rate-limited', 'slow down')).kind).toBe('too-many-attempts');
    expect(loginErrorOf(new ApiError(0, 'unreachable', 'offline')).kind).toBe('unreachable');
    expect(loginErrorOf(new ApiError(503, 'bad-response', 'HTTP 503')).kind).toBe('unreachable');
    expect(loginErrorOf(new ApiError(401, 'bad-credentials', 'no')).kind).toBe('bad-credentials');
    expect(loginErrorOf(new ApiError(500, 'internal', 'boom')).kind).toBe('unknown');
  });
});

describe('session slice: lost session', () => {
  it('a session the server ended mid-shift returns to the login screen and says why', async () => {
    const { deps } = fakeDeps();
    const store = createAppStore(deps);
    await store.getState().login('agent1', 'switchboard');
    store.getState().goTo('settings');
    store.getState().sessionLost();
    expect(store.getState()).toMatchObject({ status: 'signed-out', user: null, page: 'inbox', loginError: { kind: 'session-ended' } });
  });
});

describe('session slice: stored session refused at start', () => {
  it('says the session ended when the stored refresh token is refused', async () => {
    const { deps, secrets, api } = fakeDeps();
    secrets.set('auth.refresh-token', 'revoked');
    const store = createAppStore(deps);
    api.resume.mockImplementationOnce(async () => {
      store.getState().sessionLost();
      return false;
    });
    await store.getState().startSession();
    expect(store.getState()).toMatchObject({ status: 'signed-out', resuming: false, loginError: { kind: 'session-ended' } });
  });
});

describe('offline session', () => {
  it('offers the last online user (profile only, no token) and works from the cache as them', async () => {
    const { deps, storage, api } = fakeDeps();
    const first = createAppStore(deps);
    await first.getState().login('agent1', 'switchboard');
    const stored = storage.data.get('switchboard.offline-user') ?? '';
    expect(JSON.parse(stored)).toMatchObject({ id: 'u1', displayName: 'Ada Agent' });
    expect(stored).not.toContain('refresh-1');

    // A restart with the server unreachable: sign-in fails, continuing offline signs in as the cached user.
    const second = createAppStore(deps);
    api.login.mockRejectedValueOnce(new ApiError(0, 'unreachable', 'offline'));
    await second.getState().login('agent1', 'switchboard');
    expect(second.getState().loginError?.kind).toBe('unreachable');
    second.getState().continueOffline();
    expect(second.getState()).toMatchObject({ status: 'signed-in', offline: true, user: { id: 'u1' } });

    second.getState().leaveOffline();
    expect(second.getState()).toMatchObject({ status: 'signed-out', offline: false, user: null });
    await second.getState().login('agent1', 'switchboard');
    expect(second.getState()).toMatchObject({ status: 'signed-in', offline: false });
  });

  it('signing out on purpose withdraws offline access', async () => {
    const { deps, storage } = fakeDeps();
    const store = createAppStore(deps);
    await store.getState().login('agent1', 'switchboard');
    await store.getState().logout();
    expect(storage.data.has('switchboard.offline-user')).toBe(false);
    store.getState().continueOffline();
    expect(store.getState().status).toBe('signed-out');
  });
});
