import { backoffDelay } from '../backoff';
import type { EffectivePolicy, UpdateMode, UpdateWindow } from '../policy/schema';
import type { UpdateActivity, UpdateBlock, UpdateDisabled, UpdateFailure, UpdateStatus } from './status';

/**
 * When to check for, download and install an app update: decided here, without Electron or timers, so
 * "never restart mid-call" is a property of one pure module that the tests drive over simulated days.
 * electron/updater.ts feeds it electron-updater's events and acts on its answers.
 *
 * ```
 *   (any state) ── policy none / no feed ──► disabled: nothing is checked, nothing installs
 *
 *   idle ── check due (every ~4 h, jittered) ──► checking ── not available ──► idle
 *                                                  │  └── failed ──► error ── due (backoff) ──► checking
 *                                                  ▼
 *                                          available(v) ── no call active ──► downloading(v)
 *                                                                               │   └── failed (sha512, signature,
 *                                                                               ▼        network) ──► error; stays on
 *                                                                        downloaded(v)              the current version
 *                                                                               │
 *              install allowed (installVerdict), re-checked right before quitAndInstall
 *                                                                               ▼
 *                                                                      app restarts into v
 * ```
 *
 * Rules for installing a downloaded update (installVerdict):
 * - never while a call is ringing, live, on hold or in wrap-up — in every mode, even when the agent asks;
 * - `default`: when the agent is not in a shift (presence offline / signed out), or inside the update
 *   window if the policy sets one; the agent may also restart now ("Restart to update");
 * - `window`: only inside the update window (no window set: never — IT asked for one and did not give it);
 * - `manual`: only when the agent clicks "Restart to update". The update is still *downloaded* in the
 *   background, so the click restarts at once instead of starting a long download on home Wi-Fi; IT
 *   chose manual to control when the app restarts, not whether bytes move;
 * - `none`: never checks, never downloads, never installs (not even an update downloaded earlier).
 *
 * Downloads start only while no call is active: a 100 MB download competes with call audio on a home
 * connection. A download that is running when a call starts carries on (electron-updater cannot pause).
 */

export type UpdatePolicy = { mode: UpdateMode; window: UpdateWindow | null; feedUrl: string | null };

export const updatePolicyOf = (policy: EffectivePolicy): UpdatePolicy => ({
  mode: policy.values.UpdateMode,
  window: policy.values.UpdateWindow,
  feedUrl: policy.values.UpdateFeedUrl,
});

export type UpdateTiming = {
  /** Delay of the first check after start, drawn from [minStartMs, minStartMs + startJitterMs). */
  minStartMs: number;
  startJitterMs: number;
  /** Between successful checks: intervalMs plus up to intervalJitterMs, so a fleet does not check in lockstep. */
  intervalMs: number;
  intervalJitterMs: number;
  /** After failures: full-jitter exponential backoff (core/backoff.ts), at least minRetryMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  minRetryMs: number;
};

export const defaultTiming: UpdateTiming = {
  minStartMs: 60_000,
  startJitterMs: 4 * 60_000,
  intervalMs: 4 * 3_600_000,
  intervalJitterMs: 30 * 60_000,
  retryBaseMs: 5 * 60_000,
  retryMaxMs: 4 * 3_600_000,
  minRetryMs: 60_000,
};

export type SchedulerPhase = 'idle' | 'checking' | 'available' | 'downloading' | 'downloaded' | 'error';

export type SchedulerState = {
  phase: SchedulerPhase;
  /** The version found, downloading or downloaded. */
  version: string | null;
  percent: number | null;
  /** Consecutive failures, for the backoff; reset by a successful check. */
  failures: number;
  error: UpdateFailure | null;
  lastCheckedAt: number | null;
  /** When the next check is due (idle and error only). */
  nextCheckAt: number | null;
};

export type SchedulerEvent =
  | { type: 'check-started' }
  | { type: 'update-available'; version: string }
  | { type: 'update-not-available' }
  | { type: 'download-started' }
  | { type: 'download-progress'; percent: number }
  | { type: 'update-downloaded'; version: string }
  | { type: 'failed'; failure: UpdateFailure };

/** Time and randomness, injected so tests replay days of checks deterministically. */
export type SchedulerContext = { now: number; random: () => number; timing?: UpdateTiming };

export function initialSchedulerState(ctx: SchedulerContext): SchedulerState {
  const t = ctx.timing ?? defaultTiming;
  return {
    phase: 'idle',
    version: null,
    percent: null,
    failures: 0,
    error: null,
    lastCheckedAt: null,
    nextCheckAt: ctx.now + t.minStartMs + Math.floor(ctx.random() * t.startJitterMs),
  };
}

const isLoopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Why updates cannot run under this policy, or null. A plain-http feed is refused except on loopback:
 * electron-updater checks the download against the sha512 in the feed's own latest*.yml, so over http
 * whoever sits on the network path could serve both a different file and its matching hash.
 */
export function disabledReason(policy: UpdatePolicy): UpdateDisabled | null {
  if (policy.mode === 'none') return 'mode-none';
  if (policy.feedUrl === null) return 'no-feed';
  let url: URL;
  try {
    url = new URL(policy.feedUrl);
  } catch {
    return 'no-feed';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return 'insecure-feed';
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

/**
 * Whether `minuteOfDay` (local time, 0–1439) lies in the window; `start` inclusive, `end` exclusive. An
 * `end` before `start` spans midnight (22:00–04:00). `start` equal to `end` is the whole day.
 */
export function insideWindow(window: UpdateWindow, minuteOfDay: number): boolean {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return true;
  if (start < end) return minuteOfDay >= start && minuteOfDay < end;
  return minuteOfDay >= start || minuteOfDay < end;
}

/** The minute of the day in the machine's local time zone, as the update window is written. */
export const localMinuteOfDay = (epochMs: number): number => {
  const d = new Date(epochMs);
  return d.getHours() * 60 + d.getMinutes();
};

export function reduceScheduler(state: SchedulerState, event: SchedulerEvent, ctx: SchedulerContext): SchedulerState {
  const t = ctx.timing ?? defaultTiming;
  switch (event.type) {
    case 'check-started':
      return { ...state, phase: 'checking', nextCheckAt: null };
    case 'update-not-available':
      return {
        ...state,
        phase: 'idle',
        version: null,
        percent: null,
        failures: 0,
        error: null,
        lastCheckedAt: ctx.now,
        nextCheckAt: ctx.now + t.intervalMs + Math.floor(ctx.random() * t.intervalJitterMs),
      };
    case 'update-available':
      return { ...state, phase: 'available', version: event.version, percent: null, failures: 0, error: null, lastCheckedAt: ctx.now, nextCheckAt: null };
    case 'download-started':
      return state.phase === 'available' ? { ...state, phase: 'downloading', percent: 0 } : state;
    case 'download-progress':
      return state.phase === 'downloading' ? { ...state, percent: Math.max(0, Math.min(100, event.percent)) } : state;
    case 'update-downloaded':
      return { ...state, phase: 'downloaded', version: event.version, percent: 100, error: null };
    case 'failed': {
      // Whatever failed, nothing is kept as installable: a file that failed verification is never installed.
      const delay = Math.max(t.minRetryMs, backoffDelay(state.failures, { baseMs: t.retryBaseMs, maxMs: t.retryMaxMs, random: ctx.random }));
      return { ...state, phase: 'error', version: null, percent: null, failures: state.failures + 1, error: event.failure, nextCheckAt: ctx.now + delay };
    }
  }
}

/** Whether to call checkForUpdates now. Never under `none` or without a usable feed. */
export function checkDue(state: SchedulerState, policy: UpdatePolicy, now: number): boolean {
  if (disabledReason(policy) !== null) return false;
  if (state.phase !== 'idle' && state.phase !== 'error') return false;
  return state.nextCheckAt !== null && now >= state.nextCheckAt;
}

/** Whether to start downloading the version found: not while the agent is on a call. */
export function downloadDue(state: SchedulerState, policy: UpdatePolicy, activity: UpdateActivity): boolean {
  return disabledReason(policy) === null && state.phase === 'available' && !activity.inCall;
}

/** Who asks: the scheduler on its own, or the agent's "Restart to update". */
export type InstallTrigger = 'auto' | 'agent';

export type InstallVerdict = { install: true } | { install: false; reason: UpdateBlock | 'disabled' | 'not-downloaded' };

export function installVerdict(
  state: SchedulerState,
  policy: UpdatePolicy,
  activity: UpdateActivity,
  minuteOfDay: number,
  trigger: InstallTrigger,
): InstallVerdict {
  if (disabledReason(policy) !== null) return { install: false, reason: 'disabled' };
  if (state.phase !== 'downloaded') return { install: false, reason: 'not-downloaded' };
  if (activity.inCall) return { install: false, reason: 'in-call' };
  const inWindow = policy.window !== null && insideWindow(policy.window, minuteOfDay);
  switch (policy.mode) {
    case 'manual':
      return trigger === 'agent' ? { install: true } : { install: false, reason: 'awaiting-agent' };
    case 'window':
      return inWindow ? { install: true } : { install: false, reason: 'outside-window' };
    case 'default':
      if (trigger === 'agent' || !activity.inShift || inWindow) return { install: true };
      return { install: false, reason: 'in-shift' };
    case 'none':
      return { install: false, reason: 'disabled' };
  }
}

export type StatusInput = {
  state: SchedulerState;
  policy: UpdatePolicy;
  activity: UpdateActivity;
  minuteOfDay: number;
  currentVersion: string;
  installing: boolean;
  /** The updater reported it cannot run in this build (electron-updater skips unpackaged apps). */
  notPackaged: boolean;
};

/** The status the renderer shows. `blocked` explains a downloaded update that is waiting. */
export function updateStatusOf(input: StatusInput): UpdateStatus {
  const { state, policy } = input;
  const disabled = disabledReason(policy) ?? (input.notPackaged ? 'not-packaged' : null);
  const verdict = installVerdict(state, policy, input.activity, input.minuteOfDay, 'auto');
  const blocked = !verdict.install && verdict.reason !== 'disabled' && verdict.reason !== 'not-downloaded' ? verdict.reason : null;
  return {
    state: disabled ? 'disabled' : input.installing ? 'installing' : state.phase,
    mode: policy.mode,
    currentVersion: input.currentVersion,
    availableVersion: disabled ? null : state.version,
    downloaded: !disabled && state.phase === 'downloaded',
    percent: state.phase === 'downloading' ? state.percent : null,
    blocked: disabled || input.installing ? null : blocked,
    disabled,
    error: state.error,
    window: policy.window,
    lastCheckedAt: state.lastCheckedAt,
  };
}

/**
 * An electron-updater error as the agent and IT see it. builder-util-runtime tags a hash mismatch
 * ERR_CHECKSUM_MISMATCH ("sha512 checksum mismatch, expected …"); the NSIS updater tags an installer
 * not signed by our publisher ERR_UPDATER_INVALID_SIGNATURE. Either way the file is not installed.
 */
export function updateFailureOf(err: { code?: unknown; message?: unknown }): UpdateFailure {
  const code = typeof err.code === 'string' ? err.code : '';
  const raw = typeof err.message === 'string' ? err.message : String(err.message ?? 'unknown error');
  // The first line only: electron-updater appends stacks and whole HTTP response bodies.
  const message = (raw.split('\n')[0] ?? '').slice(0, 500);
  if (code === 'ERR_CHECKSUM_MISMATCH' || code === 'ERR_UPDATER_INVALID_SIGNATURE' || /checksum mismatch|not signed/i.test(raw)) {
    return { kind: 'verification', message };
  }
  if (/^(ECONN|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ERR_NETWORK|HTTP_ERROR)/.test(code) || /net::|socket hang up|status code|HttpError/i.test(raw)) {
    return { kind: 'network', message };
  }
  return { kind: 'other', message };
}
