import { z } from 'zod';
import { DiagnosticsRequest, DiagnosticsSaved, LogBatch } from './diagnostics/parts';
import { DialRequest } from './dial';
import { Locale } from './locale';
import { EffectivePolicy, policyNames, type PolicyName } from './policy/schema';
import { Presence } from './presence';
import { UpdateActivity, UpdateStatus } from './update/status';
import { type BridgeName, type eventChannels, type invokeChannels } from './ipcChannels';
import type { IpcResult } from './result';

export { bridgeGlobal, bridgeName } from './ipcChannels';

/**
 * The one IPC contract between the renderer and its host (Electron main via preload, or the browser
 * host). Channel names are `area:verb-noun`. Main validates every call's arguments with these schemas
 * before a handler runs; the preload exposes one named function per channel (see `bridgeName`).
 */

/** Keys the renderer may store in the host's secure storage (Electron safeStorage / memory in web mode). */
export const SecretKey = z.enum(['auth.refresh-token', 'auth.access-token', 'sip.password']);
export type SecretKey = z.infer<typeof SecretKey>;

export const HostInfo = z.object({
  kind: z.enum(['electron', 'browser']),
  appVersion: z.string(),
  platform: z.string(),
  /** The OS's preferred languages, most preferred first (BCP 47). */
  osLanguages: z.array(z.string()),
  /** The central server's base URL; null in web mode, where the server is the page's own origin. */
  serverUrl: z.string().nullable(),
});
export type HostInfo = z.infer<typeof HostInfo>;

/** Single sign-on (RFC 8252): where the identity provider sends the browser back to. */
export const SsoRedirect = z.object({ redirectUri: z.string().max(2048) });
export type SsoRedirect = z.infer<typeof SsoRedirect>;

export const Notice = z.object({
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  /** Notices with the same tag replace each other (one ringing call = one notice). */
  tag: z.string().max(100).optional(),
});
export type Notice = z.infer<typeof Notice>;

const SecretValue = z.string().max(16 * 1024);
const HttpsUrl = z.string().max(2048);
const PolicyNameArg = z.enum(policyNames as [PolicyName, ...PolicyName[]]);

/**
 * What the desktop host can tell about the network path for the readiness check: a VPN adapter is up
 * (call media then crosses the VPN, often with extra delay), or the server is reached through a proxy
 * (WebSocket and media may be blocked or slowed by it). Hints only: the echo call measures the path.
 */
export const NetworkHints = z.object({
  vpn: z.boolean(),
  vpnInterfaces: z.array(z.string().max(64)).max(16),
  /** The proxy the OS or PAC sends the server's address through, or null for DIRECT. */
  proxy: z.string().max(500).nullable(),
});
export type NetworkHints = z.infer<typeof NetworkHints>;

export const invoke = {
  'app:get-info': { args: z.tuple([]), result: HostInfo },
  'app:set-locale': { args: z.tuple([Locale]), result: z.void() },
  /** The effective managed policy (machine policy > user > user-policy defaults > built-in defaults). */
  'policy:get': { args: z.tuple([]), result: EffectivePolicy },
  /** The agent changes a userSettable policy; refused (not-allowed) when it is managed, bad-args when invalid. */
  'policy:set-user': { args: z.tuple([PolicyNameArg, z.unknown()]), result: EffectivePolicy },
  'secrets:get': { args: z.tuple([SecretKey]), result: z.string().nullable() },
  'secrets:set': { args: z.tuple([SecretKey, SecretValue]), result: z.void() },
  'secrets:delete': { args: z.tuple([SecretKey]), result: z.void() },
  'shell:open-external': { args: z.tuple([HttpsUrl]), result: z.void() },
  /** App updates (electron/updater.ts); the browser host answers `unsupported`. */
  'update:get-status': { args: z.tuple([]), result: UpdateStatus },
  /** The agent's "Restart to update": refused (not-allowed) during a call or outside the policy's window. */
  'update:install-now': { args: z.tuple([]), result: z.void() },
  /** The renderer's call and shift state, so main never restarts the app under a call. */
  'update:set-activity': { args: z.tuple([UpdateActivity]), result: z.void() },
  'os:notify': { args: z.tuple([Notice]), result: z.void() },
  'tray:set-presence': { args: z.tuple([Presence]), result: z.void() },
  'window:bring-to-front': { args: z.tuple([]), result: z.void() },
  /** VPN and proxy hints for the readiness check; the browser host answers `unavailable`. */
  'net:get-hints': { args: z.tuple([]), result: NetworkHints },
  /** The wallboard's TV mode: the window fills the screen (true) or returns (false). The browser host uses the Fullscreen API. */
  'window:set-full-screen': { args: z.tuple([z.boolean()]), result: z.void() },
  /** Redacted log entries for the host's rotated log files (a bounded ring in the browser host). */
  'logs:append': { args: z.tuple([LogBatch]), result: z.void() },
  /** Builds the diagnostics archive from the host's logs and what the renderer sends; saves or downloads it. */
  'diagnostics:export': { args: z.tuple([DiagnosticsRequest]), result: DiagnosticsSaved },
  /** Starts a sign-in: Electron opens a loopback listener; the browser host answers with the page's own address. */
  'sso:begin': { args: z.tuple([]), result: SsoRedirect },
  /**
   * Sends the user to the provider's authorization URL in the system browser. Electron resolves with the
   * callback URL the browser brought back; the browser host navigates this page away and resolves null.
   */
  'sso:authorize': { args: z.tuple([z.string().max(8192)]), result: z.string().nullable() },
} as const;

export const events = {
  /** A `tel:` / `sip:` / `callto:` link was opened while (or by) starting the app. */
  'app:dial-request': DialRequest,
  /** The machine woke from sleep: reconnect, re-register, resync now rather than on a timer. */
  'power:resumed': z.null(),
  'power:suspending': z.null(),
  /** The update status changed (checking, downloaded, blocked by a call, …). */
  'update:status': UpdateStatus,
  /** The agent clicked an OS notification (the window is already up): its tag, so a ringing call's notice answers it. */
  'notice:activated': z.object({ tag: z.string().max(100) }),
} as const;

export type InvokeChannel = keyof typeof invoke;
export type EventChannel = keyof typeof events;
export type InvokeArgs<C extends InvokeChannel> = z.infer<(typeof invoke)[C]['args']>;
export type InvokeValue<C extends InvokeChannel> = z.infer<(typeof invoke)[C]['result']>;
export type EventPayload<E extends EventChannel> = z.infer<(typeof events)[E]>;

// The zod-free channel lists in core/ipcChannels.ts (used by the preload) must name exactly these channels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeListMatches: Same<(typeof invokeChannels)[number], InvokeChannel> = true;
const eventListMatches: Same<(typeof eventChannels)[number], EventChannel> = true;
export const channelListsMatch = invokeListMatches && eventListMatches;

/**
 * What the preload exposes as `window.switchboard` and the browser host implements: one named function
 * per invoke channel, returning the wrapped result, plus a typed event subscription.
 */
export type Bridge = {
  [C in InvokeChannel as BridgeName<C>]: (...args: InvokeArgs<C>) => Promise<IpcResult<InvokeValue<C>>>;
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
