import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { receivedLevelDb, trackPeerConnections } from '../support/e2e/pageMedia';

/**
 * Issue 15 › `npm start` as a newcomer runs it: scripts/start.mjs itself (not a copy of what it does), with a
 * fresh HOME (so a fresh data folder, demo seed and browser profile) on the Xvfb display run.mjs started.
 * It builds, starts the server with the embedded phone server, and opens the window itself (Chromium's app
 * mode here: this machine has no Electron binary). The test attaches to that window through the switches
 * start.mjs passes on (SWITCHBOARD_BROWSER_FLAGS: a DevTools port, and Chromium's fake microphone since
 * Xvfb has no sound card), signs in as agent1, waits for the phone to register, asks the demo customer
 * line to call, answers and hears it.
 *
 * Ports: 7600 (start.mjs's default) and PBX ports from 8200, clear of the config's two servers (7631/7632,
 * PBX 7660-8039 and 7760-8139).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const devtoolsPort = 9231;
let start: ChildProcess | null = null;
let browser: Browser | null = null;
const output: string[] = [];

test.afterAll(async () => {
  await browser?.close().catch(() => undefined);
  // start.mjs stops the server (and its Kamailio, rtpengine, baresip) and the window on SIGTERM; the whole
  // group goes in case it cannot.
  if (start?.pid) {
    try { process.kill(-start.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
});

async function devtoolsUp(until: number): Promise<void> {
  while (Date.now() < until) {
    if (start?.exitCode !== null || /\[start\] window closed/.test(output.join(''))) throw new Error(`start.mjs exited or its window closed:\n${output.join('').slice(-3000)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${devtoolsPort}/json/version`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the window never opened:\n${output.join('').slice(-3000)}`);
}

test('npm start as a newcomer: server, demo data and the embedded phone come up; agent1 signs in in the window it opened, registers, and answers the demo customer', async () => {
  test.setTimeout(420_000);
  const home = mkdtempSync(path.join(os.tmpdir(), 'desk-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, SWITCHBOARD_PBX_PORT: '8200', LANG: 'en_US.UTF-8',
    SWITCHBOARD_BROWSER_FLAGS: `--remote-debugging-port=${devtoolsPort} --use-fake-device-for-media-stream --use-fake-ui-for-media-stream --lang=en-US` };
  for (const k of ['XDG_DATA_HOME', 'XDG_CACHE_HOME', 'SWITCHBOARD_PORT', 'SWITCHBOARD_DATA_DIR', 'SWITCHBOARD_PBX', 'SWITCHBOARD_PBX_DIR', 'SWITCHBOARD_WEB_ROOT', 'SWITCHBOARD_ELECTRON']) delete env[k];
  start = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const s of [start.stdout, start.stderr]) s?.on('data', (d: Buffer) => output.push(d.toString()));
  await devtoolsUp(Date.now() + 360_000);
  // What start.mjs said on the way: the server on 7600 with the embedded phone (not "not started").
  expect(output.join('')).not.toMatch(/phone server.*not started/i);

  browser = await chromium.connectOverCDP(`http://127.0.0.1:${devtoolsPort}`);
  const ctx = browser.contexts()[0]!;
  await ctx.addInitScript(trackPeerConnections);
  const appPage = () => ctx.pages().find((p) => p.url().startsWith('http://127.0.0.1:7600'));
  await expect.poll(() => appPage()?.url() ?? '', { timeout: 30_000 }).toContain('127.0.0.1:7600');
  const page: Page = appPage()!;
  page.on('console', (m) => {
    if (/\[phone\]/.test(m.text())) console.log(`[start window] ${m.text()}`);
  });
  await page.reload();
  await page.locator('#login-username').fill('agent1');
  await page.locator('#login-password').fill('switchboard');
  await page.locator('#login-password').press('Enter');
  // agent1 is a 简体中文 user: the window follows the account's language once signed in.
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('status-phone')).toHaveAttribute('data-state', 'registered', { timeout: 30_000 });

  await page.getByTestId('nav-phone').click();
  await page.getByTestId('demo-customer-call').click();
  const banner = page.getByTestId('incoming-call');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await banner.getByTestId('incoming-answer').click();
  await expect(page.getByTestId('call-card').first()).toHaveAttribute('data-state', 'established');
  // The demo line's speech (espeak-ng through baresip and rtpengine) is heard: a level, not PCMU silence.
  await expect.poll(() => receivedLevelDb(page), { timeout: 15_000 }).toBeGreaterThan(-40);
  if (process.env.SWITCHBOARD_SHOTS) await page.screenshot({ path: path.join(process.env.SWITCHBOARD_SHOTS, 'start-demo-call-zh-CN.png') });
  await page.getByTestId('call-hangup').click();
});
