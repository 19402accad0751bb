import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSipStack, type SipStack } from '../stack/sipStack';

/**
 * Issue 8, diagnostics with a real SIP stack: agent1 registers with Kamailio (digest auth), calls agent2
 * through rtpengine, hangs up, and exports diagnostics. The SIP trace holds the REGISTER and INVITE with
 * their digest responses, nonces and ICE passwords redacted; the call's quality timeline has a sample a
 * second; and neither SIP password, the app password nor any token appears anywhere in the archive.
 */

test.describe.configure({ mode: 'serial' });

let stack: SipStack;
const contexts: BrowserContext[] = [];

async function signIn(browser: Browser, username: string, tokens: Set<string>): Promise<Page> {
  const ctx = await browser.newContext();
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('response', async (res) => {
    if (!/\/auth\/(login|refresh)$/.test(new URL(res.url()).pathname) || res.status() !== 200) return;
    const body = (await res.json().catch(() => null)) as { accessToken?: string; refreshToken?: string } | null;
    for (const t of [body?.accessToken, body?.refreshToken]) if (t) tokens.add(t);
  });
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expect(page.getByTestId('status-phone')).toHaveAttribute('data-state', 'registered', { timeout: 20_000 });
  return page;
}

test.beforeAll(async () => {
  stack = await startSipStack({ dir: mkdtempSync(path.join(os.tmpdir(), 'e2e-sip-diag-')), log: (l) => console.log(`[stack] ${l}`) });
});

test.afterAll(async () => {
  for (const c of contexts) await c.close();
  await stack?.stop();
});

test('after a real call, the archive has the redacted SIP trace and the call timeline, and no SIP password or token', async ({ browser }) => {
  const tokens = new Set<string>();
  const a = await signIn(browser, 'agent1', tokens);
  const b = await signIn(browser, 'agent2', tokens);

  await a.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Phone' }).click();
  await a.locator('body').click({ position: { x: 700, y: 700 } });
  await a.keyboard.type('1002');
  await a.keyboard.press('Enter');
  await b.getByTestId('incoming-call').getByTestId('incoming-answer').click();
  await expect(a.getByTestId('call-card').first()).toHaveAttribute('data-state', 'established');
  // A few quality samples (one a second).
  await a.waitForTimeout(4000);
  await a.getByTestId('call-hangup').click();
  await expect(a.getByTestId('wrapup')).toBeVisible();

  await a.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
  const downloading = a.waitForEvent('download');
  await a.getByTestId('diagnostics-export').click();
  const download = await downloading;
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const text = Object.fromEntries(Object.entries(files).map(([n, bytes]) => [n, strFromU8(bytes)]));

  const trace = text['sip-trace.txt']!;
  expect(trace).toMatch(/^REGISTER sip:/m);
  expect(trace).toMatch(/^SIP\/2\.0 401 Unauthorized/m);
  expect(trace).toMatch(/^Authorization: Digest .*response="\[redacted\]"/m);
  expect(trace).toMatch(/^INVITE sip:1002@/m);
  expect(trace).toContain('a=ice-pwd:[redacted]');
  expect(trace).toMatch(/^BYE sip:/m);
  expect(trace).not.toMatch(/\bnonce="(?!\[redacted\])/);
  // Identifiers stay, so an engineer can follow the dialog: Kamailio's to-tags, Call-IDs, branches.
  expect(trace).toMatch(/^To: .*;tag=[0-9a-f]{32}\./m);
  expect(trace).toMatch(/^Call-ID: \S+$/m);

  const calls = Object.keys(text).filter((n) => n.startsWith('calls/'));
  expect(calls).toHaveLength(1);
  const call = JSON.parse(text[calls[0]!]!) as { direction: string; endedAt: string | null; samples: { mos: number; rttMs: number }[] };
  expect(call.direction).toBe('outbound');
  expect(call.endedAt).not.toBeNull();
  expect(call.samples.length).toBeGreaterThanOrEqual(2);
  for (const s of call.samples) expect(s.mos).toBeGreaterThan(1);

  const forbidden = ['switchboard', 'test1001', 'test1002', ...tokens];
  expect(tokens.size).toBeGreaterThanOrEqual(2);
  for (const [name, content] of Object.entries(text)) {
    for (const secret of forbidden) expect(content.includes(secret), `${name} contains ${secret.slice(0, 10)}…`).toBe(false);
  }
});
