import { describe, expect, it, vi } from 'vitest';
import { resolvePolicy } from '../../core/policy/effective';
import { createAppStore } from './appStore';
import type { ReadinessProbes } from './readinessSlice';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

function probes(mic: 'ok' | 'missing'): ReadinessProbes {
  return {
    probeMicrophone: vi.fn(async () => (mic === 'ok' ? { levelDb: -20 } : { error: 'mic-missing' as const, message: 'NotFoundError' })),
    probeOutput: vi.fn(async () => ({ ok: true as const, ms: 300 })),
    probeSipServer: vi.fn(async () => 12),
    probeTurn: vi.fn(async () => 'skipped' as const),
    probeEchoCall: vi.fn(async () => ({ rttMs: 110, jitterMs: 1, lossPct: 0, packetsReceived: 180, codec: 'PCMU' as const })),
  };
}

async function storeWith(mode: 'required' | 'recommended', mic: 'ok' | 'missing') {
  const f = fakeDeps();
  f.host.getPolicy.mockResolvedValue(resolvePolicy({ machine: { ReadinessCheck: { mode, allowOverride: false, echoExtension: '9196', maxRttMs: 400, maxJitterMs: 50, maxLossPct: 5, minMos: 3.6 } }, user: {}, userPolicyDefaults: {} }));
  const store = createAppStore({ ...f.deps, readinessProbes: probes(mic) });
  await store.getState().loadPolicy();
  // The phone is registered (the check reads the phone's state for that item).
  store.setState({ phone: { ...store.getState().phone, registration: { kind: 'registered', expiresSec: 300 } } });
  return store;
}

describe('the readiness gate on Available', () => {
  it('a required check that fails keeps the agent out of Available, with the reason in the result', async () => {
    const store = await storeWith('required', 'missing');
    store.getState().setPresence('available');
    expect(store.getState().presence).toBe('busy');
    expect(store.getState().readiness.open).toBe(true);
    const result = await store.getState().runReadiness();
    expect(result.overall).toBe('fail');
    expect(result.items.find((i) => i.id === 'microphone')).toMatchObject({ verdict: 'fail', reason: 'mic-missing' });
    expect(store.getState().presence).toBe('busy');
    store.getState().setPresence('available');
    expect(store.getState().presence).toBe('busy');
    // No override unless policy allows one.
    store.getState().overrideReadiness();
    expect(store.getState().presence).toBe('busy');
  });

  it('a passing check lets the pending Available through by itself', async () => {
    const store = await storeWith('required', 'ok');
    store.getState().setPresence('available');
    expect(store.getState().presence).not.toBe('available');
    await store.getState().runReadiness();
    expect(store.getState().readiness.result?.overall).not.toBe('fail');
    expect(store.getState().presence).toBe('available');
  });

  it('a recommended check never blocks', async () => {
    const store = await storeWith('recommended', 'missing');
    store.getState().setPresence('available');
    expect(store.getState().presence).toBe('available');
    expect(store.getState().readiness.open).toBe(false);
  });
});
