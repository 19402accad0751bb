import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../services/api/api';
import type { SyncEngineState } from '../services/sync/syncEngine';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('connectivity slice', () => {
  it('starts with the phone unregistered because no phone is configured', () => {
    const store = createAppStore(fakeDeps().deps);
    expect(store.getState().sip).toEqual({ state: 'unregistered', reason: 'no-phone' });
  });

  it('goes offline when the browser loses its network and back online after a good /health probe', async () => {
    const { deps, net, api } = fakeDeps();
    const store = createAppStore(deps);
    const stop = store.getState().startConnectivity();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().sync.state).toBe('online');
    net.set(false);
    expect(store.getState().sync.state).toBe('offline');
    api.health.mockClear();
    net.set(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.health).toHaveBeenCalledTimes(1);
    expect(store.getState().sync.state).toBe('online');
    stop();
  });

  it('treats an unreachable server as offline even when the browser says online', async () => {
    const { deps, api } = fakeDeps();
    api.health.mockRejectedValue(new ApiError(0, 'unreachable', 'refused'));
    const store = createAppStore({ ...deps, healthProbeMs: 10_000 });
    const stop = store.getState().startConnectivity();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().sync.state).toBe('offline');
    api.health.mockResolvedValue({ status: 'ok', db: 'pglite', version: '1' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.getState().sync.state).toBe('online');
    stop();
  });

  it('probes right away when the machine wakes from sleep', async () => {
    const { deps, api, emit } = fakeDeps();
    const store = createAppStore(deps);
    const stop = store.getState().startConnectivity();
    await vi.advanceTimersByTimeAsync(0);
    api.health.mockClear();
    emit('power:resumed', null);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.health).toHaveBeenCalledTimes(1);
    stop();
  });

  it('a probe does not override the sync service while it is syncing', async () => {
    const { deps } = fakeDeps();
    const store = createAppStore(deps);
    store.getState().syncEngineChanged(engineReport({ status: 'syncing', pendingCount: 4 }));
    await store.getState().probeServer();
    expect(store.getState().sync).toMatchObject({ state: 'syncing', pendingCount: 4 });
  });

  it("shows offline while the probe cannot reach the server whatever the engine last said, and the engine's phase once it can", async () => {
    const { deps, api } = fakeDeps();
    const store = createAppStore(deps);
    store.getState().syncEngineChanged(engineReport({ status: 'online', pendingCount: 2, lastSyncedAt: 5_000 }));
    api.health.mockRejectedValue(new ApiError(0, 'unreachable', 'refused'));
    await store.getState().probeServer();
    expect(store.getState().sync).toEqual({ state: 'offline', pendingCount: 2, lastSyncedAt: 5_000 });
    // A later report of the engine's does not write the indicator over the probe's finding.
    store.getState().syncEngineChanged(engineReport({ status: 'syncing', pendingCount: 1, lastSyncedAt: 5_000 }));
    expect(store.getState().sync).toEqual({ state: 'offline', pendingCount: 1, lastSyncedAt: 5_000 });
    api.health.mockResolvedValue({ status: 'ok', db: 'pglite', version: '1' });
    await store.getState().probeServer();
    expect(store.getState().sync.state).toBe('syncing');
  });
});

function engineReport(over: Partial<SyncEngineState>): SyncEngineState {
  return { status: 'offline', pendingCount: 0, lastSyncedAt: null, firstSync: null, lastError: null, nextRetryAt: null, failedCount: 0, persistence: null, ...over };
}
