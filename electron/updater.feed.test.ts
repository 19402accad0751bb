import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type ClientRequest, type IncomingMessage, type RequestOptions, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { DebUpdater, type AppUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { updateFailureOf, type UpdatePolicy } from '../core/update/scheduler';
import type { UpdateStatus } from '../core/update/status';
import { createUpdateController, type UpdaterPort } from './updater';

/**
 * The real electron-updater (6.8.10) against a real generic-provider feed on loopback, without the
 * Electron binary: its DebUpdater takes an injected AppAdapter instead of Electron's `app`, and Node's
 * http stands in for Electron's `net` (ElectronHttpExecutor needs Electron). What runs for real: the
 * latest-linux.yml fetch and parse, the version comparison, the download and its sha512 check
 * (builder-util-runtime's DigestTransform), the downloaded-update cache and the events. What does not:
 * quitAndInstall (it would run dpkg), replaced by a spy.
 */

/** ElectronHttpExecutor's download() over Node's http instead of Electron's net (same builder-util-runtime path). */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return request(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null }, 0);
    });
  }
}

const installer = randomBytes(256 * 1024);
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64');
const fileName = 'switchboard_2.0.0_amd64.deb';

function latestYml(version: string, hash: string): string {
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${fileName}`,
    `    sha512: ${hash}`,
    `    size: ${installer.length}`,
    `path: ${fileName}`,
    `sha512: ${hash}`,
    "releaseDate: '2026-11-20T10:00:00.000Z'",
    '',
  ].join('\n');
}

/** Feeds on loopback: /good/ publishes the real hash, /tampered/ a hash of other bytes, /older/ a downgrade. */
const feeds: Record<string, string> = {
  good: latestYml('2.0.0', sha512(installer)),
  tampered: latestYml('2.0.0', sha512(Buffer.concat([installer, Buffer.from('x')]))),
  older: latestYml('0.9.0', sha512(installer)),
};

let server: Server;
let base = '';
let dir = '';
const requests: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sb-updater-'));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const [, feed, file] = (req.url ?? '').split('?')[0]!.split('/');
    if (feed && feeds[feed] && file === 'latest-linux.yml') {
      res.writeHead(200, { 'content-type': 'text/yaml' }).end(feeds[feed]);
    } else if (feed && feeds[feed] && file === fileName) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': installer.length }).end(installer);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function realUpdater(Updater: typeof DebUpdater = DebUpdater) {
  const root = path.join(dir, String(++n));
  const app: AppAdapter = {
    version: '1.0.0',
    name: 'Switchboard',
    isPackaged: true,
    appUpdateConfigPath: path.join(root, 'app-update.yml'),
    userDataPath: path.join(root, 'userData'),
    baseCachePath: path.join(root, 'cache'),
    whenReady: async () => undefined,
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  // What electron-builder writes into resources/ when the build has a `publish` entry. electron-updater
  // reads it at download time (updaterCacheDirName; on Windows publisherName for the signature check):
  // without it the download fails with ENOENT, and NSIS skips the signature check.
  await mkdir(root, { recursive: true });
  await writeFile(app.appUpdateConfigPath, `provider: generic\nurl: ${base}/unused/\nupdaterCacheDirName: switchboard-updater\n`);
  const updater = new Updater(null, app);
  (updater as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttpExecutor();
  const quitAndInstall = vi.spyOn(updater, 'quitAndInstall').mockImplementation(() => undefined);
  const lines: string[] = [];
  const events: string[] = [];
  for (const e of ['update-available', 'update-not-available', 'update-downloaded', 'error'] as const) updater.on(e, () => events.push(e));
  return { updater: updater as AppUpdater, quitAndInstall, lines, events, cache: path.join(root, 'cache') };
}

async function filesUnder(d: string): Promise<string[]> {
  const entries = await readdir(d, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

function controllerOn(updater: UpdaterPort, feed: string, lines: string[]) {
  const policy: UpdatePolicy = { mode: 'default', window: null, feedUrl: `${base}/${feed}/` };
  const published: UpdateStatus[] = [];
  const controller = createUpdateController({
    currentVersion: '1.0.0',
    policy: () => policy,
    createUpdater: () => updater,
    publish: (s) => published.push(s),
    log: (line) => lines.push(line),
    random: () => 0,
    timing: { minStartMs: 0, startJitterMs: 0, intervalMs: 3_600_000, intervalJitterMs: 0, retryBaseMs: 3_600_000, retryMaxMs: 3_600_000, minRetryMs: 3_600_000 },
    tickMs: 20,
    installGraceMs: 20,
  });
  return { controller, published, last: () => controller.status() };
}

const until = async (what: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('electron-updater against a loopback feed', () => {
  it('finds, downloads and verifies a good update; the controller installs only after the call and the shift', async () => {
    const t = await realUpdater();
    const c = controllerOn(t.updater, 'good', t.lines);
    c.controller.setActivity({ inCall: false, inShift: true });
    c.controller.start();
    await until(() => c.last().state === 'downloaded');
    expect(t.events).toEqual(['update-available', 'update-downloaded']);
    expect(requests).toContain(`/good/${fileName}`);
    const [file] = (await readdir(t.cache, { recursive: true })).filter((f) => String(f).endsWith(fileName));
    expect(file).toBeDefined();
    expect(sha512(await readFile(path.join(t.cache, String(file))))).toBe(sha512(installer));
    expect(c.last()).toMatchObject({ blocked: 'in-shift', availableVersion: '2.0.0' });
    c.controller.setActivity({ inCall: true, inShift: true });
    c.controller.setActivity({ inCall: true, inShift: false });
    await new Promise((r) => setTimeout(r, 200));
    expect(t.quitAndInstall).not.toHaveBeenCalled();
    expect(c.last()).toMatchObject({ blocked: 'in-call' });
    c.controller.setActivity({ inCall: false, inShift: false });
    await until(() => t.quitAndInstall.mock.calls.length > 0);
    expect(t.quitAndInstall).toHaveBeenCalledWith(true, true);
    c.controller.stop();
    // electron-updater's own log lines reach ours, prefixed.
    expect(t.lines.some((l) => l.startsWith('[update] Downloading update from'))).toBe(true);
  });

  it('refuses a download whose sha512 does not match the feed: error event, nothing installable, stays on 1.0.0', async () => {
    const t = await realUpdater();
    t.updater.setFeedURL({ provider: 'generic', url: `${base}/tampered/` });
    t.updater.autoDownload = false;
    t.updater.logger = null;
    const check = await t.updater.checkForUpdates();
    expect(check?.updateInfo.version).toBe('2.0.0');
    const err = await t.updater.downloadUpdate().then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('ERR_CHECKSUM_MISMATCH');
    expect(err?.message).toMatch(/sha512 checksum mismatch/);
    expect(updateFailureOf(err!).kind).toBe('verification');
    expect(t.events).toEqual(['update-available', 'error']);
    // The unverified file is not left where an install could pick it up.
    expect(await filesUnder(t.cache)).not.toContain(fileName);
  });

  it('through the controller, a tampered update is reported as a verification failure and never installed', async () => {
    const t = await realUpdater();
    const c = controllerOn(t.updater, 'tampered', t.lines);
    c.controller.setActivity({ inCall: false, inShift: false });
    c.controller.start();
    await until(() => c.last().state === 'error');
    await new Promise((r) => setTimeout(r, 200));
    c.controller.stop();
    expect(c.last()).toMatchObject({ state: 'error', currentVersion: '1.0.0', downloaded: false, error: { kind: 'verification' } });
    expect(t.quitAndInstall).not.toHaveBeenCalled();
  });

  it('does not offer an older version (allowDowngrade is off)', async () => {
    const t = await realUpdater();
    const c = controllerOn(t.updater, 'older', t.lines);
    c.controller.start();
    await until(() => c.last().lastCheckedAt !== null);
    c.controller.stop();
    expect(t.updater.allowDowngrade).toBe(false);
    expect(t.events).toEqual(['update-not-available']);
    expect(c.last()).toMatchObject({ state: 'idle', availableVersion: null });
  });
});

describe('electron-updater bundled by esbuild as scripts/build.mjs bundles the main process', () => {
  it('still parses the feed and refuses a tampered download', async () => {
    const outfile = path.join(dir, 'electron-updater.bundle.cjs');
    // The same options as scripts/build.mjs: everything bundled but `electron`.
    await build({ stdin: { contents: "module.exports = require('electron-updater');", resolveDir: process.cwd() }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], logLevel: 'silent', outfile });
    const bundled = createRequire(import.meta.url)(outfile) as { DebUpdater: typeof DebUpdater };
    expect(bundled.DebUpdater).not.toBe(DebUpdater);
    const t = await realUpdater(bundled.DebUpdater);
    t.updater.setFeedURL({ provider: 'generic', url: `${base}/tampered/` });
    t.updater.autoDownload = false;
    t.updater.logger = null;
    expect((await t.updater.checkForUpdates())?.updateInfo.version).toBe('2.0.0');
    const err = await t.updater.downloadUpdate().then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('ERR_CHECKSUM_MISMATCH');
  });
});
