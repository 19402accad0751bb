import type { Logger } from 'electron-updater';
import type { AppUpdaterEvents } from 'electron-updater/out/AppUpdater';
import {
  checkDue,
  defaultTiming,
  disabledReason,
  downloadDue,
  initialSchedulerState,
  installVerdict,
  localMinuteOfDay,
  reduceScheduler,
  updateFailureOf,
  updateStatusOf,
  type InstallTrigger,
  type SchedulerEvent,
  type SchedulerState,
  type UpdatePolicy,
  type UpdateTiming,
} from '../core/update/scheduler';
import type { UpdateActivity, UpdateStatus } from '../core/update/status';
import { HostError } from './ipc/hostError';

/**
 * Drives electron-updater's autoUpdater from the pure scheduler (core/update/scheduler.ts): this file
 * owns the timers and the updater object, the scheduler owns every decision. The updater is created
 * only once policy allows updates, so under `none` (or without a feed) electron-updater is never even
 * constructed, let alone asked to check.
 *
 * Installing is two-step: when the scheduler allows it we wait `installGraceMs`, then ask the scheduler
 * again with the latest activity before calling quitAndInstall. The renderer reports a new call over
 * IPC, so a call that rang in just after the decision arrives within the grace period and cancels it.
 */

/** The part of electron-updater's AppUpdater we use; tests pass a fake. */
export type UpdaterPort = {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  disableWebInstaller: boolean;
  logger: Logger | null;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  /** Resolves null when the updater is inactive (an unpackaged build, a Linux build that is not an AppImage/deb/rpm). */
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on<E extends keyof AppUpdaterEvents>(event: E, listener: AppUpdaterEvents[E]): unknown;
};

export type UpdateControllerDeps = {
  currentVersion: string;
  /** The effective update policy, read at every decision (the policy loader may change it at run time). */
  policy: () => UpdatePolicy;
  /** Called at most once, and only when policy allows updates. */
  createUpdater: () => UpdaterPort;
  /** Sends `update:status` to the renderer; called only when the status changed. */
  publish: (status: UpdateStatus) => void;
  log: (line: string) => void;
  now?: () => number;
  /** Local minute of the day (0–1439) at `now`, for the update window. */
  minuteOfDay?: (now: number) => number;
  random?: () => number;
  timing?: UpdateTiming;
  /** How often decisions are re-evaluated (window start, end of shift, due checks). */
  tickMs?: number;
  /** Between the install decision and quitAndInstall; a call starting meanwhile cancels. */
  installGraceMs?: number;
};

export type UpdateController = {
  start(): void;
  stop(): void;
  status(): UpdateStatus;
  /** From the renderer: is a call active, is the agent in a shift. */
  setActivity(activity: UpdateActivity): void;
  /** The agent's "Restart to update"; throws HostError when it may not happen now. */
  installNow(): void;
  /** The effective policy changed (the policy loader calls this). */
  policyChanged(): void;
};

export function createUpdateController(deps: UpdateControllerDeps): UpdateController {
  const now = deps.now ?? (() => Date.now());
  const minuteOfDay = deps.minuteOfDay ?? localMinuteOfDay;
  const random = deps.random ?? Math.random;
  const timing = deps.timing ?? defaultTiming;
  const tickMs = deps.tickMs ?? 60_000;
  const graceMs = deps.installGraceMs ?? 3_000;
  const log = (line: string) => deps.log(`[update] ${line}`);

  let state: SchedulerState = initialSchedulerState({ now: now(), random, timing });
  // Until the renderer reports, assume a shift without a call: nothing installs in default mode by surprise.
  let activity: UpdateActivity = { inCall: false, inShift: true };
  let updater: UpdaterPort | null = null;
  let feedInUse: string | null = null;
  let notPackaged = false;
  let pendingInstall: { trigger: InstallTrigger; timer: ReturnType<typeof setTimeout> } | null = null;
  let restarting = false;
  let ticker: ReturnType<typeof setInterval> | null = null;
  // The renderer asks for the status when it starts (update:get-status); events carry changes only.
  let lastPublished = '';

  const dispatch = (event: SchedulerEvent) => {
    state = reduceScheduler(state, event, { now: now(), random, timing });
  };
  const verdict = (trigger: InstallTrigger) => installVerdict(state, deps.policy(), activity, minuteOfDay(now()), trigger);

  function status(): UpdateStatus {
    return updateStatusOf({
      state,
      policy: deps.policy(),
      activity,
      minuteOfDay: minuteOfDay(now()),
      currentVersion: deps.currentVersion,
      installing: pendingInstall !== null || restarting,
      notPackaged,
    });
  }

  function publish(): void {
    const next = status();
    const key = JSON.stringify(next);
    if (key === lastPublished) return;
    lastPublished = key;
    deps.publish(next);
  }

  function fail(err: unknown): void {
    const failure = updateFailureOf(err instanceof Error ? err : { message: String(err) });
    log(`${failure.kind} failure${state.version ? ` for ${state.version}` : ''}: ${failure.message}; staying on ${deps.currentVersion}`);
    dispatch({ type: 'failed', failure });
    publish();
  }

  function ensureUpdater(feedUrl: string): UpdaterPort {
    if (!updater) {
      const u = deps.createUpdater();
      // The scheduler decides when to download and when to install; electron-updater does neither on its own.
      u.autoDownload = false;
      u.autoInstallOnAppQuit = false;
      u.allowDowngrade = false;
      // Web installers may skip signature verification (electron-updater's own note); we never want one.
      u.disableWebInstaller = true;
      u.logger = {
        info: (m: unknown) => log(String(m)),
        warn: (m: unknown) => log(`warn: ${String(m)}`),
        error: (m: unknown) => log(`error: ${String(m)}`),
      };
      u.on('update-available', (info) => {
        log(`${info.version} is available (running ${deps.currentVersion})`);
        dispatch({ type: 'update-available', version: info.version });
        evaluate();
      });
      u.on('update-not-available', () => {
        dispatch({ type: 'update-not-available' });
        publish();
      });
      u.on('download-progress', (p) => {
        dispatch({ type: 'download-progress', percent: Math.floor(p.percent) });
        publish();
      });
      u.on('update-downloaded', (e) => {
        log(`${e.version} downloaded and verified`);
        dispatch({ type: 'update-downloaded', version: e.version });
        evaluate();
      });
      // electron-updater emits 'error' and also rejects the promise; the phase check keeps it to one failure.
      u.on('error', (err) => {
        if (pendingInstall || restarting || state.phase === 'checking' || state.phase === 'available' || state.phase === 'downloading' || state.phase === 'downloaded') {
          cancelInstall('the updater failed');
          restarting = false;
          fail(err);
        }
      });
      updater = u;
    }
    if (feedInUse !== feedUrl) {
      updater.setFeedURL({ provider: 'generic', url: feedUrl });
      feedInUse = feedUrl;
    }
    return updater;
  }

  function check(feedUrl: string): void {
    const u = ensureUpdater(feedUrl);
    dispatch({ type: 'check-started' });
    log(`checking ${feedUrl}`);
    u.checkForUpdates().then(
      (result) => {
        if (result === null) {
          // electron-updater skips unpackaged builds; nothing more to do in this run.
          notPackaged = true;
          dispatch({ type: 'update-not-available' });
          publish();
        }
      },
      (err: unknown) => {
        if (state.phase === 'checking') fail(err);
      },
    );
  }

  function download(): void {
    if (!updater) return;
    dispatch({ type: 'download-started' });
    log(`downloading ${state.version}`);
    updater.downloadUpdate().catch((err: unknown) => {
      if (state.phase === 'downloading') fail(err);
    });
  }

  function cancelInstall(why: string): void {
    if (!pendingInstall) return;
    clearTimeout(pendingInstall.timer);
    pendingInstall = null;
    log(`install of ${state.version} cancelled: ${why}`);
  }

  function beginInstall(trigger: InstallTrigger): void {
    log(`installing ${state.version} in ${graceMs} ms unless a call starts (${trigger === 'agent' ? 'the agent asked' : 'allowed by policy'})`);
    const timer = setTimeout(() => finishInstall(trigger), graceMs);
    pendingInstall = { trigger, timer };
    publish();
  }

  function finishInstall(trigger: InstallTrigger): void {
    pendingInstall = null;
    // The last word, immediately before the restart: a call may have started since the decision.
    const again = verdict(trigger);
    if (!again.install || !updater) {
      log(`install of ${state.version} called off at the last moment: ${again.install ? 'no updater' : again.reason}`);
      publish();
      return;
    }
    restarting = true;
    publish();
    log(`restarting into ${state.version}`);
    // Silent (no installer UI on Windows) and run the app again afterwards.
    updater.quitAndInstall(true, true);
  }

  function evaluate(): void {
    if (restarting) return;
    const policy = deps.policy();
    if (disabledReason(policy) !== null || notPackaged) {
      cancelInstall('updates are off by policy');
      publish();
      return;
    }
    if (checkDue(state, policy, now()) && policy.feedUrl !== null) check(policy.feedUrl);
    else if (downloadDue(state, policy, activity)) download();
    else if (!pendingInstall && verdict('auto').install) beginInstall('auto');
    publish();
  }

  lastPublished = JSON.stringify(status());

  return {
    start() {
      if (ticker) return;
      const reason = disabledReason(deps.policy());
      log(reason ? `updates off (${reason})` : `updates on (${deps.policy().mode}), running ${deps.currentVersion}`);
      ticker = setInterval(evaluate, tickMs);
      evaluate();
    },
    stop() {
      if (ticker) clearInterval(ticker);
      ticker = null;
      cancelInstall('stopping');
    },
    status,
    setActivity(next) {
      activity = next;
      if (next.inCall) cancelInstall('a call started');
      evaluate();
    },
    installNow() {
      const v = verdict('agent');
      if (!v.install) {
        switch (v.reason) {
          case 'in-call':
            throw new HostError('not-allowed', 'A call is active: the update can install when the call (and its wrap-up) is over.');
          case 'outside-window':
            throw new HostError('not-allowed', 'Your IT team allows updates only inside the update window.');
          case 'disabled':
            throw new HostError('unavailable', 'Updates are turned off on this computer.');
          default:
            throw new HostError('unavailable', 'No update has been downloaded yet.');
        }
      }
      if (pendingInstall || restarting) return;
      beginInstall('agent');
    },
    policyChanged() {
      evaluate();
    },
  };
}
