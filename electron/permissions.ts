import type { Session } from 'electron';
import { isTelephonyDevice, type HidCollection } from '../core/call/hidTelephony';
import { isAppUrl } from './config';

/**
 * Chromium asks the embedder before a page gets a powerful feature; Electron's default is to grant
 * everything. We grant two, to our own page only:
 * - 'media', audio only: the softphone needs the microphone; nothing in the app uses the camera;
 * - 'notifications': ringing calls and new chats while the window is in the background.
 * and WebHID for headsets only (issue 15, headset buttons): our page may see and open a HID device whose
 * top-level collection is on the Telephony page (0x0B), and no other HID device (a keyboard, a security
 * key, a vendor's firmware interface). Everything else (geolocation, clipboard-read, serial/USB,
 * display-capture, openExternal, …) and every other origin is denied.
 *
 * We do not call setPermissionRequestHandler(null) first. Signal does so because it re-installs its
 * handler when the user changes a setting, and null forces Chromium to forget grants made under the old
 * rule. Ours is installed once, before the first page loads, and its answer never changes at run time, so
 * there is no earlier grant to forget.
 */
type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0] & {};
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0] & {};
type Permission = Parameters<RequestHandler>[1];
type RequestDetails = Parameters<RequestHandler>[3];
type CheckDetails = Parameters<CheckHandler>[3];

const granted: ReadonlySet<Permission> = new Set<Permission>(['media', 'notifications']);

export type PermissionLog = (line: string) => void;

export function decideRequest(permission: Permission, details: RequestDetails): boolean {
  if (!granted.has(permission) || !isAppUrl(details.requestingUrl)) return false;
  if (permission === 'media') {
    const types = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    return types.length > 0 && types.every((t) => t === 'audio');
  }
  return true;
}

export function decideCheck(permission: Permission, requestingOrigin: string, details: CheckDetails): boolean {
  // 'hid' here only lets the page ask (navigator.hid); which devices it gets is decideHidDevice's answer.
  if (permission === 'hid') return isAppUrl(requestingOrigin);
  if (!granted.has(permission) || !isAppUrl(requestingOrigin)) return false;
  if (permission === 'media') return details.mediaType !== 'video';
  return true;
}

type HidLike = { deviceId: string; name?: string; collections?: readonly HidCollection[] };

/** A device the page may use: HID, a telephony device, asked for by our own page. */
export function decideHidDevice(details: { deviceType: string; origin: string; device: unknown }): boolean {
  return details.deviceType === 'hid' && isAppUrl(details.origin) && isTelephonyDevice(details.device as HidLike);
}

/** navigator.hid.requestDevice() from our page: the first telephony device, without a chooser (Electron has none); nothing otherwise. */
export function chooseHidDevice(frameUrl: string | null, devices: readonly HidLike[]): string {
  if (!frameUrl || !isAppUrl(frameUrl)) return '';
  return devices.find((d) => isTelephonyDevice(d))?.deviceId ?? '';
}

export function installPermissionHandlers(session: Session, log: PermissionLog = (l) => console.warn(l)): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allow = decideRequest(permission, details);
    if (!allow) log(`[permissions] denied ${permission} for ${details.requestingUrl}`);
    callback(allow);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    decideCheck(permission, requestingOrigin, details),
  );
  session.setDevicePermissionHandler((details) => {
    const allow = decideHidDevice(details);
    if (!allow) log(`[permissions] denied ${details.deviceType} device for ${details.origin}`);
    return allow;
  });
  session.on('select-hid-device', (event, details, callback) => {
    // Without preventDefault Electron picks the first device itself, whatever it is.
    event.preventDefault();
    const id = chooseHidDevice(details.frame?.url ?? null, details.deviceList);
    if (!id) log(`[permissions] no telephony HID device to give ${details.frame?.url ?? 'a closed frame'}`);
    callback(id);
  });
}
