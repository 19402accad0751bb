// bench/call: call setup in the app beside a bare sip.js UserAgent, through the same Kamailio + rtpengine
// in the same run (calls alternate, so drift hits both alike). For each call: click → INVITE sent and
// INVITE → established on the caller, answer → first inbound audio on the callee, all from marks taken
// inside the pages (performance clock). The app is agent1 → agent2 in the real app (server on PGlite,
// demo seed, dial pad click, banner Answer click); the baseline is bench/call/barePage.ts, 1005 → 1006.
// Runs in a loopback-only network namespace. Ends with one JSON line of figures.
// Usage: npm run bench:call [-- calls]
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { register } from 'tsx/esm/api';
import { buildAll } from '../scripts/build.mjs';
import { root } from '../scripts/ensure.mjs';
import { inNetns, onlyLoopbackUp, reexecInNetns } from '../scripts/netns.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));
if (!onlyLoopbackUp()) {
  console.error('refusing to run: an interface other than lo is up in this namespace');
  process.exit(1);
}
register();
const { startSipStack } = await import('../tests/stack/sipStack.ts');

const calls = Number(process.argv[2] ?? 20);
const appPort = 7631;
const barePort = 8093;
const app = `http://127.0.0.1:${appPort}`;
const args = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];

await buildAll({ quiet: true });
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env, SWITCHBOARD_PORT: String(appPort), SWITCHBOARD_DATA_DIR: 'memory://', SWITCHBOARD_SEED: 'demo', SWITCHBOARD_LOG_LEVEL: 'warn',
    SWITCHBOARD_WEB_ROOT: join(root, 'dist/renderer'), SWITCHBOARD_SIP_WS_URL: 'ws://127.0.0.1:8080', SWITCHBOARD_SIP_DOMAIN: '127.0.0.1',
  },
});

const bundle = await build({ entryPoints: [join(root, 'bench/call/barePage.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'warning' });
const bareJs = bundle.outputFiles[0].contents;
const bareServer = http.createServer((req, res) => {
  if (req.url === '/bare.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bareJs);
  if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>bare</title><body><script src="bare.js"></script></body>');
  res.writeHead(404).end();
});
await new Promise((r) => bareServer.listen(barePort, '127.0.0.1', r));

const stack = await startSipStack({ dir: mkdtempSync(join(os.tmpdir(), 'bench-call-')), baresip: false });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
let exitCode = 0;
try {
  await waitFor(`${app}/health`);
  const [a, b] = await Promise.all([appAgent('agent1', false), appAgent('agent2', true)]);
  const [x, y] = await Promise.all([bareAgent('1005'), bareAgent('1006')]);
  const results = { app: [], bare: [] };
  for (let i = 0; i < calls; i++) {
    results.app.push(await appCall(a, b, i));
    results.bare.push(await bareCall(x, y));
  }
  const figures = {};
  for (const metric of ['clickToInviteMs', 'inviteToEstablishedMs', 'answerToFirstAudioMs', 'ringToAnswerMs']) {
    const s = { app: stats(results.app.map((r) => r[metric])), bare: stats(results.bare.map((r) => r[metric])) };
    figures[metric] = { ...s, medianRatio: round(s.app.median / s.bare.median) };
    console.log(`${metric.padEnd(22)} app min ${s.app.min} / median ${s.app.median} / p95 ${s.app.p95}   bare min ${s.bare.min} / median ${s.bare.median} / p95 ${s.bare.p95}   (median ×${figures[metric].medianRatio})`);
  }
  const setup = (r) => r.clickToInviteMs + r.inviteToEstablishedMs;
  const total = { app: stats(results.app.map(setup)), bare: stats(results.bare.map(setup)) };
  figures.clickToEstablishedMs = { ...total, medianRatio: round(total.app.median / total.bare.median) };
  console.log(`${'clickToEstablishedMs'.padEnd(22)} app median ${total.app.median}   bare median ${total.bare.median}   (×${figures.clickToEstablishedMs.medianRatio}; goal ≤ 1.1)`);
  console.log(JSON.stringify({ bench: 'call', calls, goalRatio: 1.1, ...figures }));
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await browser.close();
  await stack.stop();
  bareServer.close();
  server.kill('SIGTERM');
}
process.exit(exitCode);

/**
 * `answers`: an in-page observer clicks the banner's Answer button the moment it renders, as an agent
 * with a finger on the button would (the bare callee accepts in onInvite); a Playwright click would add
 * its own round trips to the app's figure.
 */
async function appAgent(username, answers) {
  const ctx = await browser.newContext({ baseURL: app, viewport: { width: 1280, height: 800 }, permissions: ['microphone'] });
  await ctx.addInitScript(() => window.localStorage.setItem('switchboard.debug-calls', '1'));
  if (answers) {
    await ctx.addInitScript(() => {
      new MutationObserver(() => {
        const button = document.querySelector('[data-testid="incoming-answer"]');
        if (button && !button.dataset.clicked) {
          button.dataset.clicked = '1';
          button.click();
        }
      }).observe(document, { childList: true, subtree: true });
    });
  }
  const page = await ctx.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('status-phone').and(page.locator('[data-state="registered"]')).waitFor({ timeout: 20_000 });
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Phone' }).click();
  return page;
}

async function bareAgent(user) {
  const page = await (await browser.newContext({ permissions: ['microphone'] })).newPage();
  await page.goto(`http://127.0.0.1:${barePort}/`);
  await page.evaluate((u) => window.bare.start({ wsUri: 'ws://127.0.0.1:8080', user: u, password: `test${u}`, domain: '127.0.0.1' }), user);
  return page;
}

function debugCalls(page) {
  return page.evaluate(() => window.switchboardDebugCalls());
}

async function appCall(a, b, i) {
  await a.getByTestId('dial-input').fill('1002');
  await a.getByTestId('dial-call').click();
  const caller = await until(async () => (await debugCalls(a)).find((c) => c.marks.establishedAt && c.state === 'established'));
  const callee = await until(async () => (await debugCalls(b)).find((c) => c.marks.firstAudioAt && c.state === 'established'));
  await a.getByTestId('call-hangup').click();
  for (const p of [a, b]) {
    await p.getByTestId('wrapup-disposition').selectOption('no-action');
    await p.getByTestId('wrapup-done').click();
    await p.getByTestId('wrapup').waitFor({ state: 'detached' });
  }
  if (i === 0) await a.waitForTimeout(200);
  return timings(caller.marks, callee.marks);
}

async function bareCall(x, y) {
  const before = (await y.evaluate(() => window.bare.calls())).length;
  await x.evaluate(() => (document.getElementById('call').dataset.target = '1006'));
  await x.click('#call');
  const callee = await until(async () => (await y.evaluate(() => window.bare.calls()))[before]?.marks.firstAudioAt && (await y.evaluate(() => window.bare.calls()))[before]);
  const caller = await until(async () => {
    const list = await x.evaluate(() => window.bare.calls());
    const c = list[list.length - 1];
    return c?.marks.establishedAt && c.marks.inviteAt ? c : undefined;
  });
  await x.evaluate(() => window.bare.hangupAll());
  await x.waitForTimeout(150);
  return timings(caller.marks, callee.marks);
}

function timings(caller, callee) {
  return {
    clickToInviteMs: caller.inviteAt - caller.clickAt,
    inviteToEstablishedMs: caller.establishedAt - caller.inviteAt,
    answerToFirstAudioMs: callee.firstAudioAt - callee.answerAt,
    // Not a goal figure: how long the callee took from receiving the INVITE to answering (the app renders
    // the banner and the in-page "agent" clicks it; the bare page accepts inside onInvite).
    ringToAnswerMs: callee.answerAt - callee.inviteAt,
  };
}

async function until(read, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for a call mark');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function stats(values) {
  const s = [...values].sort((p, q) => p - q);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { min: round(s[0]), median: round(at(0.5)), p95: round(at(0.95)) };
}

function round(n) {
  return Math.round(n * 100) / 100;
}

async function waitFor(url) {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
