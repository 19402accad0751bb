import { SipAccountOverride } from '../../../core/wire/sip';
import type { Host } from '../host/host';
import type { DeviceKind } from './phone';

/**
 * The agent's phone preferences on this machine: Settings overrides of the SIP account and the chosen
 * audio devices in local storage, the SIP password in the host's secure storage (never local storage).
 */
export const phoneStorageKeys = { overrides: 'switchboard.sip-override', devices: 'switchboard.phone-devices', secondRing: 'switchboard.second-ring' } as const;

type Storage = { getItem(key: string): string | null; setItem(key: string, value: string): void };

export const noDevices: Record<DeviceKind, string> = { microphone: '', speaker: '', ringer: '' };

function readJson(storage: Storage, key: string): unknown {
  try {
    return JSON.parse(storage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

export function createPhonePrefs(storage: Storage, host: Pick<Host, 'setSecret' | 'deleteSecret'>) {
  return {
    overrides(): SipAccountOverride {
      const saved = SipAccountOverride.safeParse(readJson(storage, phoneStorageKeys.overrides));
      return saved.success && saved.data ? saved.data : {};
    },
    devices(): Record<DeviceKind, string> {
      const saved = readJson(storage, phoneStorageKeys.devices) as Partial<Record<DeviceKind, unknown>> | null;
      const devices = { ...noDevices };
      for (const k of Object.keys(noDevices) as DeviceKind[]) if (typeof saved?.[k] === 'string') devices[k] = saved[k];
      return devices;
    },
    saveDevices(devices: Record<DeviceKind, string>): void {
      storage.setItem(phoneStorageKeys.devices, JSON.stringify(devices));
    },
    /** The second ring's output: null off (the default), '' the system default output, else a device id. */
    secondRing(): string | null {
      const saved = readJson(storage, phoneStorageKeys.secondRing) as { device?: unknown } | null;
      return typeof saved?.device === 'string' ? saved.device.slice(0, 256) : null;
    },
    saveSecondRing(device: string | null): void {
      storage.setItem(phoneStorageKeys.secondRing, JSON.stringify({ device }));
    },
    /** Empty strings clear a field; the password goes to the host's secure storage. Returns what is kept in the store. */
    async saveOverrides(raw: SipAccountOverride, options?: { clearPassword?: boolean }): Promise<SipAccountOverride> {
      const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
      const parsed = SipAccountOverride.parse(cleaned);
      const { password, ...rest } = parsed;
      if (password) await host.setSecret('sip.password', password);
      else if (options?.clearPassword) await host.deleteSecret('sip.password');
      storage.setItem(phoneStorageKeys.overrides, JSON.stringify(rest));
      return rest;
    },
  };
}

export type PhonePrefs = ReturnType<typeof createPhonePrefs>;
