import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { apiToken, signInByName } from '../support/e2e/ticketSteps';
import { closeChat, startCustomer } from '../support/e2e/inboxSteps';

/**
 * Issue 14, the live wallboard: Team Berlin's lead watches the board while a customer starts a chat nobody
 * can take and an agent goes on a lunch break. Each change must show on the lead's screen within 1 s of
 * the action (the issue's own bound), pushed over the realtime channel (the page never polls).
 *
 * How the time is taken: a MutationObserver in the lead's page records Date.now() when the DOM first
 * shows the change; the test records Date.now() just before the action. Both read the same machine's
 * clock, and the observer sees the DOM change itself, not a later Playwright poll.
 */
test.describe.configure({ mode: 'serial' });

const shots = process.env.SWITCHBOARD_SHOTS ?? null;
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: `${shots}/${name}.png` });
  }
};

/** Resolves with Date.now() in the page at the first DOM state where `selector`'s element has `attr` = `value` (or its text contains it). */
function seenAt(page: Page, selector: string, want: { attr?: string; text?: string }): Promise<number> {
  return page.evaluate(
    ({ selector, want }) =>
      new Promise<number>((resolve) => {
        const match = () => {
          for (const el of document.querySelectorAll(selector)) {
            if (want.attr && el.getAttribute(want.attr.split('=')[0]!) !== want.attr.split('=')[1]) continue;
            if (want.text && !(el.textContent ?? '').includes(want.text)) continue;
            return true;
          }
          return false;
        };
        if (match()) return resolve(Date.now());
        const observer = new MutationObserver(() => {
          if (!match()) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      }),
    { selector, want },
  );
}

async function offline(request: Parameters<typeof apiToken>[0], who: string[]) {
  for (const name of who) {
    const token = await apiToken(request, name);
    await request.post('/presence', { headers: { authorization: `Bearer ${token}` }, data: { presence: 'offline' } });
  }
}

/** A signed-in page whose first presence is `presence` (the Settings default), in `locale`. */
async function open(browser: Browser, who: string, opts: { locale?: string; presence?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: opts.locale ?? 'en-US', viewport: opts.viewport ?? { width: 1280, height: 800 } });
  if (opts.presence) await context.addInitScript((p) => window.localStorage.setItem('switchboard.presence-default', p), opts.presence);
  const page = await context.newPage();
  await signInByName(page, who);
  return page;
}

test("the lead's wallboard shows a new waiting chat and an agent's state change within 1 s", async ({ browser, request, baseURL }) => {
  // Nobody in Berlin can take the chat: it waits in the queue (the lead's own app starts offline too).
  await offline(request, ['agent3', 'agent4', 'lead2']);
  const lead = await open(browser, 'lead2', { presence: 'offline' });
  await lead.getByTestId('nav-wallboard').click();
  await expect(lead.getByTestId('board-live')).toHaveAttribute('data-status', 'live');
  const queue = lead.locator('[data-testid="board-queue"][data-queue="Berlin English"]');
  await expect(queue).toBeVisible();
  const before = Number(await queue.getByTestId('queue-waiting').textContent());

  // A new waiting chat.
  const shown = seenAt(lead, '[data-testid="board-queue"][data-queue="Berlin English"] [data-testid="queue-waiting"]', { text: String(before + 1) });
  const t0 = Date.now();
  const customer = await startCustomer(request, baseURL!, { name: 'Wallboard Customer', language: 'en' });
  const chatMs = (await shown) - t0;
  expect(chatMs, `new waiting chat shown after ${chatMs} ms`).toBeLessThan(1000);
  await expect(queue.getByTestId('queue-oldest')).not.toHaveText('–');

  // An agent goes on a lunch break from the status bar.
  const agent = await open(browser, 'agent4', { presence: 'available' });
  const card = lead.locator('[data-testid="board-agent"][data-agent="Amira Haddad"]');
  await expect(card).toHaveAttribute('data-presence', 'available');
  const onBreak = seenAt(lead, '[data-testid="board-agent"][data-agent="Amira Haddad"]', { attr: 'data-presence=break', text: 'Lunch' });
  const t1 = Date.now();
  await agent.getByTestId('presence-select').selectOption({ label: 'On a break · Lunch' });
  const stateMs = (await onBreak) - t1;
  expect(stateMs, `agent state change shown after ${stateMs} ms`).toBeLessThan(1000);
  console.log(`wallboard: new waiting chat shown in ${chatMs} ms, agent state change in ${stateMs} ms`);

  // The agent's own timer and reason in the status bar.
  await expect(agent.getByTestId('status-presence')).toHaveAttribute('data-reason', 'lunch');
  await expect(agent.getByTestId('presence-timer')).toHaveText(/^0:0\d$/);
  await expect(card.getByTestId('agent-state')).toContainText('On a break · Lunch');

  // TV mode: the board alone, and a visible way out.
  await lead.getByTestId('board-enter-tv').click();
  await expect(lead.getByTestId('wallboard-tv')).toBeVisible();
  await expect(lead.getByTestId('board-exit-tv')).toBeVisible();
  await lead.keyboard.press('Escape');
  await expect(lead.getByTestId('wallboard-tv')).toHaveCount(0);
  await expect(lead.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();

  customer.close();
  await closeChat(request, await apiToken(request, 'lead2'), customer.conversationId);
  await agent.getByTestId('presence-select').selectOption({ label: 'Offline' });
  await agent.context().close();
  await lead.context().close();
  await offline(request, ['agent4', 'lead2']);
});

test('an agent does not get the wallboard', async ({ browser }) => {
  const agent = await open(browser, 'agent3', { presence: 'offline' });
  await expect(agent.getByTestId('nav-inbox')).toBeVisible();
  await expect(agent.getByTestId('nav-wallboard')).toHaveCount(0);
  await agent.context().close();
});

test("the lead sets the first-contact-resolution window in the floor editor: one save, all or nothing, and the KPI page counts with it", async ({ browser, request }) => {
  const page = await open(browser, 'lead2', { presence: 'busy' });
  await page.getByTestId('nav-wallboard').click();
  await page.getByTestId('board-edit-floor').click();
  const editor = page.getByTestId('floor-editor');
  const fcr = editor.getByTestId('floor-fcr-days');
  await expect(fcr).toHaveValue('7');
  const zone = editor.getByLabel('Time zone');
  // A new window with an unknown time zone: the server refuses the one request, and the window stays 7.
  await fcr.fill('10');
  await zone.fill('Mars/Olympus');
  await editor.getByTestId('floor-save').click();
  await expect(editor.getByRole('alert')).toContainText('"Mars/Olympus" is not a time zone');
  const token = await apiToken(request, 'lead2');
  const teams = (await (await request.get('/board/teams', { headers: { authorization: `Bearer ${token}` } })).json()) as { teams: { id: string; name: string }[] };
  const berlin = teams.teams.find((t) => t.name === 'Team Berlin')!;
  const floorNow = async () => ((await (await request.get(`/teams/${berlin.id}/floor`, { headers: { authorization: `Bearer ${token}` } })).json()) as { fcrWindowDays: number; floor: { timeZone: string } });
  expect(await floorNow()).toMatchObject({ fcrWindowDays: 7, floor: { timeZone: 'Europe/Berlin' } });

  await zone.fill('Europe/Berlin');
  await editor.getByTestId('floor-save').click();
  await expect(editor.getByRole('status')).toContainText('Saved.');
  expect((await floorNow()).fcrWindowDays).toBe(10);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'KPIs' }).click();
  await expect(page.locator('[data-kpi="fcr"]')).toContainText('within 10 days');

  // Back to the demo's 7 days for the other specs.
  const back = await floorNow();
  const reasons = ((await (await request.get(`/teams/${berlin.id}/floor`, { headers: { authorization: `Bearer ${token}` } })).json()) as { reasons: { id: string; code: string; labels: object; active: boolean }[] }).reasons;
  const res = await request.put(`/teams/${berlin.id}/floor`, { headers: { authorization: `Bearer ${token}` }, data: { ...back, fcrWindowDays: 7, reasons } });
  expect(res.status()).toBe(200);
  await page.context().close();
});

test('screenshots: the wallboard (page and TV) and the status bar timer with a break reason, in English and 简体中文', async ({ browser, request, baseURL }) => {
  test.skip(!shots, 'screenshots are taken only when SWITCHBOARD_SHOTS names a folder');
  // Eight pages in two languages: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  const customers = [await startCustomer(request, baseURL!, { name: 'Olivia Brown', language: 'en' }), await startCustomer(request, baseURL!, { name: '陈静', language: 'zh-CN' })];
  for (const [locale, tag, lead, agentName, label] of [
    ['en-US', 'en', 'lead2', 'agent3', 'On a break · Training'],
    ['zh-CN', 'zh-CN', 'lead1', 'agent1', '休息中 · 培训'],
  ] as const) {
    const agent = await open(browser, agentName, { locale, presence: 'offline' });
    await agent.getByTestId('presence-select').selectOption({ label });
    await agent.waitForTimeout(3_000);
    await shot(agent, `statusbar-break-${tag}`);
    const bar = await agent.locator('footer.statusbar').boundingBox();
    if (bar && shots) await agent.screenshot({ path: `${shots}/statusbar-break-${tag}-closeup.png`, clip: { x: 0, y: bar.y - 4, width: 700, height: bar.height + 8 } });
    const page = await open(browser, lead, { locale, presence: 'busy', viewport: { width: 1600, height: 900 } });
    await page.getByTestId('nav-wallboard').click();
    await expect(page.getByTestId('board-live')).toHaveAttribute('data-status', 'live');
    await page.waitForTimeout(1_500);
    await shot(page, `wallboard-${tag}`);
    await page.getByTestId('board-enter-tv').click();
    await expect(page.getByTestId('wallboard-tv')).toBeVisible();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(1_500);
    await shot(page, `wallboard-tv-${tag}`);
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.getByTestId('board-edit-floor').click();
    await expect(page.getByTestId('floor-editor')).toBeVisible();
    await shot(page, `break-reasons-${tag}`);
    // The Team page's live view, pushed ("Live"), and the SLA policy editor with its second escalation level.
    await page.getByTestId('nav-team').click();
    await expect(page.getByTestId('team-live-status')).toHaveAttribute('data-live', 'true');
    await shot(page, `team-live-${tag}`);
    await page.getByTestId('nav-alarms').click();
    await page.getByTestId('sla-tab-policies').click();
    await expect(page.getByTestId('policy-editor')).toBeVisible();
    await page.getByTestId('policy-row').first().scrollIntoViewIfNeeded();
    await shot(page, `policy-editor-${tag}`);
    await agent.getByTestId('presence-select').selectOption({ value: 'offline' });
    await agent.context().close();
    await page.context().close();
  }
  for (const c of customers) {
    c.close();
    await closeChat(request, await apiToken(request, 'admin'), c.conversationId);
  }
  await offline(request, ['agent1', 'agent3', 'lead1', 'lead2']);
});
