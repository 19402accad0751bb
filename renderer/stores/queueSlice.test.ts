import { describe, expect, it } from 'vitest';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

const call = { callId: '33333333-3333-4333-8333-333333333333', queueName: 'Billing', caller: '+4930111', callback: false, customer: null, enqueuedAt: 1, expiresAt: 2 };

describe('queue slice', () => {
  it('shows the ringing queue call, and a not-ready notice puts the app itself to busy', async () => {
    const { deps, api } = fakeDeps();
    const store = createAppStore(deps);
    store.getState().setPresence('available');
    api.getJson.mockResolvedValueOnce({ ringing: call, connected: null, notReady: null });
    await store.getState().pollQueue();
    expect(store.getState().queueState?.ringing?.queueName).toBe('Billing');
    expect(store.getState().presence).toBe('available');

    api.getJson.mockResolvedValueOnce({ ringing: null, connected: null, notReady: { reason: 'rang-out', queueName: 'Billing', at: 5 } });
    await store.getState().pollQueue();
    expect(store.getState().queueState?.notReady?.queueName).toBe('Billing');
    expect(store.getState().presence).toBe('busy');
  });

  it('a refused answer shows the server message and the state is read again', async () => {
    const { deps, api } = fakeDeps();
    const store = createAppStore(deps);
    api.postJson.mockRejectedValueOnce(new Error('This call is no longer ringing for you.'));
    api.getJson.mockResolvedValueOnce({ ringing: null, connected: null, notReady: null });
    await store.getState().answerQueueCall(call.callId);
    expect(api.postJson).toHaveBeenCalledWith(`/queues/calls/${call.callId}/answer`, {});
    expect(store.getState().queueError).toBe('This call is no longer ringing for you.');
    expect(store.getState().queueState?.ringing).toBeNull();
  });
});
