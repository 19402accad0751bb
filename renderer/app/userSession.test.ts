// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../services/api/api';
import { createUserSession, type UserSession } from '../services/session/userSession';
import { createSyncPart } from '../services/sync/syncPart';
import { createAppStore } from '../stores/appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';
import { followSignedInUser } from './followUser';

const emptyPull = { cursor: 'c1', lastMutationId: 0, tickets: [], customers: [], comments: [], removed: [], more: false, estimatedTotal: 0 };
let session: UserSession | null = null;
afterEach(() => {
  session?.dispose();
  session = null;
});

function setup() {
  const fakes = fakeDeps();
  fakes.api.postJson.mockImplementation(async (path: string) => (path === '/sync/pull' ? emptyPull : { results: [], lastMutationId: 0 }));
  // No token for the socket: it fails to open and retries later; the test never touches a real network.
  fakes.api.accessToken.mockReturnValue(null);
  const store = createAppStore(fakes.deps);
  // As app/compose.ts wires it: the sync part reports to the store and the session follows the store's user.
  const sync = createSyncPart({ api: fakes.api, host: fakes.host, baseUrl: 'http://127.0.0.1:1', log: () => {} });
  sync.connect({ onServices: (s) => store.getState().setTicketsServices(s), onEngineState: (s) => store.getState().syncEngineChanged(s) });
  session = createUserSession({ setTimeout: (fn, ms) => ((id) => () => clearTimeout(id))(setTimeout(fn, ms)), log: () => {} });
  session.register(sync);
  followSignedInUser(store, session);
  /** What the old sync session's snapshot was: now the store's sync slice. */
  const snapshot = { getSnapshot: () => ({ services: store.getState().ticketsServices, sync: store.getState().syncEngine }) };
  return { ...fakes, store, session: snapshot };
}

describe('user session: the sync part', () => {
  it('starts the engine at sign-in, reports sync state to the status bar, and stops at sign-out', async () => {
    const { store, session, api } = setup();
    expect(session.getSnapshot().services).toBeNull();
    await store.getState().login('agent1', 'switchboard');
    expect(session.getSnapshot().services?.user.id).toBe('u1');
    // The engine's own state: a cycle (push, pull) finished.
    await vi.waitFor(() => expect(session.getSnapshot().sync?.status).toBe('online'));
    expect(store.getState().sync).toMatchObject({ state: 'online', pendingCount: 0 });
    expect(store.getState().sync.lastSyncedAt).not.toBeNull();
    expect(api.postJson).toHaveBeenCalledWith('/sync/pull', expect.objectContaining({ cursor: null }));

    await store.getState().logout();
    expect(session.getSnapshot().services).toBeNull();
    expect(store.getState().sync).toMatchObject({ pendingCount: 0, lastSyncedAt: null });
  });

  it('in an offline session queues work and sends nothing, until a real sign-in', async () => {
    const { store, session, api } = setup();
    await store.getState().login('agent1', 'switchboard');
    await vi.waitFor(() => expect(session.getSnapshot().sync?.status).toBe('online'));
    // A restart with the server unreachable: continue offline as the remembered user.
    store.setState({ user: null, status: 'signed-out' });
    api.login.mockRejectedValueOnce(new ApiError(0, 'unreachable', 'offline'));
    await store.getState().login('agent1', 'switchboard');
    store.getState().continueOffline();
    const services = session.getSnapshot().services;
    expect(services?.offline).toBe(true);
    api.postJson.mockClear();
    await vi.waitFor(() => expect(store.getState().sync.state).toBe('offline'));
    expect(api.postJson.mock.calls).toEqual([]);
  });
});
