import { describe, expect, it } from 'vitest';
import type { Call, CallStateName } from '../../core/call/callMachine';
import type { UpdateStatus } from '../../core/update/status';
import { HostError } from '../services/host/host';
import { createAppStore } from './appStore';
import { demoUser, fakeDeps } from '../../tests/support/renderer/storeFakes';

const readyStatus: UpdateStatus = {
  state: 'downloaded',
  mode: 'default',
  currentVersion: '1.0.0',
  availableVersion: '2.0.0',
  downloaded: true,
  percent: null,
  blocked: 'in-call',
  disabled: null,
  error: null,
  window: null,
  lastCheckedAt: 1,
};

function setup() {
  const t = fakeDeps();
  const store = createAppStore(t.deps);
  const withCall = (state: CallStateName) =>
    store.setState({ phone: { ...store.getState().phone, calls: [{ call: { id: 'c1', state } as unknown as Call }] } });
  const noCalls = () => store.setState({ phone: { ...store.getState().phone, calls: [] } });
  return { ...t, store, withCall, noCalls, sent: () => t.host.setUpdateActivity.mock.calls.map((c) => c[0]) };
}

describe('updates slice', () => {
  it('reports the call and shift state at start and on every change, once per change', () => {
    const t = setup();
    const stop = t.store.getState().startUpdates();
    expect(t.sent()).toEqual([{ inCall: false, inShift: false }]);
    t.store.setState({ user: demoUser });
    t.store.getState().setPresence('available');
    expect(t.sent().at(-1)).toEqual({ inCall: false, inShift: true });
    t.withCall('ringing-in');
    expect(t.sent().at(-1)).toEqual({ inCall: true, inShift: true });
    t.withCall('established');
    t.withCall('held');
    // Wrap-up still counts: a restart would lose the disposition being typed.
    t.withCall('wrap-up');
    expect(t.sent().at(-1)).toEqual({ inCall: true, inShift: true });
    t.withCall('done');
    expect(t.sent().at(-1)).toEqual({ inCall: false, inShift: true });
    t.store.getState().setPresence('break');
    t.store.getState().setPresence('offline');
    expect(t.sent().at(-1)).toEqual({ inCall: false, inShift: false });
    expect(t.sent()).toHaveLength(5);
    stop();
    t.withCall('ringing-in');
    expect(t.sent()).toHaveLength(5);
  });

  it('holds the host status: first the answer to get-status, then each update:status event', async () => {
    const t = setup();
    t.host.getUpdateStatus.mockResolvedValueOnce({ ...readyStatus, state: 'idle', availableVersion: null, downloaded: false, blocked: null });
    t.store.getState().startUpdates();
    await Promise.resolve();
    await Promise.resolve();
    expect(t.store.getState().update?.state).toBe('idle');
    t.emit('update:status', readyStatus);
    expect(t.store.getState().update).toEqual(readyStatus);
  });

  it('keeps the refusal of Restart to update for the agent to read', async () => {
    const t = setup();
    t.host.installUpdate.mockRejectedValueOnce(new HostError('not-allowed', 'A call is active: the update can install when the call (and its wrap-up) is over.'));
    await t.store.getState().installUpdate();
    expect(t.store.getState().updateInstallError).toMatch(/call is active/);
    await t.store.getState().installUpdate();
    expect(t.store.getState().updateInstallError).toBeNull();
    expect(t.host.installUpdate).toHaveBeenCalledTimes(2);
  });
});
