// `npm start`: runs Switchboard on its embedded defaults with no configuration.
// 1. installs what is missing, 2. builds, 3. starts the central server (embedded PostgreSQL, demo seed,
//    and the embedded phone server: Kamailio, rtpengine, the demo customer line and an echo extension as
//    its child processes on 127.0.0.1, see server/pbx/; without those packages one line says what to run),
// 4. launches Electron; where the Electron binary is missing, says so in one line and opens the app in
//    Chromium's app mode, or prints the URL when there is no display.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, ensureNode, ensureNpmPackages, ensureOptionalDebianPackages, root } from './ensure.mjs';

ensureNode();
ensureNpmPackages();
ensureDebianPackages('start');
const phone = process.env.SWITCHBOARD_PBX === 'off' ? false : ensureOptionalDebianPackages('phone', 'phone server (calls between agents, demo customer line)');
const { buildAll } = await import('./build.mjs');
await buildAll({ quiet: true });

const port = process.env.SWITCHBOARD_PORT ?? '7600';
const url = `http://127.0.0.1:${port}/`;
const children = [];
const stopAll = () => { for (const c of children) c.kill('SIGTERM'); };
process.on('SIGINT', () => { stopAll(); process.exit(130); });
process.on('SIGTERM', () => { stopAll(); process.exit(143); });

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    SWITCHBOARD_WEB_ROOT: join(root, 'dist/renderer'),
    SWITCHBOARD_WIDGET_ROOT: join(root, 'dist/widget'),
    ...process.env,
    SWITCHBOARD_PORT: port,
    ...(phone ? { SWITCHBOARD_PBX: 'embedded' } : {}),
  },
});
children.push(server);
server.on('exit', (code) => { console.log(`[start] server exited (${code})`); stopAll(); process.exit(code ?? 1); });
await waitForHealth(`${url}health`, 60_000);

// Extra switches for the window (Electron or Chromium), space-separated: what IT adds for a proxy
// (--proxy-server=…) and what the start e2e adds to drive the window (--remote-debugging-port, fake media).
const extraFlags = (process.env.SWITCHBOARD_BROWSER_FLAGS ?? '').split(/\s+/).filter(Boolean);
const electronBinary = findElectronBinary();
if (electronBinary) {
  const app = spawn(electronBinary, [root, ...extraFlags], { stdio: 'inherit', env: { ...process.env, SWITCHBOARD_SERVER_URL: url.replace(/\/$/, '') } });
  children.push(app);
  app.on('exit', () => { stopAll(); process.exit(0); });
} else if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) {
  console.log(`[start] Electron binary not available on this machine; opening Switchboard in Chromium app mode at ${url}`);
  const profile = join(homedir(), '.cache', 'switchboard', 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
  if (!chromium) {
    console.log(`[start] no Chromium found either; open ${url} in a browser`);
  } else {
    const extra = process.getuid?.() === 0 ? ['--no-sandbox', '--test-type'] : [];
    const win = spawn(chromium, [`--app=${url}`, `--user-data-dir=${profile}`, '--window-size=1280,800', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra, ...extraFlags], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(win);
    // Chromium's stderr is noise while it runs (D-Bus, GPU); its last lines say why when it stops with an error.
    let tail = '';
    win.stderr.on('data', (d) => { tail = (tail + d.toString()).slice(-1500); });
    win.on('exit', (code, signal) => {
      if (code) console.log(`[start] the window stopped with code ${code}:\n${tail.split('\n').filter((l) => !/dbus|zygote/i.test(l)).slice(-8).join('\n')}`);
      console.log(`[start] window closed${signal ? ` (${signal})` : ''}; server still running (Ctrl+C to stop)`);
    });
  }
} else {
  console.log(`[start] Electron binary not available and no display: Switchboard is at ${url} (Ctrl+C to stop)`);
}

function findElectronBinary() {
  if (process.env.SWITCHBOARD_ELECTRON && existsSync(process.env.SWITCHBOARD_ELECTRON)) return process.env.SWITCHBOARD_ELECTRON;
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

async function waitForHealth(healthUrl, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(healthUrl);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer ${healthUrl} within ${timeoutMs} ms`);
}
