import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { installPermissionHandlers } = await import('./permissions');

type Req = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: Record<string, unknown>) => void;
type Check = (contents: unknown, permission: string, origin: string, details: Record<string, unknown>) => boolean;

type DeviceCheck = (details: { deviceType: string; origin: string; device: unknown }) => boolean;
type SelectHid = (event: { preventDefault(): void }, details: { frame: { url: string } | null; deviceList: unknown[] }, callback: (id: string) => void) => void;

function install() {
  let request: Req | null = null;
  let check: Check | null = null;
  let device: DeviceCheck | null = null;
  let select: SelectHid | null = null;
  const session = {
    setDevicePermissionHandler: (h: DeviceCheck) => {
      device = h;
    },
    on: (event: string, h: SelectHid) => {
      if (event === 'select-hid-device') select = h;
    },
    setPermissionRequestHandler: (h: Req) => {
      request = h;
    },
    setPermissionCheckHandler: (h: Check) => {
      check = h;
    },
  };
  installPermissionHandlers(session as unknown as Session, () => undefined);
  const ask = (permission: string, details: Record<string, unknown>) => {
    let answer: boolean | undefined;
    request!({}, permission, (g) => (answer = g), details);
    return answer;
  };
  const choose = (url: string | null, deviceList: unknown[]) => {
    let chosen: string | undefined;
    let prevented = false;
    select!({ preventDefault: () => (prevented = true) }, { frame: url ? { url } : null, deviceList }, (id) => (chosen = id));
    return { chosen, prevented };
  };
  return { ask, check: (permission: string, origin: string, details: Record<string, unknown> = {}) => check!({}, permission, origin, details), device: (d: Parameters<DeviceCheck>[0]) => device!(d), choose };
}

const headset = { deviceId: 'hs1', name: 'Jabra Evolve2 65', vendorId: 0x0b0e, productId: 0x24b8, collections: [{ usagePage: 0x0b, usage: 0x05, type: 1, children: [], inputReports: [], outputReports: [], featureReports: [] }] };
const keyboard = { deviceId: 'kb1', name: 'USB Keyboard', vendorId: 0x046d, productId: 0xc31c, collections: [{ usagePage: 0x01, usage: 0x06, type: 1, children: [], inputReports: [], outputReports: [], featureReports: [] }] };
const securityKey = { deviceId: 'fido1', name: 'Security Key', vendorId: 0x1050, productId: 0x0407, collections: [{ usagePage: 0xf1d0, usage: 0x01, type: 1, children: [], inputReports: [], outputReports: [], featureReports: [] }] };

const page = 'app://switchboard/index.html';

describe('permission handlers', () => {
  it('grants the microphone and notifications to our own page', () => {
    const p = install();
    expect(p.ask('media', { requestingUrl: page, mediaTypes: ['audio'] })).toBe(true);
    expect(p.ask('notifications', { requestingUrl: page })).toBe(true);
    expect(p.check('media', 'app://switchboard', { mediaType: 'audio' })).toBe(true);
    expect(p.check('notifications', 'app://switchboard')).toBe(true);
  });

  it('denies the camera even to our own page', () => {
    const p = install();
    expect(p.ask('media', { requestingUrl: page, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(p.ask('media', { requestingUrl: page, mediaTypes: ['video'] })).toBe(false);
    expect(p.check('media', 'app://switchboard', { mediaType: 'video' })).toBe(false);
  });

  it('denies every other permission to our page', () => {
    const p = install();
    for (const permission of ['geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'serial', 'usb', 'fullscreen', 'speaker-selection', 'midiSysex']) {
      expect(p.ask(permission, { requestingUrl: page }), permission).toBe(false);
      expect(p.check(permission, 'app://switchboard'), permission).toBe(false);
    }
  });

  it('denies media and notifications to any other origin', () => {
    const p = install();
    for (const origin of ['https://evil.example', 'file:///index.html', 'app://other', 'http://127.0.0.1:7600', 'app://switchboard.evil.example']) {
      expect(p.ask('media', { requestingUrl: `${origin}/`, mediaTypes: ['audio'] }), origin).toBe(false);
      expect(p.ask('notifications', { requestingUrl: `${origin}/` }), origin).toBe(false);
      expect(p.check('media', origin, { mediaType: 'audio' }), origin).toBe(false);
    }
  });

  describe('WebHID: headsets only (issue 15)', () => {
    it('lets our page ask for HID devices; no other origin', () => {
      const p = install();
      expect(p.check('hid', 'app://switchboard')).toBe(true);
      expect(p.check('hid', 'https://evil.example')).toBe(false);
      // There is no grant-everything request path for HID.
      expect(p.ask('hid', { requestingUrl: page })).toBe(false);
    });

    it('gives our page a telephony headset and never a keyboard or a security key', () => {
      const p = install();
      expect(p.device({ deviceType: 'hid', origin: 'app://switchboard', device: headset })).toBe(true);
      expect(p.device({ deviceType: 'hid', origin: 'app://switchboard', device: keyboard })).toBe(false);
      expect(p.device({ deviceType: 'hid', origin: 'app://switchboard', device: securityKey })).toBe(false);
      expect(p.device({ deviceType: 'hid', origin: 'https://evil.example', device: headset })).toBe(false);
      expect(p.device({ deviceType: 'usb', origin: 'app://switchboard', device: headset })).toBe(false);
      expect(p.device({ deviceType: 'serial', origin: 'app://switchboard', device: { portId: '1' } })).toBe(false);
    });

    it('answers requestDevice with the headset among other devices, with nothing when there is none or the frame is not ours', () => {
      const p = install();
      expect(p.choose(page, [keyboard, securityKey, headset])).toEqual({ chosen: 'hs1', prevented: true });
      expect(p.choose(page, [keyboard, securityKey])).toEqual({ chosen: '', prevented: true });
      expect(p.choose('https://evil.example/', [headset])).toEqual({ chosen: '', prevented: true });
      expect(p.choose(null, [headset])).toEqual({ chosen: '', prevented: true });
    });
  });
});
