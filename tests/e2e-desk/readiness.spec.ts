import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pbxPorts } from '../../server/pbx/embeddedPbx';
import { startUdpDelay } from '../support/e2e/udpDelay';
import config, { readinessPbxDir, readinessPbxPort, readinessPort } from './playwright.config';

/**
 * Issue 15 › the readiness check before Available, on a server whose managed policy requires it
 * (tests/e2e-desk/playwright.config.ts, second server): it passes on the healthy embedded stack and lets
 * the agent go Available; it fails with a clear reason with no microphone, with the phone server frozen,
 * and with 10% loss and 300 ms delay on the media path, and each failure keeps the agent out of Available.
 */

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: `http://127.0.0.1:${readinessPort}` });

const launchArgs = config.use?.launchOptions?.args ?? [];
const executablePath = config.use?.launchOptions?.executablePath;
const presence = (p: Page) => p.getByTestId('status-presence');
const dialog = (p: Page) => p.getByTestId('readiness');
const item = (p: Page, id: string) => p.getByTestId(`readiness-${id}`);
const { echoRtp } = pbxPorts(readinessPbxPort);
/** The echo call's round trip on the healthy path, measured by the first test. */
let healthyRttMs = 0;

async function signIn(browser: Browser, username: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: `http://127.0.0.1:${readinessPort}`, permissions: ['microphone', 'notifications'] });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (/\[readiness\]/.test(m.text())) console.log(`[${username}] ${m.text()}`);
  });
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

/** Signing in asks for Available (the default presence): the required check opens and runs by itself. */
async function checkedOnSignIn(browser: Browser, username: string): Promise<Page> {
  const page = await signIn(browser, username);
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page)).toHaveAttribute('data-running', 'false', { timeout: 40_000 });
  await expect(dialog(page)).not.toHaveAttribute('data-overall', 'none');
  return page;
}

function kamailioGroup(): number {
  return Number(readFileSync(path.join(readinessPbxDir, 'kamailio.pid'), 'utf8').trim());
}

test('passes on the healthy stack: each item in plain words, echo call figures, and the agent goes Available', async ({ browser }) => {
  const page = await checkedOnSignIn(browser, 'agent3');
  for (const id of ['microphone', 'speaker', 'ringer', 'sipServer', 'registration', 'echoCall']) await expect(item(page, id)).toHaveAttribute('data-verdict', /pass|warn/);
  await expect(dialog(page)).not.toHaveAttribute('data-overall', 'fail');
  await expect(item(page, 'echoCall')).toContainText(/Round trip \d+ ms · jitter [\d.]+ ms · loss [\d.]+% · MOS [\d.]+/);
  await expect(item(page, 'turn')).toContainText('No TURN relay is configured');
  healthyRttMs = Number(/Round trip (\d+) ms/.exec((await item(page, 'echoCall').textContent()) ?? '')?.[1]);
  expect(healthyRttMs).toBeGreaterThan(0);
  // A passing check lets the pending Available through by itself.
  await expect(presence(page)).toHaveAttribute('data-presence', 'available');
  await page.screenshot({ path: path.join(process.env.SWITCHBOARD_SHOTS ?? 'test-results/e2e-desk', 'readiness-pass-en.png') });
  await page.context().close();
});

test('fails with a clear reason when the phone server does not answer, and keeps the agent out of Available', async ({ browser }) => {
  const pid = kamailioGroup();
  process.kill(-pid, 'SIGSTOP');
  try {
    const page = await checkedOnSignIn(browser, 'agent4');
    await expect(item(page, 'sipServer')).toHaveAttribute('data-verdict', 'fail');
    await expect(item(page, 'sipServer')).toContainText('The phone server does not answer');
    await expect(dialog(page)).toHaveAttribute('data-overall', 'fail');
    await expect(page.getByTestId('readiness-blocked')).toBeVisible();
    await expect(page.getByTestId('readiness-override')).toHaveCount(0);
    await expect(presence(page)).not.toHaveAttribute('data-presence', 'available');
    await page.context().close();
  } finally {
    process.kill(-pid, 'SIGCONT');
  }
});

test('fails with 10% loss and 300 ms delay on the media path, saying the network cannot carry a call', async ({ browser }) => {
  // Loss: every UDP datagram into the PBX's media relay ports (rtpengine 7860-8059), 10% at random.
  const rule = ['INPUT', '-p', 'udp', '--dport', '7860:8059', '-m', 'statistic', '--mode', 'random', '--probability', '0.1', '-j', 'DROP'];
  expect(spawnSync('iptables', ['-A', ...rule]).status).toBe(0);
  // Delay: no netem here, and Chromium's WebRTC fake-network field trials were tried and do not delay;
  // a userspace relay holds every datagram from the echo line (baresip, ports 8100-8139) to the PBX's media
  // relay for 300 ms: the echo's way back. (The echo line sends first, so its flows are the ones NAT sees.)
  const delay = await startUdpDelay({ toPorts: [7860, 8059], fromPorts: [echoRtp[0], echoRtp[1]], offset: 1000, delayMs: 300 });
  try {
    const page = await checkedOnSignIn(browser, 'lead2');
    await expect(item(page, 'echoCall')).toHaveAttribute('data-verdict', 'fail');
    await expect(item(page, 'echoCall')).toContainText('Your network cannot carry a call well');
    const figures = (await item(page, 'echoCall').textContent()) ?? '';
    console.log(`[readiness] degraded path: ${figures}; relay forwarded ${delay.forwarded()} datagrams`);
    // Both really apply: the relay forwarded the echo's way back (each datagram held 300 ms), the round
    // trip is longer than on the healthy path and at least the added delay, and packets are missing. Not
    // "healthy + 300": each round trip is read off the audio through two adaptive jitter buffers and the
    // echo line's own buffer, whose depth follows the machine's load: one full run here read 314 ms healthy and
    // 417 ms degraded; healthy readings ranged 280-470 ms across runs.
    expect(delay.forwarded()).toBeGreaterThan(50);
    const degradedRttMs = Number(/Round trip (\d+) ms/.exec(figures)?.[1]);
    expect(degradedRttMs).toBeGreaterThanOrEqual(300);
    expect(degradedRttMs).toBeGreaterThan(healthyRttMs);
    expect(Number(/loss ([\d.]+)%/.exec(figures)?.[1])).toBeGreaterThan(3);
    await expect(presence(page)).not.toHaveAttribute('data-presence', 'available');
    await page.screenshot({ path: path.join(process.env.SWITCHBOARD_SHOTS ?? 'test-results/e2e-desk', 'readiness-fail-en.png') });
    await page.context().close();
  } finally {
    await delay.stop();
    spawnSync('iptables', ['-D', ...rule]);
  }
});

test('fails with a clear reason when there is no microphone', async () => {
  // No fake capture device: this machine has no sound card, so getUserMedia finds nothing.
  const deaf = await chromium.launch({ executablePath, args: launchArgs.filter((a) => a !== '--use-fake-device-for-media-stream') });
  try {
    const page = await checkedOnSignIn(deaf, 'agent4');
    await expect(item(page, 'microphone')).toHaveAttribute('data-verdict', 'fail');
    await expect(item(page, 'microphone')).toContainText('No microphone was found');
    await expect(presence(page)).not.toHaveAttribute('data-presence', 'available');
    // Asking again for Available from the status bar does not get through either.
    await page.getByTestId('readiness').getByRole('button', { name: 'Close' }).last().click();
    await presence(page).locator('select').selectOption('available');
    await expect(dialog(page)).toBeVisible();
    await expect(presence(page)).not.toHaveAttribute('data-presence', 'available');
  } finally {
    await deaf.close();
  }
});
