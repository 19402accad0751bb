// Installs what the two commands need, using nothing but Node built-ins (node_modules may be missing).
// npm packages: `npm ci` when node_modules is missing or older than package-lock.json.
// Debian packages: installed with apt when missing and we are root; otherwise we stop and print the
// exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** Debian packages by purpose. `test` is a superset of what `start` needs. */
export const debianPackages = {
  start: ['chromium'],
  // The phone on the embedded default (server/pbx): optional, `npm start` runs without it.
  phone: ['kamailio', 'kamailio-websocket-modules', 'rtpengine-daemon', 'baresip-core', 'sox', 'espeak-ng'],
  test: [
    'chromium', 'postgresql', 'kamailio', 'kamailio-websocket-modules', 'rtpengine-daemon', 'baresip-core',
    'sox', 'espeak-ng', 'iproute2', 'util-linux', 'fonts-noto-cjk', 'xvfb', 'xauth',
    'p7zip-full', 'dpkg-dev', 'fakeroot',
    // issue 16: Kamailio's auth_db over PostgreSQL (the sip_subscriber view), tested by server/pbx/postgresAuth.test.ts
    'kamailio-postgres-modules',
    // packaging: makensis compiles build/installer.nsh; desktop-file-utils validates the .deb's desktop entry
    'nsis', 'desktop-file-utils',
    // several server instances (issue 18): the broker between them and the balancer in front (bench:scale)
    'redis-server', 'haproxy',
  ],
};

const log = (msg) => console.log(`[setup] ${msg}`);

export function ensureNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (!((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22)) {
    console.error(`Switchboard needs Node 20.19+ or 22.12+; this is ${process.versions.node}.`);
    process.exit(1);
  }
}

export function ensureNpmPackages() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.switchboard-lock-hash');
  const want = createHash('sha256').update(readFileSync(lock)).update(readFileSync(join(root, 'package.json'))).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log(existsSync(join(root, 'node_modules')) ? 'package-lock.json changed: npm ci' : 'node_modules missing: npm ci');
  // The Electron binary cannot be downloaded on every machine (and is not needed for web mode or tests).
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (r.status !== 0) {
    console.error('npm ci failed; fix the error above and run the command again.');
    process.exit(1);
  }
  writeFileSync(stamp, want);
}

/**
 * Like ensureDebianPackages, but for what the app can start without: installs as root, otherwise prints
 * one line naming the command and returns false instead of stopping.
 */
export function ensureOptionalDebianPackages(purpose, what) {
  if (!existsSync('/usr/bin/apt-get')) {
    const have = spawnSync('sh', ['-c', 'command -v kamailio && command -v rtpengine && command -v baresip'], { stdio: 'ignore' }).status === 0;
    if (!have) log(`${what}: not started (not a Debian/Ubuntu machine; install ${debianPackages[purpose].join(' ')})`);
    return have;
  }
  const missing = missingDebianPackages(debianPackages[purpose]);
  if (missing.length === 0) return true;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    log(`${what}: not started, packages missing; to have it, run: sudo sh -c '${cmd}'`);
    return false;
  }
  log(`${what}: installing Debian packages: ${missing.join(' ')}`);
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  stopDistroServices();
  if (r.status !== 0) {
    log(`${what}: not started, installing the packages failed; run: sudo sh -c '${cmd}'`);
    return false;
  }
  return true;
}

function stopDistroServices() {
  for (const svc of ['kamailio', 'rtpengine-daemon', 'postgresql', 'redis-server', 'haproxy']) {
    spawnSync('sh', ['-c', `command -v systemctl >/dev/null && systemctl stop ${svc} 2>/dev/null; service ${svc} stop 2>/dev/null`], { stdio: 'ignore' });
  }
}

function missingDebianPackages(pkgs) {
  if (!existsSync('/usr/bin/dpkg-query')) return [];
  return pkgs.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

export function ensureDebianPackages(purpose) {
  if (!existsSync('/usr/bin/apt-get')) {
    log(`not a Debian/Ubuntu machine: make sure these are installed: ${debianPackages[purpose].join(' ')}`);
    return;
  }
  const missing = missingDebianPackages(debianPackages[purpose]);
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`Missing Debian packages: ${missing.join(' ')}\nRun:\n  sudo sh -c '${cmd}'\nthen run this command again.`);
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit', env });
  // Distro postinst scripts may start system services on the default ports; the suite runs its own
  // copies inside a private network namespace, so the system ones are stopped if they started.
  stopDistroServices();
}
