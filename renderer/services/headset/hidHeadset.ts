import {
  buildLightReports,
  headsetCommands,
  hidLayout,
  isTelephonyDevice,
  usagePage,
  readButtons,
  type HeadsetButtons,
  type HeadsetCommand,
  type HeadsetLights,
  type HidCollection,
  type HidLayout,
  type PhoneNow,
} from '../../../core/call/hidTelephony';

/**
 * A USB/Bluetooth headset's call buttons and lights through WebHID (core/call/hidTelephony.ts reads and
 * writes the reports). The agent connects it once in Settings → Phone (requestDevice needs a click); after
 * that the browser or the desktop host remembers the grant and getDevices() finds it at every start. The
 * desktop host grants HID for telephony devices only (electron/permissions.ts).
 *
 * The WebHID types are declared here (TypeScript's DOM lib has none), only what is used.
 */
export type HidInputReportEvent = { reportId: number; data: DataView };
export type HidDeviceLike = {
  readonly opened: boolean;
  readonly productName: string;
  readonly collections: readonly HidCollection[];
  open(): Promise<void>;
  close(): Promise<void>;
  sendReport(reportId: number, data: Uint8Array): Promise<void>;
  addEventListener(type: 'inputreport', listener: (e: HidInputReportEvent) => void): void;
  removeEventListener(type: 'inputreport', listener: (e: HidInputReportEvent) => void): void;
};
export type HidLike = {
  getDevices(): Promise<HidDeviceLike[]>;
  requestDevice(options: { filters: Array<{ usagePage: number }> }): Promise<HidDeviceLike[]>;
  addEventListener(type: 'disconnect', listener: (e: { device: HidDeviceLike }) => void): void;
};

export type HeadsetStatus = { kind: 'unsupported' } | { kind: 'none' } | { kind: 'connected'; name: string } | { kind: 'failed'; message: string };

export type HidHeadset = {
  status(): HeadsetStatus;
  subscribe(listener: () => void): () => void;
  /** From a click: asks for a telephony device (the browser's chooser, or the host's pick) and opens it. */
  connect(): Promise<void>;
  /** At start: opens a headset granted earlier, if one is plugged in. */
  resume(): Promise<void>;
  /** Sets the lights (only what changed is sent). */
  setLights(lights: HeadsetLights): void;
  dispose(): void;
};

export function createHidHeadset(deps: {
  hid: HidLike | undefined;
  /** What the phone is doing when a button is pressed. */
  phoneNow(): PhoneNow;
  onCommand(cmd: HeadsetCommand): void;
  log(line: string): void;
}): HidHeadset {
  const { hid } = deps;
  let status: HeadsetStatus = hid ? { kind: 'none' } : { kind: 'unsupported' };
  const listeners = new Set<() => void>();
  let device: HidDeviceLike | null = null;
  let layout: HidLayout = { inputs: [], outputs: [] };
  let buttons: HeadsetButtons = {};
  let lights: HeadsetLights = { offHook: false, ring: false, mute: false, hold: false };
  let sentLights = '';

  const set = (next: HeadsetStatus) => {
    status = next;
    for (const l of listeners) l();
  };
  const onReport = (e: HidInputReportEvent) => {
    const next = { ...buttons, ...readButtons(layout, e.reportId, e.data) };
    const cmds = headsetCommands(buttons, next, deps.phoneNow());
    buttons = next;
    for (const c of cmds) {
      deps.log(`[headset] ${c}`);
      deps.onCommand(c);
    }
  };
  const sendLights = () => {
    const key = JSON.stringify(lights);
    if (!device || key === sentLights) return;
    sentLights = key;
    for (const r of buildLightReports(layout, lights)) {
      device.sendReport(r.reportId, r.data).catch((e: unknown) => deps.log(`[headset] lights not set: ${String(e)}`));
    }
  };
  const take = async (d: HidDeviceLike) => {
    if (!isTelephonyDevice(d)) return;
    if (!d.opened) await d.open();
    device?.removeEventListener('inputreport', onReport);
    device = d;
    layout = hidLayout(d.collections);
    buttons = {};
    sentLights = '';
    d.addEventListener('inputreport', onReport);
    set({ kind: 'connected', name: d.productName });
    deps.log(`[headset] connected: ${d.productName}`);
    sendLights();
  };
  const fail = (e: unknown) => set({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });

  hid?.addEventListener('disconnect', (e) => {
    if (e.device !== device) return;
    device.removeEventListener('inputreport', onReport);
    device = null;
    deps.log('[headset] disconnected');
    set({ kind: 'none' });
  });

  return {
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async connect() {
      if (!hid) return;
      try {
        const [d] = await hid.requestDevice({ filters: [{ usagePage: usagePage.telephony }] });
        if (d) await take(d);
      } catch (e) {
        fail(e);
      }
    },
    async resume() {
      if (!hid) return;
      try {
        const d = (await hid.getDevices()).find((x) => isTelephonyDevice(x));
        if (d) await take(d);
      } catch (e) {
        fail(e);
      }
    },
    setLights(next) {
      lights = next;
      sendLights();
    },
    dispose() {
      device?.removeEventListener('inputreport', onReport);
      device = null;
    },
  };
}
