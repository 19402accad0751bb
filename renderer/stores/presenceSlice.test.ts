import { describe, expect, it } from 'vitest';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

describe('presence slice', () => {
  it('mirrors the chosen presence to the tray and remembers it', () => {
    const { deps, host, storage } = fakeDeps();
    const store = createAppStore(deps);
    store.getState().setPresence('after-call');
    expect(store.getState().presence).toBe('after-call');
    expect(host.setTrayPresence).toHaveBeenCalledWith('after-call');
    expect(storage.data.get('switchboard.presence')).toBe('after-call');
  });

  it('remembers the default presence and ignores a corrupted stored value', () => {
    const { deps, storage } = fakeDeps();
    createAppStore(deps).getState().setDefaultPresence('busy');
    expect(createAppStore(deps).getState().defaultPresence).toBe('busy');
    storage.data.set('switchboard.presence-default', 'dancing');
    expect(createAppStore(deps).getState().defaultPresence).toBe('available');
  });
});

describe('break reasons and the wrap-up limit', () => {
  const reason = { id: '11111111-1111-4111-8111-111111111111', code: 'lunch', labels: { en: 'Lunch', 'zh-CN': '午餐', 'zh-TW': '午餐' }, active: true };
  const config = (wrapUpLimitSeconds: number | null) => ({
    teamId: '22222222-2222-4222-8222-222222222222',
    reasons: [reason],
    floor: { wrapUpLimitSeconds, wrapUpNext: 'busy' as const, answerTargetSeconds: 60, timeZone: 'Europe/Berlin' },
  });

  it('keeps the reason with break only, and restarts the timer when presence or reason changes', async () => {
    const { deps, api } = fakeDeps();
    api.getJson.mockResolvedValueOnce(config(null));
    const store = createAppStore(deps);
    await store.getState().loadPresenceConfig();
    expect(api.getJson).toHaveBeenCalledWith('/presence/config');
    expect(store.getState().presenceConfig?.reasons[0]?.code).toBe('lunch');

    store.getState().setPresence('break', reason.id);
    expect(store.getState()).toMatchObject({ presence: 'break', presenceReason: reason.id });
    store.setState({ presenceSince: 1000 });
    store.getState().setPresence('break', reason.id);
    expect(store.getState().presenceSince).toBe(1000);
    store.getState().setPresence('available', reason.id);
    expect(store.getState()).toMatchObject({ presence: 'available', presenceReason: null });
    expect(store.getState().presenceSince).toBeGreaterThan(1000);
  });

  it("ends after-call work into the team's choice when the limit passes, and not before", async () => {
    const { deps, api } = fakeDeps();
    api.getJson.mockResolvedValueOnce(config(30));
    const store = createAppStore(deps);
    await store.getState().loadPresenceConfig();
    store.getState().setPresence('available');
    store.getState().beginWrapUpPresence();
    const since = store.getState().presenceSince;
    expect(store.getState().presence).toBe('after-call');

    store.getState().checkWrapUpLimit(since + 29_999);
    expect(store.getState().presence).toBe('after-call');
    store.getState().checkWrapUpLimit(since + 30_000);
    expect(store.getState()).toMatchObject({ presence: 'busy', wrapUpPresence: null });
    // Disposing the call later leaves the agent where the limit put them.
    store.getState().endWrapUpPresence();
    expect(store.getState().presence).toBe('busy');
  });

  it('leaves after-call work alone when the team set no limit', async () => {
    const { deps, api } = fakeDeps();
    api.getJson.mockResolvedValueOnce(config(null));
    const store = createAppStore(deps);
    await store.getState().loadPresenceConfig();
    store.getState().setPresence('after-call');
    store.getState().checkWrapUpLimit(Date.now() + 3_600_000);
    expect(store.getState().presence).toBe('after-call');
  });
});
