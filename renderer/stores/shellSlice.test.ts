import { describe, expect, it } from 'vitest';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

describe('shell and team slices', () => {
  it('an agent cannot open the Team page; a lead can and sees the roster', async () => {
    const { deps, api } = fakeDeps();
    const store = createAppStore(deps);
    await store.getState().login('agent1', 'switchboard');
    store.getState().goTo('team');
    expect(store.getState().page).toBe('inbox');

    api.login.mockResolvedValueOnce({ accessToken: 'a', expiresIn: 900, refreshToken: 'r', user: { ...(await api.me()), role: 'lead' } });
    await store.getState().login('lead1', 'switchboard');
    store.getState().goTo('team');
    expect(store.getState().page).toBe('team');
    api.roster.mockResolvedValueOnce({ team: { id: 't1', name: 'Support' }, members: [{ id: 'u1', displayName: 'Ada Agent', role: 'agent', extension: '1001' }] });
    await store.getState().loadRoster('t1');
    const roster = store.getState().roster;
    expect(roster.status === 'loaded' && roster.roster.members.map((m) => m.displayName)).toEqual(['Ada Agent']);
  });

  it('reports a roster that failed to load, and sign-out resets page and roster', async () => {
    const { deps, api } = fakeDeps();
    const store = createAppStore(deps);
    api.roster.mockRejectedValueOnce(new Error('server unreachable'));
    await store.getState().loadRoster('t1');
    expect(store.getState().roster).toEqual({ status: 'error', teamId: 't1', message: 'server unreachable' });
    store.getState().goTo('settings');
    await store.getState().logout();
    expect(store.getState()).toMatchObject({ page: 'inbox', roster: { status: 'idle' } });
  });
});
