import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/**
 * Issue 14 KPI page on the demo seed's history (server/seed/kpiDemo.ts): a lead's team figures with
 * 环比 / 同比, the trend chart drawn (uPlot canvas under the app's CSP), the CSAT validity mark (Team Berlin's
 * customers answer 47% of surveys: not valid; Team Shanghai's 68%: valid), an agent's own figures only,
 * and the CSV export. Screenshots (1280×800, full page) in English and Simplified Chinese.
 */
const shots = process.env.SWITCHBOARD_SHOTS ?? 'test-results/screens';

async function signIn(browser: Browser, locale: string, username: string, ui: { username: string; password: string; submit: string }): Promise<Page> {
  // Tall enough for the figures, the trend and the agent table in one picture (the page scrolls inside).
  const context = await browser.newContext({ locale, acceptDownloads: true, viewport: { width: 1280, height: 1500 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (page as Page & { cspErrors?: string[] }).cspErrors = errors;
  await page.goto('/');
  await page.getByLabel(ui.username).fill(username);
  await page.getByLabel(ui.password).fill('switchboard');
  await page.getByRole('button', { name: ui.submit }).click();
  // Leads and agents are offered the demo's waiting chats at sign-in: decline them, so the pictures show the page.
  await page.getByTestId('offer-decline').first().waitFor({ timeout: 5_000 }).catch(() => {});
  while ((await page.getByTestId('offer-decline').count()) > 0) {
    await page.getByTestId('offer-decline').first().click();
    await page.waitForTimeout(300);
  }
  return page;
}

test('lead (English): Team Berlin last month, CSAT marked not valid, chart drawn, CSV with a BOM', async ({ browser }) => {
  const page = await signIn(browser, 'en', 'lead2', { username: 'Username', password: 'Password', submit: 'Sign in' });
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'KPIs' }).click();
  await expect(page.getByTestId('kpi-figures')).toBeVisible();
  await page.getByRole('button', { name: 'Month', exact: true }).click();
  await page.getByRole('button', { name: 'Earlier period' }).click();
  await expect(page.getByTestId('kpi-range')).toHaveText('November 2026');
  await expect(page.getByTestId('kpi-body')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByText('Nov 1 – 30, 2026').first()).toBeVisible();
  const csat = page.getByRole('region', { name: 'Customer satisfaction (CSAT)' });
  await expect(csat.getByRole('note')).toHaveText('Not valid: response rate 50% or less');
  await expect(csat.getByTestId('kpi-csat-response')).toContainText('Response rate 4');
  await expect(page.getByRole('region', { name: 'Contacts handled' })).toContainText('vs prev.');
  await expect(page.getByTestId('kpi-agents').getByRole('row')).toHaveCount(4);
  // uPlot drew on its canvas: some pixel is not blank.
  const inked = await page.getByTestId('kpi-trend-chart').locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  });
  expect(inked).toBe(true);
  expect((page as Page & { cspErrors?: string[] }).cspErrors?.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  await page.screenshot({ path: `${shots}/kpi-lead-month-en.png` });

  const download = page.waitForEvent('download');
  await page.getByTestId('kpi-export').click();
  const file = await (await download).path();
  const bytes = readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('current,Team Berlin,');
});

test('lead (简体中文): Team Shanghai week and last month, CSAT valid, an agent picked', async ({ browser }) => {
  const page = await signIn(browser, 'zh-CN', 'lead1', { username: '用户名', password: '密码', submit: '登录' });
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '绩效' }).click();
  await expect(page.getByTestId('kpi-body')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByRole('region', { name: '已处理联系' })).toContainText('环比');
  await expect(page.getByRole('region', { name: '已处理联系' })).toContainText('同比');
  await page.screenshot({ path: `${shots}/kpi-lead-week-zh-CN.png` });
  await page.getByRole('button', { name: '月', exact: true }).click();
  await page.getByRole('button', { name: '上一周期' }).click();
  await expect(page.getByTestId('kpi-range')).toHaveText('2026年11月');
  await expect(page.getByTestId('kpi-body')).toHaveAttribute('aria-busy', 'false');
  const csat = page.getByRole('region', { name: '客户满意度（CSAT）' });
  await expect(csat).toHaveAttribute('data-valid', 'true');
  await expect(csat.getByRole('note')).toHaveCount(0);
  await page.screenshot({ path: `${shots}/kpi-lead-month-zh-CN.png` });
  await page.getByTestId('kpi-agent').selectOption({ label: '李娜' });
  await expect(page.getByTestId('kpi-agents')).toHaveCount(0);
});

test('agent (简体中文): own figures only, no team or agent picker', async ({ browser }) => {
  const page = await signIn(browser, 'zh-CN', 'agent1', { username: '用户名', password: '密码', submit: '登录' });
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '绩效' }).click();
  await expect(page.getByTestId('kpi-body')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('kpi-agent')).toHaveCount(0);
  await expect(page.getByTestId('kpi-agents')).toHaveCount(0);
  await page.screenshot({ path: `${shots}/kpi-agent-week-zh-CN.png` });
});
