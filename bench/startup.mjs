// bench/startup: time from launching the browser host to the logged-in shell, beside launching the same
// Chromium to a blank page served by the same server, in the same run. Runs in a loopback-only network
// namespace against the real server (embedded PGlite, demo seed). Ends with one JSON line of figures.
// Usage: npm run bench:startup [-- iterations]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from '../scripts/ensure.mjs';
import { inNetns, reexecInNetns } from '../scripts/netns.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

const iterations = Number(process.argv[2] ?? 10);
const port = 7621;
const base = `http://127.0.0.1:${port}`;
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, SWITCHBOARD_PORT: String(port), SWITCHBOARD_DATA_DIR: 'memory://', SWITCHBOARD_SEED: 'demo', SWITCHBOARD_WEB_ROOT: join(root, 'dist/renderer') },
});
try {
  await waitFor(`${base}/health`);
  const blank = [];
  const shell = [];
  const loginScreen = [];
  for (let i = 0; i < iterations; i++) {
    {
      const t0 = performance.now();
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
      const page = await browser.newPage();
      await page.goto(`${base}/health`, { waitUntil: 'load' });
      blank.push(performance.now() - t0);
      await browser.close();
    }
    {
      const t0 = performance.now();
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.getByLabel(/user ?name/i).waitFor();
      loginScreen.push(performance.now() - t0);
      await page.getByLabel(/user ?name/i).fill('agent1');
      await page.getByLabel(/password/i).fill('switchboard');
      await page.getByRole('button', { name: /sign in/i }).click();
      await page.getByRole('navigation').waitFor();
      await page.getByRole('status', { name: /presence/i }).or(page.getByLabel(/presence/i)).first().waitFor();
      shell.push(performance.now() - t0);
      await browser.close();
    }
  }
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
    return { min: round(s[0]), median: round(q(0.5)), p95: round(q(0.95)) };
  };
  const result = { bench: 'startup', iterations, blankPageMs: stats(blank), loginScreenMs: stats(loginScreen), loggedInShellMs: stats(shell) };
  console.log(`launch → blank page      median ${result.blankPageMs.median} ms (p95 ${result.blankPageMs.p95})`);
  console.log(`launch → login screen    median ${result.loginScreenMs.median} ms (p95 ${result.loginScreenMs.p95})`);
  console.log(`launch → logged-in shell median ${result.loggedInShellMs.median} ms (p95 ${result.loggedInShellMs.p95}), includes typing and the login round trip`);
  console.log(JSON.stringify(result));
} finally {
  server.kill('SIGTERM');
}

function round(x) { return Math.round(x * 10) / 10; }
async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}
