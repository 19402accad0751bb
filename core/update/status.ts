import { z } from 'zod';
import { UpdateMode } from '../policy/schema';

/**
 * What the renderer is told about app updates (IPC `update:get-status` and the `update:status` event).
 * core/update/scheduler.ts decides; electron/updater.ts drives electron-updater and publishes this.
 */

/**
 * - `unsupported`: no app updates here (a web browser; the page updates with the server).
 * - `disabled`: policy says no (UpdateMode `none`, no UpdateFeedUrl) or the build cannot update itself
 *   (see `disabled`).
 * - `available`: the feed has a newer version; the download waits until no call is active.
 * - `installing`: the restart is decided and is re-checked a moment before it happens.
 */
export const UpdateState = z.enum(['unsupported', 'disabled', 'idle', 'checking', 'available', 'downloading', 'downloaded', 'installing', 'error']);
export type UpdateState = z.infer<typeof UpdateState>;

/** Why a downloaded update is not installing yet. */
export const UpdateBlock = z.enum(['in-call', 'in-shift', 'outside-window', 'awaiting-agent']);
export type UpdateBlock = z.infer<typeof UpdateBlock>;

/** Why updates are off: policy `none`, no feed, a feed that is not https, or an unpackaged build. */
export const UpdateDisabled = z.enum(['mode-none', 'no-feed', 'insecure-feed', 'not-packaged']);
export type UpdateDisabled = z.infer<typeof UpdateDisabled>;

/**
 * `verification`: the download did not match the feed's sha512 or (Windows) is not signed by us; the
 * app stays on its current version. `network`: the feed or file could not be fetched.
 */
export const UpdateFailureKind = z.enum(['verification', 'network', 'other']);
export type UpdateFailureKind = z.infer<typeof UpdateFailureKind>;
export const UpdateFailure = z.object({ kind: UpdateFailureKind, message: z.string().max(500) });
export type UpdateFailure = z.infer<typeof UpdateFailure>;

const Version = z.string().max(64);

export const UpdateStatus = z.object({
  state: UpdateState,
  mode: UpdateMode,
  currentVersion: Version,
  /** The newer version the feed offers (found, downloading or downloaded). */
  availableVersion: Version.nullable(),
  downloaded: z.boolean(),
  /** Download progress 0–100 while downloading. */
  percent: z.number().min(0).max(100).nullable(),
  blocked: UpdateBlock.nullable(),
  disabled: UpdateDisabled.nullable(),
  error: UpdateFailure.nullable(),
  /** The policy's install window (local time), shown to the agent with `outside-window`. */
  window: z.object({ start: z.string().max(5), end: z.string().max(5) }).nullable(),
  lastCheckedAt: z.number().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

/**
 * What the renderer reports so main never restarts the app under the agent. `inCall`: any call that is
 * ringing, live, on hold or in wrap-up. `inShift`: presence is anything but offline (signed out counts
 * as offline).
 */
export const UpdateActivity = z.object({ inCall: z.boolean(), inShift: z.boolean() });
export type UpdateActivity = z.infer<typeof UpdateActivity>;

export const unsupportedStatus = (currentVersion: string): UpdateStatus => ({
  state: 'unsupported',
  mode: 'none',
  currentVersion,
  availableVersion: null,
  downloaded: false,
  percent: null,
  blocked: null,
  disabled: null,
  error: null,
  window: null,
  lastCheckedAt: null,
});
