import { describe, expect, it } from 'vitest';
import type { UpdateMode, UpdateWindow } from '../policy/schema';
import {
  checkDue,
  defaultTiming,
  disabledReason,
  downloadDue,
  initialSchedulerState,
  insideWindow,
  installVerdict,
  reduceScheduler,
  updateFailureOf,
  updateStatusOf,
  type SchedulerContext,
  type SchedulerEvent,
  type SchedulerState,
  type UpdatePolicy,
} from './scheduler';
import type { UpdateActivity } from './status';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const feed = 'https://updates.example.com/switchboard/';
const policy = (mode: UpdateMode, window: UpdateWindow | null = null, feedUrl: string | null = feed): UpdatePolicy => ({ mode, window, feedUrl });
const idle: UpdateActivity = { inCall: false, inShift: false };
const onCall: UpdateActivity = { inCall: true, inShift: true };
const working: UpdateActivity = { inCall: false, inShift: true };
const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const ctx = (now: number, random = () => 0.5): SchedulerContext => ({ now, random });

function downloaded(version = '2.0.0'): SchedulerState {
  let s = initialSchedulerState(ctx(0));
  for (const e of [{ type: 'check-started' }, { type: 'update-available', version }, { type: 'download-started' }, { type: 'update-downloaded', version }] as SchedulerEvent[]) {
    s = reduceScheduler(s, e, ctx(0));
  }
  return s;
}

type SimOptions = {
  policy: UpdatePolicy;
  days: number;
  /** Activity at simulated time t (ms since local midnight of day 0). */
  activity?: (t: number) => UpdateActivity;
  /** What the feed answers each check. */
  feedHas?: string | null;
  random?: () => number;
  /** Local time of day the app starts (ms since midnight); the simulation runs `days` from there. */
  startAt?: number;
  /** How long a download takes (a call may start meanwhile). */
  downloadMs?: number;
};

/**
 * Drives the scheduler minute by minute the way electron/updater.ts does, with a feed that answers at
 * once. Returns every check time and the first install time (null if it never installed).
 */
function simulate(o: SimOptions) {
  const activity = o.activity ?? (() => idle);
  const random = o.random ?? (() => 0.5);
  const start = o.startAt ?? 0;
  let s = initialSchedulerState({ now: start, random });
  const checks: number[] = [];
  const downloads: number[] = [];
  let downloadEndsAt: number | null = null;
  for (let t = start; t < start + o.days * DAY; t += MIN) {
    const c = { now: t, random };
    if (downloadEndsAt !== null && t >= downloadEndsAt) {
      downloadEndsAt = null;
      s = reduceScheduler(s, { type: 'update-downloaded', version: s.version! }, c);
    }
    if (checkDue(s, o.policy, t)) {
      checks.push(t);
      s = reduceScheduler(s, { type: 'check-started' }, c);
      s = reduceScheduler(s, o.feedHas ? { type: 'update-available', version: o.feedHas } : { type: 'update-not-available' }, c);
    }
    if (downloadDue(s, o.policy, activity(t))) {
      downloads.push(t);
      s = reduceScheduler(s, { type: 'download-started' }, c);
      if (o.downloadMs) downloadEndsAt = t + o.downloadMs;
      else s = reduceScheduler(s, { type: 'update-downloaded', version: s.version! }, c);
    }
    if (installVerdict(s, o.policy, activity(t), (t % DAY) / MIN, 'auto').install) return { checks, downloads, installedAt: t, state: s };
  }
  return { checks, downloads, installedAt: null, state: s };
}

describe('update window', () => {
  it('is start-inclusive and end-exclusive within a day', () => {
    const w = { start: '02:00', end: '05:00' };
    expect(insideWindow(w, at('01:59'))).toBe(false);
    expect(insideWindow(w, at('02:00'))).toBe(true);
    expect(insideWindow(w, at('04:59'))).toBe(true);
    expect(insideWindow(w, at('05:00'))).toBe(false);
  });

  it('spans midnight when end is before start', () => {
    const w = { start: '22:00', end: '04:00' };
    expect(insideWindow(w, at('21:59'))).toBe(false);
    expect(insideWindow(w, at('22:00'))).toBe(true);
    expect(insideWindow(w, at('23:59'))).toBe(true);
    expect(insideWindow(w, at('00:00'))).toBe(true);
    expect(insideWindow(w, at('03:59'))).toBe(true);
    expect(insideWindow(w, at('04:00'))).toBe(false);
    expect(insideWindow(w, at('12:00'))).toBe(false);
  });

  it('treats equal start and end as the whole day', () => {
    expect(insideWindow({ start: '03:00', end: '03:00' }, at('15:00'))).toBe(true);
  });
});

describe('checking', () => {
  it('never checks under mode none, not once over thirty simulated days, even with a feed that has an update', () => {
    const run = simulate({ policy: policy('none'), days: 30, feedHas: '9.9.9' });
    expect(run.checks).toEqual([]);
    expect(run.installedAt).toBeNull();
  });

  it('never checks without a feed, or with a plain-http feed off loopback', () => {
    expect(simulate({ policy: policy('default', null, null), days: 7, feedHas: '9.9.9' }).checks).toEqual([]);
    expect(simulate({ policy: policy('default', null, 'http://updates.example.com/'), days: 7, feedHas: '9.9.9' }).checks).toEqual([]);
    expect(disabledReason(policy('default', null, 'http://updates.example.com/'))).toBe('insecure-feed');
    expect(disabledReason(policy('default', null, 'http://127.0.0.1:8080/feed/'))).toBeNull();
    expect(disabledReason(policy('none'))).toBe('mode-none');
    expect(disabledReason(policy('default', null, null))).toBe('no-feed');
  });

  it('checks first a jittered few minutes after start, then every four hours plus jitter', () => {
    const run = simulate({ policy: policy('default'), days: 1, random: () => 0.5 });
    const first = defaultTiming.minStartMs + 0.5 * defaultTiming.startJitterMs;
    expect(run.checks[0]).toBe(first);
    const gaps = run.checks.slice(1).map((c, i) => c - run.checks[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    for (const g of gaps) expect(g).toBe(defaultTiming.intervalMs + 0.5 * defaultTiming.intervalJitterMs);
  });

  it('spreads a fleet: agents with different random draws check at different times', () => {
    const a = simulate({ policy: policy('default'), days: 1, random: () => 0.1 }).checks;
    const b = simulate({ policy: policy('default'), days: 1, random: () => 0.9 }).checks;
    expect(a[0]).not.toBe(b[0]);
    expect(a[1]! - a[0]!).not.toBe(b[1]! - b[0]!);
  });

  it('backs off after failures and returns to the normal interval after a success', () => {
    const p = policy('default');
    let s = initialSchedulerState(ctx(0));
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      s = reduceScheduler(s, { type: 'check-started' }, ctx(now, () => 0.999));
      s = reduceScheduler(s, { type: 'failed', failure: { kind: 'network', message: 'ECONNREFUSED' } }, ctx(now, () => 0.999));
      delays.push(s.nextCheckAt! - now);
      expect(checkDue(s, p, s.nextCheckAt! - 1)).toBe(false);
      now = s.nextCheckAt!;
      expect(checkDue(s, p, now)).toBe(true);
    }
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays.at(-1)).toBeLessThanOrEqual(defaultTiming.retryMaxMs);
    expect(delays[0]).toBeLessThan(defaultTiming.intervalMs);
    // A zero jitter draw still waits a minute: no tight retry loop against a broken feed.
    const zero = reduceScheduler(initialSchedulerState(ctx(0)), { type: 'failed', failure: { kind: 'network', message: 'x' } }, ctx(0, () => 0));
    expect(zero.nextCheckAt).toBe(defaultTiming.minRetryMs);
    s = reduceScheduler(s, { type: 'check-started' }, ctx(now));
    s = reduceScheduler(s, { type: 'update-not-available' }, ctx(now));
    expect(s.failures).toBe(0);
    expect(s.nextCheckAt! - now).toBe(defaultTiming.intervalMs + 0.5 * defaultTiming.intervalJitterMs);
  });

  it('does not check while a check or download is running, or while an update waits to install', () => {
    const p = policy('default');
    let s = reduceScheduler(initialSchedulerState(ctx(0)), { type: 'check-started' }, ctx(0));
    expect(checkDue(s, p, 10 * DAY)).toBe(false);
    s = reduceScheduler(s, { type: 'update-available', version: '2.0.0' }, ctx(0));
    expect(checkDue(s, p, 10 * DAY)).toBe(false);
    expect(checkDue(downloaded(), p, 10 * DAY)).toBe(false);
  });
});

describe('downloading', () => {
  it('downloads in the background in default, window and manual modes, but not while a call is active', () => {
    const found = reduceScheduler(initialSchedulerState(ctx(0)), { type: 'update-available', version: '2.0.0' }, ctx(0));
    for (const mode of ['default', 'window', 'manual'] as const) {
      expect(downloadDue(found, policy(mode, { start: '02:00', end: '04:00' }), working)).toBe(true);
      expect(downloadDue(found, policy(mode, { start: '02:00', end: '04:00' }), onCall)).toBe(false);
    }
    expect(downloadDue(found, policy('none'), idle)).toBe(false);
  });

  it('starts the download when the call ends', () => {
    const run = simulate({ policy: policy('manual'), days: 1, feedHas: '2.0.0', activity: (t) => ({ inCall: t < 2 * HOUR, inShift: true }) });
    expect(run.checks[0]).toBeLessThan(2 * HOUR);
    expect(run.downloads).toEqual([2 * HOUR]);
  });
});

describe('installing', () => {
  it('never installs during a call, in any mode, even when the agent asks, even inside the window', () => {
    const anyTime = { start: '00:00', end: '00:00' };
    for (const mode of ['default', 'window', 'manual'] as const) {
      for (const trigger of ['auto', 'agent'] as const) {
        for (const activity of [onCall, { inCall: true, inShift: false }]) {
          expect(installVerdict(downloaded(), policy(mode, anyTime), activity, at('03:00'), trigger)).toEqual({ install: false, reason: 'in-call' });
        }
      }
    }
  });

  it('never installs under mode none, even an update downloaded before IT switched to none', () => {
    expect(installVerdict(downloaded(), policy('none'), idle, at('03:00'), 'agent')).toEqual({ install: false, reason: 'disabled' });
    expect(installVerdict(downloaded(), policy('default', null, null), idle, at('03:00'), 'auto')).toEqual({ install: false, reason: 'disabled' });
  });

  it('installs nothing before a download completed', () => {
    const found = reduceScheduler(initialSchedulerState(ctx(0)), { type: 'update-available', version: '2.0.0' }, ctx(0));
    expect(installVerdict(found, policy('default'), idle, at('03:00'), 'agent')).toEqual({ install: false, reason: 'not-downloaded' });
  });

  it('default mode waits for the end of the shift, or the window if one is set; the agent may restart now', () => {
    const s = downloaded();
    expect(installVerdict(s, policy('default'), working, at('10:00'), 'auto')).toEqual({ install: false, reason: 'in-shift' });
    expect(installVerdict(s, policy('default'), idle, at('10:00'), 'auto')).toEqual({ install: true });
    expect(installVerdict(s, policy('default', { start: '12:00', end: '13:00' }), working, at('12:30'), 'auto')).toEqual({ install: true });
    expect(installVerdict(s, policy('default', { start: '12:00', end: '13:00' }), working, at('13:00'), 'auto')).toEqual({ install: false, reason: 'in-shift' });
    expect(installVerdict(s, policy('default'), working, at('10:00'), 'agent')).toEqual({ install: true });
  });

  it('window mode installs only inside the window, whatever the shift or the agent says', () => {
    const s = downloaded();
    const w = { start: '02:00', end: '05:00' };
    expect(installVerdict(s, policy('window', w), idle, at('10:00'), 'auto')).toEqual({ install: false, reason: 'outside-window' });
    expect(installVerdict(s, policy('window', w), idle, at('10:00'), 'agent')).toEqual({ install: false, reason: 'outside-window' });
    expect(installVerdict(s, policy('window', w), working, at('02:00'), 'auto')).toEqual({ install: true });
    expect(installVerdict(s, policy('window', null), idle, at('02:00'), 'auto')).toEqual({ install: false, reason: 'outside-window' });
  });

  it('window mode with a window spanning midnight installs at its start, not in the afternoon', () => {
    // Off shift all day: only the window holds the install back.
    const run = simulate({ policy: policy('window', { start: '23:30', end: '01:00' }), days: 2, feedHas: '2.0.0', startAt: 9 * HOUR });
    expect(run.downloads[0]).toBeLessThan(10 * HOUR);
    expect(run.installedAt).toBe(23 * HOUR + 30 * MIN);
  });

  it('window spanning midnight: a call running into the window delays the install to the call end, inside the window', () => {
    const callEnd = DAY + 30 * MIN; // 00:30 the next day
    const run = simulate({
      policy: policy('window', { start: '23:00', end: '02:00' }),
      days: 2,
      feedHas: '2.0.0',
      activity: (t) => ({ inCall: t >= 22 * HOUR && t < callEnd, inShift: true }),
      startAt: 9 * HOUR,
    });
    expect(run.installedAt).toBe(callEnd);
  });

  it('installs as soon as the call ends when the agent is off shift', () => {
    // The download starts before a call and completes during it; the install waits for the call's end.
    const callEnd = 3 * HOUR + 17 * MIN;
    const run = simulate({ policy: policy('default'), days: 1, feedHas: '2.0.0', downloadMs: 10 * MIN, activity: (t) => ({ inCall: t >= 5 * MIN && t < callEnd, inShift: false }), random: () => 0 });
    expect(run.downloads[0]).toBe(defaultTiming.minStartMs);
    expect(run.installedAt).toBe(callEnd);
  });

  it('does not install during a shift in default mode over a whole working day, then installs when the agent goes offline', () => {
    const shiftEnd = 17 * HOUR;
    const run = simulate({ policy: policy('default'), days: 1, feedHas: '2.0.0', activity: (t) => ({ inCall: t % HOUR < 20 * MIN, inShift: t < shiftEnd }) });
    expect(run.installedAt).toBe(shiftEnd + 20 * MIN);
  });

  it('manual mode downloads but never installs on its own; the agent restarts when not on a call', () => {
    const run = simulate({ policy: policy('manual'), days: 3, feedHas: '2.0.0' });
    expect(run.downloads).toHaveLength(1);
    expect(run.installedAt).toBeNull();
    expect(run.state.phase).toBe('downloaded');
    expect(installVerdict(run.state, policy('manual'), idle, at('10:00'), 'auto')).toEqual({ install: false, reason: 'awaiting-agent' });
    expect(installVerdict(run.state, policy('manual'), working, at('10:00'), 'agent')).toEqual({ install: true });
    expect(installVerdict(run.state, policy('manual'), onCall, at('10:00'), 'agent')).toEqual({ install: false, reason: 'in-call' });
  });
});

describe('verification failure', () => {
  const mismatch = Object.assign(new Error('sha512 checksum mismatch, expected abc==, got def==\n    at DigestTransform.validate'), { code: 'ERR_CHECKSUM_MISMATCH' });

  it('stays on the current version, reports the failure and retries later', () => {
    let s = reduceScheduler(initialSchedulerState(ctx(0)), { type: 'update-available', version: '2.0.0' }, ctx(0));
    s = reduceScheduler(s, { type: 'download-started' }, ctx(0));
    s = reduceScheduler(s, { type: 'failed', failure: updateFailureOf(mismatch) }, ctx(10 * MIN));
    expect(s.phase).toBe('error');
    expect(installVerdict(s, policy('default'), idle, at('03:00'), 'agent')).toEqual({ install: false, reason: 'not-downloaded' });
    const status = updateStatusOf({ state: s, policy: policy('default'), activity: idle, minuteOfDay: at('03:00'), currentVersion: '1.0.0', installing: false, notPackaged: false });
    expect(status).toMatchObject({ state: 'error', currentVersion: '1.0.0', downloaded: false, availableVersion: null, error: { kind: 'verification', message: 'sha512 checksum mismatch, expected abc==, got def==' } });
    expect(s.nextCheckAt).toBeGreaterThan(10 * MIN);
  });

  it('classifies checksum, signature and network errors', () => {
    expect(updateFailureOf(mismatch).kind).toBe('verification');
    expect(updateFailureOf({ code: 'ERR_UPDATER_INVALID_SIGNATURE', message: 'New version 2.0.0 is not signed by the application owner: publisherNames: Acme' }).kind).toBe('verification');
    expect(updateFailureOf({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }).kind).toBe('network');
    expect(updateFailureOf({ message: 'Cannot find latest-linux.yml in the latest release artifacts: HttpError: 404' }).kind).toBe('network');
    expect(updateFailureOf({ message: 'x'.repeat(2000) }).message).toHaveLength(500);
  });
});

describe('status', () => {
  const base = { activity: working, minuteOfDay: at('10:00'), currentVersion: '1.0.0', installing: false, notPackaged: false };

  it('says why a downloaded update waits', () => {
    expect(updateStatusOf({ ...base, state: downloaded(), policy: policy('default') })).toMatchObject({ state: 'downloaded', downloaded: true, availableVersion: '2.0.0', blocked: 'in-shift' });
    expect(updateStatusOf({ ...base, state: downloaded(), policy: policy('default'), activity: onCall })).toMatchObject({ blocked: 'in-call' });
    expect(updateStatusOf({ ...base, state: downloaded(), policy: policy('window', { start: '02:00', end: '03:00' }) })).toMatchObject({ blocked: 'outside-window', window: { start: '02:00', end: '03:00' } });
    expect(updateStatusOf({ ...base, state: downloaded(), policy: policy('manual') })).toMatchObject({ blocked: 'awaiting-agent' });
    expect(updateStatusOf({ ...base, state: downloaded(), policy: policy('default'), installing: true })).toMatchObject({ state: 'installing', blocked: null });
  });

  it('says why updates are off', () => {
    expect(updateStatusOf({ ...base, state: downloaded(), policy: policy('none') })).toMatchObject({ state: 'disabled', disabled: 'mode-none', downloaded: false, availableVersion: null });
    expect(updateStatusOf({ ...base, state: initialSchedulerState(ctx(0)), policy: policy('default'), notPackaged: true })).toMatchObject({ state: 'disabled', disabled: 'not-packaged' });
  });
});
