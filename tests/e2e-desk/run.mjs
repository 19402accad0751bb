// The home agent's desk end to end (issue 15): the server as `npm start` runs it (embedded PGlite, demo
// seed, and the embedded phone server: Kamailio, rtpengine, the demo customer line and the echo line as
// its child processes, server/pbx/), two agents in Debian Chromium.
//
// Unlike the other suites, the namespace here is NOT loopback-only: a veth pair gives it a second
// address (192.0.2.2, TEST-NET-1, routed nowhere), and Chromium runs without
// --allow-loopback-in-peer-connection, as on an agent's laptop where WebRTC gathers candidates on every
// address. The desk must work like that. Nothing leaves the machine: the veth's peer is in this namespace.
// Usage: node tests/e2e-desk/run.mjs [playwright args...]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../scripts/ensure.mjs';
import { inNetns, reexecInNetns } from '../../scripts/netns.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));
const sh = (cmd) => {
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`failed: ${cmd}`);
};
sh('ip link add sbdesk0 type veth peer name sbdesk1 && ip addr add 192.0.2.2/24 dev sbdesk0 && ip link set sbdesk0 up && ip link set sbdesk1 up');
const dist = process.env.SWITCHBOARD_DIST ?? join(root, 'dist');
if (!existsSync(join(dist, 'renderer/index.html'))) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
// A display for the specs that need a real window (rings.spec: a tab behind another is hidden only in a
// headed browser). Xvfb is in the test package set; its socket is a file, so the namespace is no obstacle.
let xvfb = null;
if (!process.env.DISPLAY && existsSync('/usr/bin/Xvfb')) {
  const { spawn } = await import('node:child_process');
  xvfb = spawn('/usr/bin/Xvfb', [':93', '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  process.env.DISPLAY = ':93';
  await new Promise((r) => setTimeout(r, 500));
}
const r = spawnSync(join(root, 'node_modules/.bin/playwright'), ['test', '-c', join(root, 'tests/e2e-desk/playwright.config.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
xvfb?.kill('SIGTERM');
process.exit(r.status ?? 1);
