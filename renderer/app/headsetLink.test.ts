import { describe, expect, it, vi } from 'vitest';
import { newInboundCall } from '../../core/call/callMachine';
import type { HidCollection } from '../../core/call/hidTelephony';
import { createAppStore } from '../stores/appStore';
import type { HidDeviceLike, HidInputReportEvent, HidLike } from '../services/headset/hidHeadset';
import { fakePhone } from '../../tests/support/renderer/phoneFakes';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';
import { step } from '../../tests/support/core/callSteps';
import { linkHeadset } from './headsetLink';

/**
 * Headset buttons at the WebHID API boundary (issue 15): this machine has no /dev/uhid, so no virtual HID
 * device can be made for Chromium to find; the test plays navigator.hid and a headset's HIDDevice (the
 * objects and events WebHID gives a page) against the real store and phone slice.
 */
const T = (id: number) => (0x0b << 16) | id;
const L = (id: number) => (0x08 << 16) | id;
const collections: HidCollection[] = [{
  usagePage: 0x0b,
  usage: 0x05,
  inputReports: [{ reportId: 3, items: [{ usages: [T(0x20), T(0x2f), T(0x21)], reportSize: 1, reportCount: 3 }, { usages: [], reportSize: 5, reportCount: 1 }] }],
  outputReports: [{ reportId: 4, items: [{ usages: [L(0x17), L(0x09), L(0x18), L(0x20)], reportSize: 1, reportCount: 4 }, { usages: [], reportSize: 4, reportCount: 1 }] }],
}];

function fakeHid() {
  let listener: ((e: HidInputReportEvent) => void) | null = null;
  const sent: Array<{ reportId: number; bits: number }> = [];
  const device: HidDeviceLike = {
    opened: false,
    productName: 'Jabra Evolve2 65',
    collections,
    open: vi.fn(async () => undefined),
    close: vi.fn(async () => undefined),
    sendReport: vi.fn(async (reportId: number, data: Uint8Array) => void sent.push({ reportId, bits: data[0] ?? 0 })),
    addEventListener: (_t, l) => void (listener = l),
    removeEventListener: () => void (listener = null),
  };
  const hid: HidLike = {
    getDevices: vi.fn(async () => []),
    requestDevice: vi.fn(async () => [device]),
    addEventListener: vi.fn(),
  };
  const press = (bits: number) => listener?.({ reportId: 3, data: new DataView(new Uint8Array([bits]).buffer) });
  return { hid, device, sent, press, lastLights: () => sent[sent.length - 1]?.bits };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function setup() {
  const f = fakeDeps();
  const fp = fakePhone();
  const store = createAppStore({ ...f.deps, phone: { createPhone: fp.create } });
  store.getState().startPhone();
  await store.getState().login('agent1', 'switchboard');
  await flush();
  const h = fakeHid();
  const headset = linkHeadset(store, h.hid, () => undefined);
  await headset.connect();
  return { store, fp, h, headset };
}

describe('headset buttons and lights (WebHID)', () => {
  it('asks only for telephony devices and shows the connected headset', async () => {
    const { h, headset } = await setup();
    expect(h.hid.requestDevice).toHaveBeenCalledWith({ filters: [{ usagePage: 0x0b }] });
    expect(h.device.open).toHaveBeenCalled();
    expect(headset.status()).toEqual({ kind: 'connected', name: 'Jabra Evolve2 65' });
  });

  it('hook switch answers a ringing call; the ring light, then the off-hook light; mute button mutes with the mute light; hook down hangs up', async () => {
    const { store, fp, h } = await setup();
    const d = fp.last().delegate;
    let call = newInboundCall('in1', { uri: 'sip:1099@pbx' }, 'rfc4733', 1000);
    d.onCallState(call.id, call);
    expect(h.lastLights()).toBe(0b0100); // Ring
    h.press(0b001); // Hook Switch off-hook
    expect(fp.last().phone.answer).toHaveBeenCalledWith('in1');
    call = step(call, { type: 'answer', at: 2000 }, { type: 'established', at: 2100 });
    d.onCallState(call.id, call);
    expect(h.lastLights()).toBe(0b0001); // Off-Hook

    h.press(0b011); // Phone Mute pressed (hook still off)
    h.press(0b001); // released: one press, one toggle
    expect(fp.last().phone.mute).toHaveBeenCalledTimes(1);
    call = step(call, { type: 'mute' });
    d.onCallState(call.id, call);
    expect(store.getState().phone.calls[0]?.call.muted).toBe(true);
    expect(h.lastLights()).toBe(0b0011); // Off-Hook + Mute: the headset's mute light in step

    h.press(0b101); // Flash: hold
    expect(fp.last().phone.hold).toHaveBeenCalledWith('in1');

    h.press(0b000); // Hook Switch on-hook
    expect(fp.last().phone.hangup).toHaveBeenCalledWith('in1');
  });

  it('hook switch back on-hook while it still rings declines it', async () => {
    const { fp, h } = await setup();
    const call = newInboundCall('in2', { uri: 'sip:1002@pbx' }, 'rfc4733', 1000);
    fp.last().delegate.onCallState(call.id, call);
    h.press(0b001);
    h.press(0b000);
    expect(fp.last().phone.answer).toHaveBeenCalledTimes(1);
    expect(fp.last().phone.decline).toHaveBeenCalledWith('in2');
  });

  it('says when the browser has no WebHID', async () => {
    const f = fakeDeps();
    const store = createAppStore(f.deps);
    expect(linkHeadset(store, undefined, () => undefined).status()).toEqual({ kind: 'unsupported' });
  });
});
