import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateMode, UpdateWindow } from '../core/policy/schema';
import type { UpdatePolicy } from '../core/update/scheduler';
import type { UpdateStatus } from '../core/update/status';
import { HostError } from './ipc/hostError';
import { createUpdateController, type UpdaterPort } from './updater';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const GRACE = 3_000;

/** A stand-in for electron-updater's autoUpdater: answers from `latest`, downloads when told to. */
function fakeUpdater() {
  const emitter = new EventEmitter();
  const feed = { latest: null as string | null, downloadFails: null as Error | null, inactive: false };
  const emit = (event: string, ...args: unknown[]) => emitter.emit(event, ...args);
  const port = {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    allowDowngrade: true,
    disableWebInstaller: false,
    logger: null as UpdaterPort['logger'],
    setFeedURL: vi.fn((_options: { provider: 'generic'; url: string }) => undefined),
    checkForUpdates: vi.fn(async () => {
      // The feed answers after a round trip, as over the network.
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (feed.inactive) return null;
      if (feed.latest) emit('update-available', { version: feed.latest });
      else emit('update-not-available', { version: '1.0.0' });
      return { isUpdateAvailable: feed.latest !== null };
    }),
    downloadUpdate: vi.fn(async () => {
      emit('download-progress', { percent: 42.7 });
      if (feed.downloadFails) {
        // electron-updater emits 'error' and rejects the promise with the same error.
        emit('error', feed.downloadFails);
        throw feed.downloadFails;
      }
      emit('update-downloaded', { version: feed.latest, downloadedFile: '/tmp/x' });
      return ['/tmp/x'];
    }),
    quitAndInstall: vi.fn((_isSilent?: boolean, _forceRunAfter?: boolean) => undefined),
    on: (event: string, listener: (...args: never[]) => void) => emitter.on(event, listener as (...args: unknown[]) => void),
  };
  return { port: port as typeof port & UpdaterPort, feed, emit };
}

function setup(p: { mode: UpdateMode; window?: UpdateWindow | null; feedUrl?: string | null; latest?: string | null }) {
  const policy: UpdatePolicy = { mode: p.mode, window: p.window ?? null, feedUrl: p.feedUrl === undefined ? 'https://updates.example.com/sb/' : p.feedUrl };
  const fake = fakeUpdater();
  fake.feed.latest = p.latest ?? null;
  const createUpdater = vi.fn(() => fake.port);
  const published: UpdateStatus[] = [];
  const log = vi.fn((_line: string) => undefined);
  const controller = createUpdateController({
    currentVersion: '1.0.0',
    policy: () => policy,
    createUpdater,
    publish: (s) => published.push(s),
    log,
    now: () => Date.now(),
    // Simulated local time: t = 0 is midnight.
    minuteOfDay: (t) => Math.floor(t / MIN) % 1440,
    random: () => 0.5,
    installGraceMs: GRACE,
  });
  return { controller, policy, fake, createUpdater, published, log, last: () => published.at(-1) };
}

/** The first check (3 min after start with random 0.5) and the feed's answer. */
const FIRST_CHECK = 3 * MIN + 200;

describe('update controller', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 9 * HOUR });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('under mode none never creates the updater nor calls checkForUpdates, over a simulated week', async () => {
    const t = setup({ mode: 'none', latest: '2.0.0' });
    t.controller.start();
    t.controller.setActivity({ inCall: false, inShift: false });
    await vi.advanceTimersByTimeAsync(7 * DAY);
    expect(t.createUpdater).not.toHaveBeenCalled();
    expect(t.fake.port.checkForUpdates).not.toHaveBeenCalled();
    expect(t.controller.status()).toMatchObject({ state: 'disabled', disabled: 'mode-none' });
    expect(() => t.controller.installNow()).toThrow(HostError);
  });

  it('without a feed never checks', async () => {
    const t = setup({ mode: 'default', feedUrl: null, latest: '2.0.0' });
    t.controller.start();
    await vi.advanceTimersByTimeAsync(2 * DAY);
    expect(t.fake.port.checkForUpdates).not.toHaveBeenCalled();
    expect(t.controller.status()).toMatchObject({ state: 'disabled', disabled: 'no-feed' });
    expect(t.published).toEqual([]);
  });

  it('configures electron-updater: generic feed, no auto download, no install on quit, no downgrade, logs to ours', async () => {
    const t = setup({ mode: 'default' });
    t.controller.start();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK);
    expect(t.fake.port.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://updates.example.com/sb/' });
    expect(t.fake.port).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false, allowDowngrade: false, disableWebInstaller: true });
    expect(t.fake.port.checkForUpdates).toHaveBeenCalledTimes(1);
    t.fake.port.logger?.info('Checking for update');
    expect(t.log).toHaveBeenCalledWith('[update] Checking for update');
    expect(t.last()).toMatchObject({ state: 'idle', lastCheckedAt: 9 * HOUR + FIRST_CHECK });
  });

  it('never calls quitAndInstall during a call; installs once the call ends and the agent is off shift', async () => {
    const t = setup({ mode: 'default', latest: '2.0.0' });
    t.controller.start();
    t.controller.setActivity({ inCall: false, inShift: false });
    // Download first, then a call rings in before the grace period is over.
    await vi.advanceTimersByTimeAsync(FIRST_CHECK);
    expect(t.fake.port.downloadUpdate).toHaveBeenCalledTimes(1);
    expect(t.last()).toMatchObject({ state: 'installing', availableVersion: '2.0.0' });
    t.controller.setActivity({ inCall: true, inShift: true });
    expect(t.last()).toMatchObject({ state: 'downloaded', blocked: 'in-call' });
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
    t.controller.setActivity({ inCall: false, inShift: false });
    await vi.advanceTimersByTimeAsync(GRACE - 1);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(t.fake.port.quitAndInstall).toHaveBeenCalledTimes(1);
    expect(t.fake.port.quitAndInstall).toHaveBeenCalledWith(true, true);
  });

  it('does not start the download while a call is active', async () => {
    const t = setup({ mode: 'manual', latest: '2.0.0' });
    t.controller.start();
    t.controller.setActivity({ inCall: true, inShift: true });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(t.fake.port.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(t.fake.port.downloadUpdate).not.toHaveBeenCalled();
    expect(t.last()).toMatchObject({ state: 'available', availableVersion: '2.0.0', downloaded: false });
    t.controller.setActivity({ inCall: false, inShift: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.fake.port.downloadUpdate).toHaveBeenCalledTimes(1);
    expect(t.last()).toMatchObject({ state: 'downloaded', blocked: 'awaiting-agent' });
  });

  it('re-checks immediately before quitAndInstall: the window closing during the grace period calls it off', async () => {
    vi.setSystemTime(2 * HOUR + 59 * MIN - FIRST_CHECK);
    const t = setup({ mode: 'window', window: { start: '02:00', end: '03:00' }, latest: '2.0.0' });
    t.controller.start();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK);
    expect(t.last()?.state).toBe('installing');
    // The clock passes 03:00 before the grace period ends.
    vi.setSystemTime(3 * HOUR);
    await vi.advanceTimersByTimeAsync(GRACE);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
    expect(t.last()).toMatchObject({ state: 'downloaded', blocked: 'outside-window' });
    // The next night's window installs it.
    vi.setSystemTime(DAY + 2 * HOUR - MIN);
    await vi.advanceTimersByTimeAsync(2 * MIN + GRACE);
    expect(t.fake.port.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it("the agent's Restart to update is refused during a call with a clear error, and works after it", async () => {
    const t = setup({ mode: 'manual', latest: '2.0.0' });
    t.controller.start();
    t.controller.setActivity({ inCall: false, inShift: true });
    await vi.advanceTimersByTimeAsync(FIRST_CHECK + HOUR);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
    t.controller.setActivity({ inCall: true, inShift: true });
    let refused: unknown;
    try {
      t.controller.installNow();
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(HostError);
    expect(refused).toMatchObject({ code: 'not-allowed', message: expect.stringMatching(/call is active/) });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
    t.controller.setActivity({ inCall: false, inShift: true });
    t.controller.installNow();
    // A call ringing in during the grace period still wins over the agent's click.
    t.controller.setActivity({ inCall: true, inShift: true });
    await vi.advanceTimersByTimeAsync(GRACE * 2);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
    t.controller.setActivity({ inCall: false, inShift: true });
    t.controller.installNow();
    await vi.advanceTimersByTimeAsync(GRACE);
    expect(t.fake.port.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('a download that fails sha512 verification is never installed; the status reports it and a later check retries', async () => {
    const t = setup({ mode: 'default', latest: '2.0.0' });
    t.fake.feed.downloadFails = Object.assign(new Error('sha512 checksum mismatch, expected AAAA, got BBBB'), { code: 'ERR_CHECKSUM_MISMATCH' });
    t.controller.start();
    t.controller.setActivity({ inCall: false, inShift: false });
    await vi.advanceTimersByTimeAsync(FIRST_CHECK);
    expect(t.last()).toMatchObject({ state: 'error', currentVersion: '1.0.0', downloaded: false, error: { kind: 'verification' } });
    expect(t.log).toHaveBeenCalledWith(expect.stringMatching(/^\[update\] verification failure for 2\.0\.0: sha512 checksum mismatch.*staying on 1\.0\.0$/));
    expect(() => t.controller.installNow()).toThrow(/No update has been downloaded/);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(t.fake.port.checkForUpdates.mock.calls.length).toBeGreaterThan(1);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
  });

  it('switching the policy to none cancels a pending install and stops checking', async () => {
    const t = setup({ mode: 'default', latest: '2.0.0' });
    t.controller.start();
    t.controller.setActivity({ inCall: false, inShift: false });
    await vi.advanceTimersByTimeAsync(FIRST_CHECK);
    expect(t.last()?.state).toBe('installing');
    t.policy.mode = 'none';
    t.controller.policyChanged();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(t.fake.port.quitAndInstall).not.toHaveBeenCalled();
    expect(t.fake.port.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(t.last()).toMatchObject({ state: 'disabled', disabled: 'mode-none' });
  });

  it('an unpackaged build reports not-packaged instead of pretending to be up to date', async () => {
    const t = setup({ mode: 'default' });
    t.fake.feed.inactive = true;
    t.controller.start();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK);
    expect(t.last()).toMatchObject({ state: 'disabled', disabled: 'not-packaged' });
    await vi.advanceTimersByTimeAsync(DAY);
    expect(t.fake.port.checkForUpdates).toHaveBeenCalledTimes(1);
  });

  it('publishes only changes', async () => {
    const t = setup({ mode: 'default' });
    t.controller.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    const states = t.published.map((s) => s.state);
    expect(states).toEqual(['checking', 'idle']);
  });
});
