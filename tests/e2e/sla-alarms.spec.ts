import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { Alarm, AlarmList, SlaTeams, TeamSlaSettingsView } from '../../core/wire/sla';
import { startCustomer, takeChat, openInbox } from '../support/e2e/inboxSteps';
import { startRestartableServer, type RestartableServer } from '../support/e2e/restartableServer';
import { signIn } from '../support/e2e/ticketSteps';

/**
 * Issue 14: SLA alarms end to end, on a server process of this spec's own (its own PostgreSQL database),
 * restarted in the middle. A Berlin chat's first-response target is 20 s with the warning at 80 %.
 */
const port = 7631;

/** Records what the browser host hands to the Notification API (renderer/services/host/browserHost.ts osNotify). */
async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __notices: { title: string; body: string; tag?: string }[] };
    w.__notices = [];
    class RecordingNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string, options: { body?: string; tag?: string } = {}) {
        w.__notices.push({ title, body: options.body ?? '', ...(options.tag ? { tag: options.tag } : {}) });
      }
    }
    Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true });
  });
}
const notices = (page: Page) => page.evaluate(() => (window as unknown as { __notices: { title: string; body: string; tag?: string }[] }).__notices.filter((n) => n.tag?.startsWith('sla-')));

let server: RestartableServer;
test.beforeAll(async () => {
  test.skip(!process.env.DATABASE_URL, 'needs the e2e run\'s PostgreSQL (scripts/e2e.mjs sets DATABASE_URL): the server is restarted and its database must outlive it');
  server = await startRestartableServer('sla_e2e', port, process.env.DATABASE_URL!);
});
test.afterAll(async () => {
  await server?.drop();
});

test('a waiting chat warns the Berlin lead at 80 %, breaches at the target, each alarm exactly once across a server restart; the reply ends Overdue', async ({ browser, playwright }) => {
  test.setTimeout(240_000);
  const api = await playwright.request.newContext({ baseURL: server.base });
  const token = async (username: string) => ((await (await api.post('/auth/login', { data: { username, password: 'switchboard' } })).json()) as { accessToken: string }).accessToken;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const lead2 = await token('lead2');
  const lead1 = await token('lead1');

  // The Berlin lead sets a short first-response target for chats through the policy API.
  const teams = ((await (await api.get('/sla/teams', { headers: auth(lead2) })).json()) as SlaTeams).teams;
  const berlin = teams.find((t) => t.name === 'Team Berlin')!;
  expect(berlin.timeZone).toBe('Europe/Berlin');
  const current = (await (await api.get(`/sla/teams/${berlin.id}/settings`, { headers: auth(lead2) })).json()) as TeamSlaSettingsView;
  const policies = current.policies.map((p) => (p.channel === 'chat' ? { ...p, firstResponseSeconds: 20, warnPercent: 80, businessHours: false, escalateAfterSeconds: 3600 } : p));
  const saved = await api.put(`/sla/teams/${berlin.id}/settings`, { headers: auth(lead2), data: { timeZone: current.timeZone, hours: current.hours, holidays: current.holidays, policies } });
  expect(saved.status(), await saved.text()).toBe(200);

  const open = async (username: string) => {
    // The spec reads English labels: keep the browser's language rather than each account's (as playwright.config.ts does for the shared server).
    const context = await browser.newContext({
      baseURL: server.base,
      storageState: { cookies: [], origins: [{ origin: server.base, localStorage: [{ name: 'switchboard.locale-follows-account', value: 'off' }] }] },
    });
    await recordNotifications(context);
    const page = await context.newPage();
    await page.goto('/');
    await signIn(page, username);
    return page;
  };
  const berlinLead = await open('lead2');
  const shanghaiLead = await open('lead1');
  const agent = await open('agent4');
  await openInbox(agent);
  // Only agent4 is offered the chat: the other Berlin people are away.
  for (const who of ['agent3', 'lead2']) await api.post('/presence', { headers: auth(await token(who)), data: { presence: 'offline' } });

  const customer = await startCustomer(api, server.base, { name: 'Waiting Customer', language: 'en' });
  await customer.send('Hello? My order never arrived.');
  await takeChat(agent, customer.conversationId);
  const startedAt = Date.now();

  // 80 % of 20 s: the warning, to the Berlin lead (banner + OS notification) and the assignee; nothing for Shanghai's lead.
  const banner = berlinLead.getByTestId('alarm-banner');
  await expect(banner).toHaveAttribute('data-level', 'warning', { timeout: 20_000 });
  const warnedAfter = Date.now() - startedAt;
  expect(warnedAfter).toBeGreaterThanOrEqual(14_000);
  await expect.poll(async () => (await notices(berlinLead)).map((n) => n.title)).toEqual([expect.stringContaining('SLA warning')]);
  await expect(agent.getByTestId('alarm-banner')).toHaveAttribute('data-level', 'warning');
  await expect.poll(async () => (await notices(agent)).length).toBe(1);
  const warning = (((await (await api.get('/sla/alarms', { headers: auth(lead2) })).json()) as AlarmList).alarms as Alarm[]).find((a) => a.level === 'warning')!;
  expect(warning.teamTimeZone).toBe('Europe/Berlin');
  const ticketNumber = warning.ticketNumber!;
  // Screenshots for review: SWITCHBOARD_SHOTS names a folder outside the repository, else the test's output folder.
  const shots = process.env.SWITCHBOARD_SHOTS ?? test.info().outputPath('shots');
  mkdirSync(shots, { recursive: true });
  {
    await berlinLead.screenshot({ path: `${shots}/alarm-banner-warning-en.png` });
  }

  // The server goes down and comes back (the breach falls due meanwhile, or just after): nothing lost, nothing twice.
  await server.restart();
  await expect(banner).toHaveAttribute('data-level', 'breach', { timeout: 60_000 });
  await expect.poll(async () => (await notices(berlinLead)).map((n) => n.title), { timeout: 30_000 }).toEqual([expect.stringContaining('SLA warning'), expect.stringContaining('SLA breached')]);

  // The agent's chat shows Overdue until the reply; then the timer stops and Overdue is gone (inbox and ticket list).
  const row = agent.locator(`[data-testid="conversation-row"][data-id="${customer.conversationId}"]`);
  await expect(row.locator('.conv-row__sla--overdue')).toBeVisible({ timeout: 30_000 });
  await row.click();
  const input = agent.getByTestId('chat-input');
  await input.fill('Sorry for the wait, I am checking your order now.');
  await input.press('Enter');
  await expect(row.locator('.conv-row__sla')).toHaveCount(0, { timeout: 15_000 });
  await agent.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Tickets' }).click();
  await agent.getByTestId('ticket-search').fill(`#${ticketNumber}`);
  const ticketRow = agent.locator(`[data-testid="ticket-row"][data-number="${ticketNumber}"]`);
  await expect(ticketRow).toBeVisible({ timeout: 15_000 });
  // The ticket list follows sync, whose socket reconnects after the restart on its own backoff (up to a minute).
  await expect(ticketRow.locator('.ticket-row__sla--overdue')).toHaveCount(0, { timeout: 90_000 });
  await expect(ticketRow).not.toContainText('Overdue');
  // The ticket's timers: first response missed (and now done), resolution running.
  await ticketRow.click();
  const timers = agent.getByTestId('sla-timers');
  await expect(timers.locator('[data-kind="first_response"]')).toHaveAttribute('data-state', 'missed');
  await expect(timers.locator('[data-kind="first_response"]')).toContainText('done');
  await expect(timers.locator('[data-kind="resolution"]')).toHaveAttribute('data-state', 'active');
  await agent.screenshot({ path: `${shots}/ticket-timers-en.png` });

  // Exactly once each, on screen, in notifications and in the database; Shanghai's lead got nothing.
  await berlinLead.getByTestId('nav-alarms').click();
  const rows = berlinLead.locator(`[data-testid="alarm-row"][data-ticket="${ticketNumber}"]`);
  await expect(rows).toHaveCount(2);
  await expect(rows.and(berlinLead.locator('[data-level="warning"]'))).toHaveCount(1);
  await expect(rows.and(berlinLead.locator('[data-level="breach"]'))).toHaveCount(1);
  await berlinLead.screenshot({ path: `${shots}/alarm-list-en.png` });
  await new Promise((r) => setTimeout(r, 3_000));
  expect((await notices(berlinLead)).length).toBe(2);
  expect((await notices(agent)).length).toBe(2);
  const mine = ((await (await api.get('/sla/alarms', { headers: auth(lead2) })).json()) as AlarmList).alarms.filter((a) => a.ticketNumber === ticketNumber);
  expect(mine.map((a) => a.level).sort()).toEqual(['breach', 'warning']);
  expect(((await (await api.get('/sla/alarms', { headers: auth(lead1) })).json()) as AlarmList).alarms).toEqual([]);
  expect(await notices(shanghaiLead)).toEqual([]);
  await expect(shanghaiLead.getByTestId('alarm-banner')).toHaveCount(0);

  // Acknowledge from the banner: who and when are recorded, and the banner goes.
  await berlinLead.getByTestId('alarm-banner-ack').click();
  await expect(berlinLead.locator('[data-testid="alarm-row"][data-level="breach"]')).toHaveCount(0);
  await berlinLead.getByRole('checkbox').first().uncheck();
  await expect(rows.and(berlinLead.locator('[data-level="breach"]')).getByTestId('alarm-acked')).toContainText('Sarah Klein');

  // The policy editor refuses bad input with a clear message and saves good input (English, then 简体中文).
  await berlinLead.getByTestId('sla-tab-policies').click();
  const editor = berlinLead.getByTestId('policy-editor');
  await expect(editor).toBeVisible();
  const warn = berlinLead.getByTestId('policy-warn').first();
  await warn.fill('120');
  await berlinLead.getByTestId('policy-save').click();
  await expect(berlinLead.getByTestId('policy-error')).toContainText('must be between 1 and 99');
  await berlinLead.screenshot({ path: `${shots}/policy-editor-error-en.png` });
  await warn.fill('80');
  await berlinLead.getByTestId('policy-save').click();
  await expect(berlinLead.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  {
    await berlinLead.getByRole('navigation', { name: 'Main navigation' }).getByTestId('nav-settings').click();
    await berlinLead.getByTestId('language-select').selectOption('zh-CN');
    await berlinLead.getByTestId('nav-alarms').click();
    await berlinLead.getByTestId('sla-tab-alarms').click();
    await berlinLead.getByRole('checkbox').first().uncheck();
    await berlinLead.screenshot({ path: `${shots}/alarm-list-zh-CN.png` });
    await berlinLead.getByTestId('sla-tab-policies').click();
    await expect(editor).toBeVisible();
    await berlinLead.screenshot({ path: `${shots}/policy-editor-zh-CN.png` });
  }
  customer.close();
  await api.dispose();
});
