import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { createMissedCallsRepo } from '../services/db/missedCallsRepo';
import { OutboxDb } from '../services/db/outboxDb';
import { uniqueName } from '../../tests/support/renderer/dexieProbes';
import { newInboundCall, newOutboundCall } from '../../core/call/callMachine';
import { ApiError } from '../services/api/api';
import { createAppStore } from './appStore';
import { formatDuration, remoteNumber } from '../../core/call/rules';
import type { CallLogEntry, PhoneDeps } from './phoneSlice';
import { fakePhone } from '../../tests/support/renderer/phoneFakes';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';
import { step } from '../../tests/support/core/callSteps';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function setup(opts: { sipAccount?: () => Promise<never>; missedCalls?: PhoneDeps['missedCalls']; storage?: Record<string, string> } = {}) {
  const f = fakeDeps();
  const fp = fakePhone();
  const log: CallLogEntry[] = [];
  const notes: Array<{ ticketId: string; body: string }> = [];
  const phone: PhoneDeps = {
    createPhone: fp.create,
    callLog: { put: async (row) => void log.push(row) },
    customers: {
      byPhone: async (n) => (n === '+8613800138000' ? { id: 'cust1', name: '王芳', phone: '+8613800138000' } : undefined),
      openTickets: async () => [{ id: 't1', number: 1042, subject: 'Refund', status: 'open' }],
    },
    addInternalNote: async (ticketId, body) => void notes.push({ ticketId, body }),
    ...(opts.missedCalls ? { missedCalls: opts.missedCalls } : {}),
  };
  for (const [k, v] of Object.entries(opts.storage ?? {})) f.deps.storage.setItem(k, v);
  if (opts.sipAccount) f.api.sipAccount.mockImplementation(opts.sipAccount);
  const store = createAppStore({ ...f.deps, phone });
  const stop = store.getState().startPhone();
  await store.getState().login('agent1', 'switchboard');
  await flush();
  return { ...f, fp, store, log, notes, stop };
}

describe('phone slice: registration follows sign-in and presence', () => {
  it('configures the provisioned account and registers after sign-in', async () => {
    const { fp, store } = await setup();
    expect(fp.last().account).toMatchObject({ wsUri: 'ws://127.0.0.1:8080', sipUri: 'sip:1001@127.0.0.1', authUser: '1001', password: 'test1001' });
    expect(fp.last().phone.register).toHaveBeenCalledTimes(1);
    expect(store.getState().sip.state).toBe('registering');
    fp.last().delegate.onRegistration({ kind: 'registered', expiresSec: 300 });
    expect(store.getState().sip).toEqual({ state: 'registered', reason: null });
  });

  it('shows reconnecting with the reason when the transport drops, never registered', async () => {
    const { fp, store } = await setup();
    fp.last().delegate.onRegistration({ kind: 'registered', expiresSec: 300 });
    fp.last().delegate.onRegistration({ kind: 'reconnecting', attempt: 1, reason: { code: 'transport-lost', message: 'socket closed' } });
    expect(store.getState().sip).toEqual({ state: 'reconnecting', reason: 'transport-lost' });
  });

  it('reports a refused SIP password as failed with the reason', async () => {
    const { fp, store } = await setup();
    fp.last().delegate.onRegistration({ kind: 'failed', reason: { code: 'auth-rejected', status: 403, message: '403 Forbidden' } });
    expect(store.getState().sip).toEqual({ state: 'failed', reason: 'auth-rejected' });
  });

  it('unregisters when the agent goes offline and registers again when they come back', async () => {
    const { fp, store } = await setup();
    store.getState().setPresence('offline');
    expect(fp.last().phone.unregister).toHaveBeenCalledTimes(1);
    expect(store.getState().sip).toEqual({ state: 'unregistered', reason: 'presence-offline' });
    store.getState().setPresence('available');
    expect(fp.last().phone.register).toHaveBeenCalledTimes(2);
  });

  it('says so when no account is provisioned, and creates no phone', async () => {
    const { fp, store } = await setup({ sipAccount: () => Promise.reject(new ApiError(404, 'not-found', 'none')) });
    expect(fp.made).toHaveLength(0);
    expect(store.getState().phone.account).toEqual({ kind: 'missing' });
    expect(store.getState().sip).toEqual({ state: 'unregistered', reason: 'no-account' });
  });

  it('unregisters and disposes the phone on sign-out', async () => {
    const { fp, store } = await setup();
    const { phone } = fp.last();
    await store.getState().logout();
    await flush();
    expect(phone.unregister).toHaveBeenCalled();
    expect(phone.dispose).toHaveBeenCalled();
    expect(store.getState().phone.account).toEqual({ kind: 'none' });
  });

  it('re-registers with Settings overrides, keeping the password out of localStorage', async () => {
    const { fp, store, storage, secrets } = await setup();
    await store.getState().setSipOverrides({ wsUri: 'wss://pbx.example.com/ws', password: 'hunter2' });
    await flush();
    expect(fp.made).toHaveLength(2);
    expect(fp.made[0]!.phone.dispose).toHaveBeenCalled();
    expect(fp.last().account).toMatchObject({ wsUri: 'wss://pbx.example.com/ws', authUser: '1001', password: 'hunter2' });
    expect(store.getState().phone.account).toMatchObject({ kind: 'ready', source: 'override' });
    expect(storage.data.get('switchboard.sip-override')).not.toContain('hunter2');
    expect(secrets.get('sip.password')).toBe('hunter2');
    // The replaced phone's late events (its un-REGISTER failing) do not touch the new phone's state.
    fp.made[0]!.delegate.onRegistration({ kind: 'reconnecting', attempt: 1, reason: { code: 'server-error', status: 500, message: 'refresh failed' } });
    expect(store.getState().sip.state).toBe('registering');
    await expect(store.getState().setSipOverrides({ wsUri: 'http://nope' })).rejects.toThrow();
  });
});

describe('phone slice: calls', () => {
  it('rings with a notice, brings the window forward and pops the known customer', async () => {
    const { fp, store, host } = await setup();
    const call = newInboundCall('in1', { uri: 'sip:+8613800138000@pbx', displayName: 'Wang' }, 'rfc4733', 1000);
    fp.last().delegate.onCallState(call.id, call);
    fp.last().delegate.onIncoming({ callId: call.id, remote: call.remote, otherCallActive: false });
    await flush();
    expect(host.notify).toHaveBeenCalledWith(expect.objectContaining({ title: 'Incoming call', tag: 'incoming-call' }));
    expect(host.bringToFront).toHaveBeenCalled();
    const v = store.getState().phone.calls[0]!;
    expect(v.pop).toEqual({ status: 'found', customer: { id: 'cust1', name: '王芳', phone: '+8613800138000' }, tickets: [{ id: 't1', number: 1042, subject: 'Refund', status: 'open' }] });
    // The only open ticket is where the call note goes, unless the agent picks another.
    expect(v.ticketId).toBe('t1');
  });

  it('requires a disposition before the agent is available again, then logs the call and notes the ticket', async () => {
    const { fp, store, log, notes } = await setup();
    const d = fp.last().delegate;
    let call = newInboundCall('in1', { uri: 'sip:+8613800138000@pbx' }, 'rfc4733', 1000);
    d.onCallState(call.id, call);
    d.onIncoming({ callId: call.id, remote: call.remote, otherCallActive: false });
    await flush();
    call = step(call, { type: 'answer', at: 2000 }, { type: 'established', at: 2100 });
    d.onCallState(call.id, call);
    call = step(call, { type: 'ended', at: 2100 + 192_000, reason: { kind: 'remote-hangup' } });
    d.onCallState(call.id, call);

    expect(store.getState().phone.calls[0]!.call.state).toBe('wrap-up');
    expect(store.getState().presence).toBe('after-call');
    store.getState().setPresence('available');
    expect(store.getState().presence).toBe('after-call');
    expect(store.getState().phone.wrapUpRequired).toBe(true);

    await store.getState().completeWrapUp('in1', 'resolved', 'Refund sent');
    expect(store.getState().phone.calls).toEqual([]);
    expect(store.getState().presence).toBe('available');
    expect(log).toEqual([expect.objectContaining({ id: 'in1', outcome: 'answered', disposition: 'resolved', durationMs: 192_000, customerId: 'cust1', ticketId: 't1', note: 'Refund sent' })]);
    expect(notes).toEqual([{ ticketId: 't1', body: 'Call with 王芳, 3:12, disposition: Resolved\n\nRefund sent' }]);
  });

  it('logs a missed call without wrap-up', async () => {
    const { fp, store, log } = await setup();
    const d = fp.last().delegate;
    let call = newInboundCall('in2', { uri: 'sip:1003@pbx' }, 'rfc4733', 1000);
    d.onCallState(call.id, call);
    call = step(call, { type: 'ended', at: 5000, reason: { kind: 'remote-hangup' } });
    d.onCallState(call.id, call);
    expect(store.getState().phone.calls).toEqual([]);
    expect(store.getState().presence).toBe('available');
    expect(log).toEqual([expect.objectContaining({ id: 'in2', outcome: 'missed', durationMs: 0, remote: '1003' })]);
  });

  it('issue 15: a missed call is written to the database and is there, with its reason and badge, after a restart; the old localStorage list moves in once', async () => {
    const db = new OutboxDb(uniqueName('missed'));
    const repo = createMissedCallsRepo(db);
    const legacyKey = 'switchboard.missed-calls.u1';
    const first = await setup({ missedCalls: repo, storage: { [legacyKey]: JSON.stringify([{ id: 'old', at: 10, remote: '1099', reason: 'timed-out' }]) } });
    await vi.waitFor(() => expect(first.store.getState().phone.missed.map((m) => m.id)).toEqual(['old']));
    expect(first.deps.storage.getItem(legacyKey)).toBeNull();
    const d = first.fp.last().delegate;
    let call = newInboundCall('in9', { uri: 'sip:1003@pbx' }, 'rfc4733', 1000);
    d.onCallState(call.id, call);
    call = step(call, { type: 'ended', at: 5000, reason: { kind: 'declined' } });
    d.onCallState(call.id, call);
    await vi.waitFor(async () => expect(await repo.unseenCount()).toBe(1));
    first.stop();

    const second = await setup({ missedCalls: repo });
    await vi.waitFor(() => expect(second.store.getState().phone.missed.map((m) => [m.id, m.reason])).toEqual([['in9', 'declined'], ['old', 'timed-out']]));
    expect(second.store.getState().phone.missedUnseen).toBe(1);
    second.store.getState().seeMissedCalls();
    await vi.waitFor(async () => expect(await repo.unseenCount()).toBe(0));
    await db.delete();
  });

  it('issue 12 item 9 (dial links ask): a tel: link opened by the host shows the Phone page with the number waiting, and dials nothing', async () => {
    const { fp, store, emit } = await setup();
    emit('app:dial-request', { target: '+4930123456', source: 'link' });
    await flush();
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
    expect(store.getState().page).toBe('phone');
    expect(store.getState().phone.dialRequest).toEqual({ target: '+4930123456', seq: 1 });
    expect(store.getState().phone.calls).toEqual([]);
  });

  it('issue 15: a missed call is written to the database and is there, with its reason and badge, after a restart; the old localStorage list moves in once', async () => {
    const db = new OutboxDb(uniqueName('missed'));
    const repo = createMissedCallsRepo(db);
    const legacyKey = 'switchboard.missed-calls.u1';
    const first = await setup({ missedCalls: repo, storage: { [legacyKey]: JSON.stringify([{ id: 'old', at: 10, remote: '1099', reason: 'timed-out' }]) } });
    await vi.waitFor(() => expect(first.store.getState().phone.missed.map((m) => m.id)).toEqual(['old']));
    expect(first.deps.storage.getItem(legacyKey)).toBeNull();
    const d = first.fp.last().delegate;
    let call = newInboundCall('in9', { uri: 'sip:1003@pbx' }, 'rfc4733', 1000);
    d.onCallState(call.id, call);
    call = step(call, { type: 'ended', at: 5000, reason: { kind: 'declined' } });
    d.onCallState(call.id, call);
    await vi.waitFor(async () => expect(await repo.unseenCount()).toBe(1));
    first.stop();

    const second = await setup({ missedCalls: repo });
    await vi.waitFor(() => expect(second.store.getState().phone.missed.map((m) => [m.id, m.reason])).toEqual([['in9', 'declined'], ['old', 'timed-out']]));
    expect(second.store.getState().phone.missedUnseen).toBe(1);
    second.store.getState().seeMissedCalls();
    await vi.waitFor(async () => expect(await repo.unseenCount()).toBe(0));
    await db.delete();
  });

  it('issue 12 item 9 (dial links ask): dial() refuses what the dial policy refuses, whoever asks', async () => {
    const { fp, store } = await setup();
    expect(await store.getState().dial('+19005550100')).toBeNull();
    expect(await store.getState().dial('sip:alice@evil.example')).toBeNull();
    expect(fp.last().phone.dial).not.toHaveBeenCalled();
    expect(store.getState().phone.lastError).toMatchObject({ code: 'bad-target' });
  });

  it('shows a failed action as an error instead of throwing into the UI', async () => {
    const { fp, store } = await setup();
    vi.mocked(fp.last().phone.hold).mockRejectedValueOnce(new Error('488 Not Acceptable Here'));
    await store.getState().dial('1002');
    await store.getState().toggleHold('out1');
    expect(store.getState().phone.lastError).toMatchObject({ message: expect.stringContaining('488') as string });
  });

  it('tracks an attended transfer and clears it when the consult leg ends', async () => {
    const { fp, store } = await setup();
    await store.getState().dial('1002');
    await store.getState().startConsult('out1', '1004');
    expect(store.getState().phone.consult).toEqual({ originalId: 'out1', consultId: 'consult1' });
    let consult = newOutboundCall('consult1', { uri: 'sip:1004@pbx' }, 'rfc4733', 1);
    fp.last().delegate.onCallState(consult.id, consult);
    consult = step(consult, { type: 'failed', at: 2, reason: { kind: 'rejected', status: 486, phrase: 'Busy Here' } });
    fp.last().delegate.onCallState(consult.id, consult);
    expect(store.getState().phone.consult).toBeNull();
  });
  it('a completed attended transfer leaves one wrap-up (the original call), although its leg ends before the consult leg', async () => {
    const { fp, store, log } = await setup();
    const d = fp.last().delegate;
    let original = step(newInboundCall('in1', { uri: 'sip:+8613800138000@pbx' }, 'rfc4733', 1000), { type: 'answer', at: 1100 }, { type: 'established', at: 1200 });
    d.onCallState(original.id, original);
    await store.getState().startConsult('in1', '1002');
    let consult = step(newOutboundCall('consult1', { uri: 'sip:1002@pbx' }, 'rfc4733', 2000), { type: 'invite-sent', at: 2010 }, { type: 'established', at: 2100 });
    d.onCallState(consult.id, consult);
    await store.getState().completeTransfer();
    expect(fp.last().phone.completeTransfer).toHaveBeenCalledWith('in1', 'consult1');

    // As on the wire: our BYE ends the original leg at once; the target's BYE ends the consult leg once it has replaced it.
    original = step(original, { type: 'ended', at: 3000, reason: { kind: 'transferred' } });
    d.onCallState(original.id, original);
    expect(store.getState().phone.consult).toBeNull();
    consult = step(consult, { type: 'ended', at: 3200, reason: { kind: 'transferred' } });
    d.onCallState(consult.id, consult);

    expect(store.getState().phone.calls.map((v) => [v.call.id, v.call.state])).toEqual([['in1', 'wrap-up']]);
    expect(log).toEqual([expect.objectContaining({ id: 'consult1', outcome: 'consult' })]);
  });

  it('at the transfer target, the consult leg replaced by the customer call is logged, not wrapped up; a blind transfer is wrapped up', async () => {
    const { fp, store, log } = await setup();
    const d = fp.last().delegate;
    let consult = step(newInboundCall('in1', { uri: 'sip:1001@pbx' }, 'rfc4733', 1000), { type: 'answer', at: 1100 }, { type: 'established', at: 1200 });
    d.onCallState(consult.id, consult);
    const customer = step(newInboundCall('in2', { uri: 'sip:+8613800138000@pbx' }, 'rfc4733', 2000), { type: 'answer', at: 2000 }, { type: 'established', at: 2100 });
    d.onCallState(customer.id, customer);
    consult = step(consult, { type: 'ended', at: 2200, reason: { kind: 'transferred' } });
    d.onCallState(consult.id, consult);
    expect(store.getState().phone.calls.map((v) => [v.call.id, v.call.state])).toEqual([['in2', 'established']]);
    expect(log).toEqual([expect.objectContaining({ id: 'in1', outcome: 'transferred' })]);

    await store.getState().blindTransfer('in2', '1004');
    d.onCallState(customer.id, step(customer, { type: 'ended', at: 3000, reason: { kind: 'transferred' } }));
    expect(store.getState().phone.calls.map((v) => [v.call.id, v.call.state])).toEqual([['in2', 'wrap-up']]);
  });
});

describe('phone helpers', () => {
  it('takes the number out of a SIP URI and formats durations', () => {
    expect(remoteNumber('sip:%2B4930123@pbx.example.com')).toBe('+4930123');
    expect(remoteNumber('sip:alice@example.com')).toBe('alice');
    expect(formatDuration(192_000)).toBe('3:12');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });
});
