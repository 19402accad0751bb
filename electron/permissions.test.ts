import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { installPermissionHandlers } = await import('./permissions');

type Req = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: Record<string, unknown>) => void;
type Check = (contents: unknown, permission: string, origin: string, details: Record<string, unknown>) => boolean;

function install() {
  let request: Req | null = null;
  let check: Check | null = null;
  const session = {
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
  return { ask, check: (permission: string, origin: string, details: Record<string, unknown> = {}) => check!({}, permission, origin, details) };
}

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
    for (const permission of ['geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'hid', 'serial', 'usb', 'fullscreen', 'speaker-selection', 'midiSysex']) {
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
});
