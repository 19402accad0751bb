/**
 * Headset buttons and lights over HID (USB HID Usage Tables 1.5: Telephony Device page 0x0B, LED page
 * 0x08), as WebHID describes a device: collections with input and output reports, each report a list of
 * items, each item `reportCount` fields of `reportSize` bits, packed LSB first in item order (HID 1.11
 * §6.2.2.5 and §8.4). Pure: the WebHID service (renderer/services/headset/) feeds it the device's
 * collections and each input report's bytes, and sends the output reports it builds.
 *
 * What a button means depends on the call, as on a desk phone:
 *   Hook Switch goes off-hook (1) while a call rings   → answer
 *   Hook Switch goes on-hook (0) during a call          → hang up (a ringing call: decline)
 *   Phone Mute pressed (0 → 1; a relative button)       → mute / unmute the live call
 *   Flash pressed (0 → 1)                               → hold / resume the live call
 * The lights follow the phone, not the button: Off-Hook while a call is live, Ring while one rings, Mute
 * while the live call is muted (the headset's mute light in step with the app), Hold while it is held.
 */

export const usagePage = { led: 0x08, telephony: 0x0b } as const;
export const telephonyUsage = { hookSwitch: 0x20, flash: 0x21, phoneMute: 0x2f } as const;
export const ledUsage = { mute: 0x09, offHook: 0x17, ring: 0x18, hold: 0x20 } as const;

/** WebHID's HIDReportItem, the fields used here (usages are extended: page << 16 | id). */
export type HidReportItem = {
  isArray?: boolean;
  isRange?: boolean;
  usages?: readonly number[];
  usageMinimum?: number;
  usageMaximum?: number;
  reportSize?: number;
  reportCount?: number;
  logicalMinimum?: number;
};
export type HidReportInfo = { reportId?: number; items?: readonly HidReportItem[] };
export type HidCollection = {
  usagePage?: number;
  usage?: number;
  children?: readonly HidCollection[];
  inputReports?: readonly HidReportInfo[];
  outputReports?: readonly HidReportInfo[];
};

const ext = (page: number, id: number) => ((page << 16) | id) >>> 0;

/** A device with a top-level collection on the telephony page (a headset, speakerphone or handset). */
export function isTelephonyDevice(device: { collections?: readonly HidCollection[] }): boolean {
  return (device.collections ?? []).some((c) => c.usagePage === usagePage.telephony);
}

/** One field of one report: where its bits are. `array`: the field holds an index into `usages`. */
type Field = { bit: number; size: number; usage: number } | { bit: number; size: number; array: readonly number[]; min: number };
type Report = { reportId: number; bytes: number; fields: Field[] };
export type HidLayout = { inputs: Report[]; outputs: Report[] };

function fieldsOf(info: HidReportInfo): Report {
  const fields: Field[] = [];
  let bit = 0;
  for (const item of info.items ?? []) {
    const size = item.reportSize ?? 0;
    const count = item.reportCount ?? 0;
    const usages = item.isRange && item.usageMinimum !== undefined && item.usageMaximum !== undefined
      ? Array.from({ length: Math.max(0, Math.min(256, item.usageMaximum - item.usageMinimum + 1)) }, (_, i) => (item.usageMinimum as number) + i)
      : [...(item.usages ?? [])];
    for (let i = 0; i < count; i++) {
      if (item.isArray) fields.push({ bit, size, array: usages, min: item.logicalMinimum ?? 0 });
      // A variable item with fewer usages than fields repeats the last usage (HID 1.11 §6.2.2.8).
      else if (usages.length > 0) fields.push({ bit, size, usage: usages[Math.min(i, usages.length - 1)] as number });
      bit += size;
    }
  }
  return { reportId: info.reportId ?? 0, bytes: Math.ceil(bit / 8), fields };
}

function walk(cs: readonly HidCollection[], visit: (c: HidCollection) => void): void {
  for (const c of cs) {
    visit(c);
    walk(c.children ?? [], visit);
  }
}

/** The reports of a device's collections, with the bit position of every usage they carry. */
export function hidLayout(collections: readonly HidCollection[]): HidLayout {
  const inputs: Report[] = [];
  const outputs: Report[] = [];
  walk(collections, (c) => {
    for (const r of c.inputReports ?? []) inputs.push(fieldsOf(r));
    for (const r of c.outputReports ?? []) outputs.push(fieldsOf(r));
  });
  return { inputs, outputs };
}

const readBits = (data: DataView, bit: number, size: number): number => {
  let v = 0;
  for (let i = 0; i < size && i < 32; i++) {
    const at = bit + i;
    const byte = at >> 3;
    if (byte >= data.byteLength) break;
    if ((data.getUint8(byte) >> (at & 7)) & 1) v |= 1 << i;
  }
  return v >>> 0;
};

export type HeadsetButtons = { hookSwitch?: boolean; phoneMute?: boolean; flash?: boolean };

const buttonOf: Record<number, keyof HeadsetButtons> = {
  [ext(usagePage.telephony, telephonyUsage.hookSwitch)]: 'hookSwitch',
  [ext(usagePage.telephony, telephonyUsage.phoneMute)]: 'phoneMute',
  [ext(usagePage.telephony, telephonyUsage.flash)]: 'flash',
};

/** The telephony buttons an input report carries (a report without them gives {}). `data` excludes the report id, as WebHID delivers it. */
export function readButtons(layout: HidLayout, reportId: number, data: DataView): HeadsetButtons {
  const out: HeadsetButtons = {};
  for (const report of layout.inputs) {
    if (report.reportId !== reportId) continue;
    for (const f of report.fields) {
      const v = readBits(data, f.bit, f.size);
      if ('usage' in f) {
        const name = buttonOf[f.usage];
        if (name) out[name] = v !== 0;
      } else {
        // An array field names the pressed usage by index; every telephony usage of the array not named is up.
        for (const u of f.array) if (buttonOf[u]) out[buttonOf[u]] ??= false;
        const named = f.array[v - f.min];
        if (named !== undefined && buttonOf[named] && v !== 0) out[buttonOf[named]] = true;
      }
    }
  }
  return out;
}

export type HeadsetLights = { offHook: boolean; ring: boolean; mute: boolean; hold: boolean };

const lightOf: Record<number, keyof HeadsetLights> = {
  [ext(usagePage.led, ledUsage.offHook)]: 'offHook',
  [ext(usagePage.led, ledUsage.ring)]: 'ring',
  [ext(usagePage.led, ledUsage.mute)]: 'mute',
  [ext(usagePage.led, ledUsage.hold)]: 'hold',
};

/** The output reports that set the headset's lights; only reports that carry at least one of these lights. */
export function buildLightReports(layout: HidLayout, lights: HeadsetLights): Array<{ reportId: number; data: Uint8Array }> {
  const out: Array<{ reportId: number; data: Uint8Array }> = [];
  for (const report of layout.outputs) {
    const data = new Uint8Array(report.bytes);
    let carries = false;
    for (const f of report.fields) {
      if (!('usage' in f)) continue;
      const name = lightOf[f.usage];
      if (!name) continue;
      carries = true;
      if (lights[name]) data[f.bit >> 3] = (data[f.bit >> 3] as number) | (1 << (f.bit & 7));
    }
    if (carries) out.push({ reportId: report.reportId, data });
  }
  return out;
}

export type HeadsetCommand = 'answer' | 'decline' | 'hang-up' | 'toggle-mute' | 'toggle-hold';
export type PhoneNow = { ringing: boolean; live: boolean };

/** What a change of the buttons asks of the phone (edges, not levels: a held button acts once). */
export function headsetCommands(prev: HeadsetButtons, next: HeadsetButtons, phone: PhoneNow): HeadsetCommand[] {
  const cmds: HeadsetCommand[] = [];
  const rose = (k: keyof HeadsetButtons) => next[k] === true && prev[k] !== true;
  const fell = (k: keyof HeadsetButtons) => next[k] === false && prev[k] === true;
  if (rose('hookSwitch') && phone.ringing) cmds.push('answer');
  else if (fell('hookSwitch')) {
    if (phone.live) cmds.push('hang-up');
    else if (phone.ringing) cmds.push('decline');
  }
  if (rose('phoneMute') && phone.live) cmds.push('toggle-mute');
  if (rose('flash') && phone.live) cmds.push('toggle-hold');
  return cmds;
}
