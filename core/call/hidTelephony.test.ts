import { describe, expect, it } from 'vitest';
import { buildLightReports, headsetCommands, hidLayout, isTelephonyDevice, readButtons, type HidCollection } from './hidTelephony';

const T = (id: number) => (0x0b << 16) | id;
const L = (id: number) => (0x08 << 16) | id;

/**
 * A USB headset as WebHID shows it (the shape of a Jabra/Poly telephony interface): report 2 in carries
 * Hook Switch, Phone Mute and Flash bits after a 3-bit volume field; report 2 out carries Off-Hook, Mute,
 * Ring and Hold lights after padding.
 */
const headset: HidCollection[] = [
  {
    usagePage: 0x0b,
    usage: 0x05,
    inputReports: [{ reportId: 2, items: [
      { usages: [0x000c00e9], reportSize: 3, reportCount: 1 },
      { usages: [T(0x20), T(0x2f), T(0x21)], reportSize: 1, reportCount: 3 },
      { usages: [], reportSize: 1, reportCount: 2 },
    ] }],
    outputReports: [{ reportId: 2, items: [
      { usages: [], reportSize: 1, reportCount: 4 },
      { usages: [L(0x17), L(0x09), L(0x18), L(0x20)], reportSize: 1, reportCount: 4 },
    ] }],
  },
];
const layout = hidLayout(headset);
const report = (...bytes: number[]) => new DataView(new Uint8Array(bytes).buffer);

describe('HID telephony headset', () => {
  it('is recognised by its telephony collection; a keyboard is not', () => {
    expect(isTelephonyDevice({ collections: headset })).toBe(true);
    expect(isTelephonyDevice({ collections: [{ usagePage: 0x01, usage: 0x06 }] })).toBe(false);
    expect(isTelephonyDevice({})).toBe(false);
  });

  it('reads hook switch, mute and flash from their bits, past the volume field', () => {
    expect(readButtons(layout, 2, report(0b00000000))).toEqual({ hookSwitch: false, phoneMute: false, flash: false });
    expect(readButtons(layout, 2, report(0b00001000))).toEqual({ hookSwitch: true, phoneMute: false, flash: false });
    expect(readButtons(layout, 2, report(0b00011111))).toEqual({ hookSwitch: true, phoneMute: true, flash: false });
    expect(readButtons(layout, 2, report(0b00100000))).toEqual({ hookSwitch: false, phoneMute: false, flash: true });
    // Another report id (a vendor report on the same interface) says nothing about the buttons.
    expect(readButtons(layout, 7, report(0xff))).toEqual({});
  });

  it('reads a button named by an array field (devices that report the pressed usage by index)', () => {
    const arr = hidLayout([{ usagePage: 0x0b, inputReports: [{ reportId: 1, items: [{ isArray: true, usages: [T(0x20), T(0x2f), T(0x21)], logicalMinimum: 1, reportSize: 8, reportCount: 1 }] }] }]);
    expect(readButtons(arr, 1, report(2))).toEqual({ hookSwitch: false, phoneMute: true, flash: false });
    expect(readButtons(arr, 1, report(0))).toEqual({ hookSwitch: false, phoneMute: false, flash: false });
  });

  it('sets the lights in the output report: off-hook and mute lit during a muted call, ring while ringing', () => {
    expect(buildLightReports(layout, { offHook: true, mute: true, ring: false, hold: false })).toEqual([{ reportId: 2, data: new Uint8Array([0b00110000]) }]);
    expect(buildLightReports(layout, { offHook: false, mute: false, ring: true, hold: false })).toEqual([{ reportId: 2, data: new Uint8Array([0b01000000]) }]);
    expect(buildLightReports(layout, { offHook: false, mute: false, ring: false, hold: false })).toEqual([{ reportId: 2, data: new Uint8Array([0]) }]);
  });

  it('turns button edges into phone commands by what the phone is doing', () => {
    const up = { hookSwitch: false, phoneMute: false, flash: false };
    expect(headsetCommands(up, { ...up, hookSwitch: true }, { ringing: true, live: false })).toEqual(['answer']);
    expect(headsetCommands({ ...up, hookSwitch: true }, up, { ringing: false, live: true })).toEqual(['hang-up']);
    expect(headsetCommands({ ...up, hookSwitch: true }, up, { ringing: true, live: false })).toEqual(['decline']);
    expect(headsetCommands(up, { ...up, phoneMute: true }, { ringing: false, live: true })).toEqual(['toggle-mute']);
    // Held down: one press, one toggle.
    expect(headsetCommands({ ...up, phoneMute: true }, { ...up, phoneMute: true }, { ringing: false, live: true })).toEqual([]);
    expect(headsetCommands(up, { ...up, flash: true }, { ringing: false, live: true })).toEqual(['toggle-hold']);
    // Nothing to act on: lifting the hook with no call, mute with no call.
    expect(headsetCommands(up, { ...up, hookSwitch: true, phoneMute: true }, { ringing: false, live: false })).toEqual([]);
  });
});
