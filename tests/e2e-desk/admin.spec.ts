import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { registerStatus } from '../support/e2e/sipRegister';
import { baseURL } from './playwright.config';

/**
 * Issue 16 › administration on the server as `npm start` runs it (embedded PGlite, the embedded Kamailio):
 * the admin creates a team (an unknown time zone refused first), a queue and an agent with an extension in
 * the console; the agent signs in and their phone registers against the real Kamailio with the credentials
 * the server provisioned; a chat routed by the new queue is offered to them; the admin rotates the SIP
 * password and Kamailio refuses the old one and takes the new one; deactivating the agent ends their
 * session and their phone's registration. Screenshots of the console in English and 简体中文.
 */

test.describe.configure({ mode: 'serial' });

const shots = process.env.SWITCHBOARD_SHOTS ?? 'test-results/screens';
const pbxDir = process.env.SWITCHBOARD_DESK_PBX_DIR!;
// The embedded PBX's UDP SIP port: its base port (7660 by default, server/pbx/embeddedPbx.ts pbxPorts) + 1.
const sipPort = Number(process.env.SWITCHBOARD_PBX_PORT ?? 7660) + 1;
const ctl = `unix:${path.join(pbxDir, 'kamailio_ctl')}`;
const extension = '3101';

/** Kamailio's own location table: is the extension registered right now? */
function registered(ext: string): boolean {
  try {
    return execFileSync('kamcmd', ['-s', ctl, 'ul.lookup', 'location', `s:${ext}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).includes('Contact');
  } catch {
    return false;
  }
}

let adminCtx: BrowserContext;
let admin: Page;
let agentCtx: BrowserContext;
let agent: Page;

async function signIn(browser: Browser, username: string, password: string, locale = 'en'): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto('/');
  await page.locator('#username, input[autocomplete="username"]').first().fill(username);
  await page.locator('input[type="password"]').first().fill(password);
  await page.locator('form button[type="submit"]').first().click();
  await expect(page.getByTestId('status-phone')).toBeVisible();
  return { ctx, page };
}

async function openAdmin(page: Page): Promise<void> {
  await page.getByTestId('nav-admin').click();
  await expect(page.getByTestId('admin-page')).toBeVisible();
}

test('the admin creates a team, a queue and an agent with an extension; refusals are clear and write nothing', async ({ browser }) => {
  ({ ctx: adminCtx, page: admin } = await signIn(browser, 'admin', 'switchboard'));
  await openAdmin(admin);

  await admin.getByTestId('admin-tab-teams').click();
  await admin.getByTestId('admin-team-name').fill('Team Lisbon');
  await admin.getByTestId('admin-team-tz').fill('Europe/Atlantis');
  await admin.getByTestId('admin-team-save').click();
  await expect(admin.getByTestId('admin-error')).toContainText('Unknown time zone "Europe/Atlantis"');
  await expect(admin.getByTestId('admin-team-Team Lisbon')).toHaveCount(0);
  await admin.getByTestId('admin-team-tz').fill('Europe/Lisbon');
  await admin.getByTestId('admin-team-save').click();
  await expect(admin.getByTestId('admin-team-Team Lisbon')).toContainText('Europe/Lisbon');

  await admin.getByTestId('admin-tab-queues').click();
  await admin.getByTestId('admin-queue-name').fill('Lisbon boxes');
  await admin.getByTestId('admin-queue-team').selectOption({ label: 'Team Lisbon' });
  await admin.getByTestId('admin-queue-language').selectOption('en');
  await admin.getByTestId('admin-queue-country').fill('PT');
  await admin.getByTestId('admin-queue-product').fill('Lisbon-Box');
  await admin.getByTestId('admin-queue-save').click();
  await expect(admin.getByTestId('admin-queue-Lisbon boxes')).toContainText('Lisbon-Box');

  await admin.getByTestId('admin-tab-people').click();
  const form = admin.getByTestId('admin-person-form');
  // The demo's agent1 has extension 1001: a clash is named, and nobody is added.
  await admin.getByTestId('admin-person-username').fill('ana.silva');
  await admin.getByTestId('admin-person-name').fill('Ana Silva');
  await admin.getByTestId('admin-person-extension').fill('1001');
  await form.getByLabel('Team Lisbon').check();
  await admin.getByTestId('admin-person-password').fill('ana-password-2026');
  await admin.getByTestId('admin-person-save').click();
  await expect(admin.getByTestId('admin-error')).toContainText("Extension 1001 is already agent1's.");
  await expect(admin.getByTestId('admin-person-ana.silva')).toHaveCount(0);
  await admin.getByTestId('admin-person-extension').fill(extension);
  await admin.getByTestId('admin-person-save').click();
  await expect(admin.getByTestId('admin-person-ana.silva')).toContainText('Team Lisbon');
  await expect(admin.getByTestId('admin-person-ana.silva')).toContainText(extension);
  await admin.screenshot({ path: `${shots}/admin-people-en.png` });

  await admin.getByTestId('admin-tab-audit').click();
  await expect(admin.getByTestId('admin-audit')).toContainText('person.create');
  await expect(admin.getByTestId('admin-audit')).toContainText('team.create');
  await admin.screenshot({ path: `${shots}/admin-audit-en.png` });
});

test('the new agent signs in, the phone registers with the provisioned credentials, and a chat of the new queue reaches them', async ({ browser }) => {
  ({ ctx: agentCtx, page: agent } = await signIn(browser, 'ana.silva', 'ana-password-2026'));
  await expect(agent.getByTestId('status-phone')).toHaveAttribute('data-state', 'registered', { timeout: 20_000 });
  expect(registered(extension)).toBe(true);

  // A customer whose language, country and product only the new queue serves.
  const res = await agent.request.post(`${baseURL}/widget/sessions`, { data: { name: 'Rui', language: 'en', country: 'PT', product: 'Lisbon-Box' } });
  expect(res.status()).toBe(200);
  await expect(agent.getByTestId('chat-offer')).toContainText('Rui');
});

test('rotating the SIP password: Kamailio refuses the old one, takes the new one, and the old registration is gone', async () => {
  const login = await admin.request.post(`${baseURL}/auth/login`, { data: { username: 'ana.silva', password: 'ana-password-2026' } });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const account = await admin.request.get(`${baseURL}/me/sip-account`, { headers: { authorization: `Bearer ${accessToken}` } });
  const old = ((await account.json()) as { password: string }).password;
  expect(await registerStatus({ port: sipPort, user: extension, password: old })).toBe(200);

  await admin.getByTestId('admin-tab-people').click();
  await admin.getByTestId('admin-person-ana.silva').getByTestId('admin-person-rotate-sip').click();
  const fresh = (await admin.getByTestId('admin-secret-value').textContent()) ?? '';
  expect(fresh).toMatch(/^[A-Za-z0-9_-]{24}$/);
  await expect.poll(() => registered(extension), { timeout: 5_000 }).toBe(false);
  await expect.poll(() => registerStatus({ port: sipPort, user: extension, password: old }), { timeout: 10_000 }).not.toBe(200);
  expect(await registerStatus({ port: sipPort, user: extension, password: fresh })).toBe(200);
});

test('deactivating the agent ends their session and their phone registration', async ({ browser }) => {
  // The agent signs in again: the app fetches the rotated password and registers with it.
  await agentCtx.close();
  ({ ctx: agentCtx, page: agent } = await signIn(browser, 'ana.silva', 'ana-password-2026'));
  await expect(agent.getByTestId('status-phone')).toHaveAttribute('data-state', 'registered', { timeout: 20_000 });
  await expect.poll(() => registered(extension), { timeout: 10_000 }).toBe(true);

  await admin.getByTestId('admin-secret').getByRole('button').click();
  await admin.getByTestId('admin-person-ana.silva').getByTestId('admin-person-active').click();
  await expect(admin.getByTestId('admin-person-ana.silva')).toContainText('Deactivated');
  await expect(agent.locator('input[type="password"]')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => registered(extension), { timeout: 5_000 }).toBe(false);
  await adminCtx.close();
  await agentCtx.close();
});

test('the console in 简体中文 (a lead: their own team only)', async ({ browser }) => {
  const { ctx, page } = await signIn(browser, 'lead1', 'switchboard', 'zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // The demo's waiting chats are offered to the lead at sign-in: declined, so the pictures show the console.
  await page.getByTestId('offer-decline').first().waitFor({ timeout: 5_000 }).catch(() => {});
  while ((await page.getByTestId('offer-decline').count()) > 0) {
    await page.getByTestId('offer-decline').first().click();
    await page.waitForTimeout(300);
  }
  await openAdmin(page);
  await expect(page.getByTestId('admin-tab-people')).toHaveText('人员');
  await expect(page.getByTestId('admin-tab-audit')).toHaveCount(0);
  await expect(page.getByTestId('admin-people')).not.toContainText('ana.silva');
  await expect(page.getByTestId('admin-people')).toContainText('Team Shanghai');
  await page.screenshot({ path: `${shots}/admin-people-zh-CN.png` });
  await page.getByTestId('admin-tab-queues').click();
  await expect(page.getByTestId('admin-queues')).toContainText('Team Shanghai');
  await page.screenshot({ path: `${shots}/admin-queues-zh-CN.png` });
  await ctx.close();
});
