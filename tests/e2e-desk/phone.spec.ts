import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { livePeerConnections, receivedLevelDb, trackPeerConnections } from '../support/e2e/pageMedia';

/**
 * Issue 15 › the phone on the embedded default: with nothing configured, agent1 and agent2 sign in in two
 * windows, the app registers with the embedded Kamailio the server started and provisioned, one calls
 * the other with audio both ways, and the demo customer line (baresip) calls agent1, who answers, hears
 * its speech and presses a key it answers to. The screens come up in each account's language.
 */

test.describe.configure({ mode: 'serial' });

const pbxDir = process.env.SWITCHBOARD_DESK_PBX_DIR!;
let ctxA: BrowserContext;
let ctxB: BrowserContext;
let a: Page;
let b: Page;

async function signIn(browser: Browser, username: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext();
  await ctx.addInitScript(trackPeerConnections);
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (/\[phone\]/.test(m.text())) console.log(`[${username}] ${m.text()}`);
  });
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('status-phone')).toBeVisible();
  return { ctx, page };
}

const phoneStatus = (p: Page) => p.getByTestId('status-phone');
const goPhone = (p: Page) => p.getByTestId('nav-phone').click();
const card = (p: Page) => p.getByTestId('call-card').first();

async function bytes(p: Page): Promise<{ in: number; out: number }> {
  const q = p.getByTestId('call-quality').first();
  return { in: Number(await q.getAttribute('data-bytes-in')), out: Number(await q.getAttribute('data-bytes-out')) };
}

async function expectAudioBothWays(p: Page): Promise<void> {
  await expect.poll(async () => (await bytes(p)).in, { timeout: 10_000 }).toBeGreaterThan(1000);
  const first = await bytes(p);
  await p.waitForTimeout(1200);
  const second = await bytes(p);
  expect(second.in).toBeGreaterThan(first.in);
  expect(second.out).toBeGreaterThan(first.out);
}

async function finishWrapUp(p: Page): Promise<void> {
  const w = p.getByTestId('wrapup');
  await expect(w).toBeVisible();
  await w.getByTestId('wrapup-disposition').selectOption('resolved');
  await w.getByTestId('wrapup-done').click();
  await expect(w).toHaveCount(0);
}

test.beforeAll(async ({ browser }) => {
  ({ ctx: ctxA, page: a } = await signIn(browser, 'agent1'));
  ({ ctx: ctxB, page: b } = await signIn(browser, 'agent2'));
});

test.afterAll(async () => {
  await ctxA?.close();
  await ctxB?.close();
});

test('the screens follow each account language: agent1 in 简体中文, agent2 in 繁體中文', async () => {
  await expect(a.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await expect(b.getByRole('navigation', { name: '主要導覽' })).toBeVisible();
  await expect(a.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('both agents register with the embedded phone server, provisioned from their accounts', async () => {
  for (const p of [a, b]) await expect(phoneStatus(p)).toHaveAttribute('data-state', 'registered');
});

test('agent1 calls agent2 (1002); agent2 answers; audio flows both ways, over the addresses WebRTC gathered', async () => {
  await goPhone(a);
  await a.getByTestId('dial-input').fill('1002');
  await a.getByTestId('dial-call').click();
  const banner = b.getByTestId('incoming-call');
  await expect(banner).toBeVisible();
  await banner.getByTestId('incoming-answer').click();
  await goPhone(b);
  await expect(card(a)).toHaveAttribute('data-state', 'established');
  await expect(card(b)).toHaveAttribute('data-state', 'established');
  await expectAudioBothWays(a);
  await expectAudioBothWays(b);
  // Each side hears the other's microphone (Chromium's fake device beeps): a level, not just packets.
  expect(await receivedLevelDb(a)).toBeGreaterThan(-45);
  expect(await receivedLevelDb(b)).toBeGreaterThan(-45);
  expect((await livePeerConnections(a)).length).toBeGreaterThan(0);
  await a.getByTestId('call-hangup').click();
  await finishWrapUp(a);
  await finishWrapUp(b);
});

test('the demo customer line calls agent1 on request; agent1 answers, hears the customer speak, and the customer answers the keypad', async () => {
  await goPhone(a);
  const demo = a.getByTestId('demo-customer-line');
  await expect(demo).toBeVisible();
  await demo.getByTestId('demo-customer-call').click();
  const banner = a.getByTestId('incoming-call');
  await expect(banner).toBeVisible();
  await banner.getByTestId('incoming-answer').click();
  await expect(card(a)).toHaveAttribute('data-state', 'established');
  await expectAudioBothWays(a);
  // espeak-ng speech from a real SIP phone through rtpengine: clearly audible, not PCMU silence.
  await expect.poll(() => receivedLevelDb(a), { timeout: 10_000 }).toBeGreaterThan(-40);
  // The in-call keypad: '1' goes out as RFC 4733 DTMF; the demo line receives it and says its order number.
  await card(a).getByTestId('call-keypad').click();
  await a.getByTestId('dtmf-1').click();
  await expect.poll(() => readFileSync(path.join(pbxDir, 'demo-line.log'), 'utf8'), { timeout: 10_000 }).toMatch(/received event: '1'/);
  await a.getByTestId('call-hangup').click();
  await finishWrapUp(a);
});
