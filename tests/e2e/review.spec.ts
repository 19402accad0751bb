import { expect, test, type Browser, type Page } from '@playwright/test';
import type { ReviewAuditList, ReviewSearchResult } from '../../core/wire/review';
import type { KpiScopes } from '../../core/kpi/wire';
import { openPostgres } from '../../server/db/postgres';
import { seedReviewConversation } from '../../server/review/seed';
import { startRestartableServer, type RestartableServer } from '../support/e2e/restartableServer';

/**
 * Issue 19 review end to end on a server of this spec's own: last month's conversations are written to its
 * database (the live chat path cannot create the past), the Berlin lead finds an agent's by the UI and opens
 * the whole record; the Shanghai lead is refused on the wire; both accesses are in the review audit.
 * Screenshots in English (Berlin lead) and Simplified Chinese (Shanghai lead).
 */
const port = 7652;
const shots = process.env.SWITCHBOARD_SHOTS ?? 'test-results/screens';

let server: RestartableServer;
test.beforeAll(async () => {
  test.skip(!process.env.DATABASE_URL, "needs the e2e run's PostgreSQL (scripts/e2e.mjs sets DATABASE_URL): the fixture writes last month into the spec's own database");
  server = await startRestartableServer('review_e2e', port, process.env.DATABASE_URL!);
});
test.afterAll(async () => {
  await server?.drop();
});

/** The first and last day of last month (UTC), and a time in its middle. */
function lastMonth(): { from: string; to: string; mid: (day: number, hour: number) => Date } {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(first), to: iso(last), mid: (day, hour) => new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), day, hour)) };
}

async function open(browser: Browser, locale: string, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.base, locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill('switchboard');
  await page.locator('input[name="password"]').press('Enter');
  await expect(page.getByTestId('nav-inbox')).toBeVisible();
  return page;
}

test("a lead finds last month's conversations by agent and opens the whole record; another team's lead is refused; both are in the audit", async ({ browser, playwright }) => {
  test.setTimeout(180_000);
  const api = await playwright.request.newContext({ baseURL: server.base });
  const token = async (username: string) => ((await (await api.post('/auth/login', { data: { username, password: 'switchboard' } })).json()) as { accessToken: string }).accessToken;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const lead2 = await token('lead2');
  const lead1 = await token('lead1');
  const scopes = (await (await api.get('/kpi/scopes', { headers: auth(lead2) })).json()) as KpiScopes;
  const berlin = scopes.teams.find((t) => t.name === 'Team Berlin')!;
  const jonas = berlin.agents.find((a) => a.displayName === 'Jonas Weber')!;
  const amira = berlin.agents.find((a) => a.displayName === 'Amira Haddad')!;
  const shanghai = ((await (await api.get('/kpi/scopes', { headers: auth(lead1) })).json()) as KpiScopes).teams.find((t) => t.name === 'Team Shanghai')!;

  const month = lastMonth();
  const db = await openPostgres(server.databaseUrl);
  let record: string;
  try {
    record = (
      await seedReviewConversation(db, {
        teamId: berlin.id, agentId: jonas.id, at: month.mid(12, 9), customerName: 'Mei Chen', customerEmail: 'mei.chen@example.com', tags: ['refund'], subject: 'Parcel arrived damaged', csat: 2,
        messages: [
          { author: 'customer', body: 'My parcel arrived damaged, the lid is cracked.' },
          { author: 'agent', kind: 'note', body: 'Second complaint this month from this customer.' },
          { author: 'coach', kind: 'note', body: 'Offer the replacement first, then the voucher.' },
          { author: 'agent', body: 'I am sorry. A replacement is on its way today.' },
        ],
      })
    ).id;
    await seedReviewConversation(db, { teamId: berlin.id, agentId: jonas.id, at: month.mid(20, 14), customerName: 'Tom Baker', customerEmail: 'tom@example.com', subject: 'Invoice copy', csat: 5, messages: [{ author: 'customer', body: 'Can I get a copy of my invoice?' }] });
    await seedReviewConversation(db, { teamId: berlin.id, agentId: amira.id, at: month.mid(15, 10), customerName: 'Ana Silva', subject: 'Delivery date' });
    await seedReviewConversation(db, { teamId: berlin.id, agentId: jonas.id, at: new Date(Date.parse(`${month.from}T00:00:00Z`) - 5 * 86_400_000), customerName: 'Before last month' });
    await seedReviewConversation(db, { teamId: shanghai.id, agentId: shanghai.agents.find((a) => a.displayName === '李娜')!.id, at: month.mid(18, 3), customerName: '张伟', subject: '发票问题', csat: 4, messages: [
      { author: 'customer', body: '我需要重新开具发票。' },
      { author: 'agent', kind: 'note', body: '客户之前已来电一次。' },
      { author: 'agent', body: '好的，我们今天就为您重新开具。' },
    ] });
  } finally {
    await db.close();
  }

  // The Berlin lead, in English: Review in the rail, Jonas Weber, last month.
  const page = await open(browser, 'en', 'lead2');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Review' }).click();
  await page.getByTestId('review-team').selectOption({ label: 'Team Berlin' });
  await page.getByTestId('review-agent').selectOption({ label: 'Jonas Weber' });
  await page.getByTestId('review-from').fill(month.from);
  await page.getByTestId('review-to').fill(month.to);
  await page.getByTestId('review-search').click();
  const hits = page.getByTestId('review-hit');
  await expect(hits).toHaveCount(2);
  await expect(hits.first()).toContainText('Tom Baker');
  await expect(hits.nth(1)).toContainText('Mei Chen');
  await expect(page.getByTestId('review-results')).not.toContainText('Ana Silva');
  await page.screenshot({ path: `${shots}/review-search-en.png` });
  await hits.nth(1).click();
  const transcript = page.getByTestId('review-transcript');
  await expect(transcript.getByRole('listitem')).toHaveCount(4);
  await expect(transcript.getByRole('listitem').nth(1)).toContainText('Internal note');
  await expect(transcript.getByRole('listitem').nth(2)).toContainText('Coach whisper');
  await expect(transcript.getByRole('listitem').nth(2)).toContainText('Offer the replacement first');
  await expect(page.getByTestId('review-survey')).toContainText('2 / 5');
  await expect(page.getByTestId('review-record')).toContainText('refund');
  await page.screenshot({ path: `${shots}/review-record-en.png` });

  // The Shanghai lead on the wire: the Berlin record and a Berlin search are refused.
  expect((await api.get(`/review/conversations/${record}`, { headers: auth(lead1) })).status()).toBe(404);
  expect((await api.get(`/review/conversations?teamId=${berlin.id}`, { headers: auth(lead1) })).status()).toBe(403);
  // An agent is refused too.
  expect((await api.get(`/review/conversations/${record}`, { headers: auth(await token('agent3')) })).status()).toBe(403);

  // Both accesses are in Team Berlin's review audit.
  const audit = ((await (await api.get(`/review/audit?teamId=${berlin.id}&limit=200`, { headers: auth(lead2) })).json()) as ReviewAuditList).entries;
  expect(audit.some((e) => e.actorName === 'Sarah Klein' && e.action === 'open' && e.outcome === 'allowed' && e.conversationId === record)).toBe(true);
  expect(audit.some((e) => e.actorName === 'Sarah Klein' && e.action === 'search' && e.outcome === 'allowed' && e.query.agentId === jonas.id)).toBe(true);
  expect(audit.some((e) => e.actorName === '王军' && e.action === 'open' && e.outcome === 'refused' && e.conversationId === record)).toBe(true);
  expect(audit.some((e) => e.actorName === '王军' && e.action === 'search' && e.outcome === 'refused')).toBe(true);
  // The admin sees every team's.
  const all = (await (await api.get(`/review/conversations?from=${month.from}&to=${month.to}`, { headers: auth(await token('admin')) })).json()) as ReviewSearchResult;
  expect(new Set(all.hits.map((h) => h.teamId))).toEqual(new Set([berlin.id, shanghai.id]));

  // The Shanghai lead, in Simplified Chinese: their own team's conversation with its note.
  const zh = await open(browser, 'zh-CN', 'lead1');
  await zh.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '质检复盘' }).click();
  await zh.getByTestId('review-from').fill(month.from);
  await zh.getByTestId('review-to').fill(month.to);
  await zh.getByTestId('review-search').click();
  await expect(zh.getByTestId('review-hit')).toHaveCount(1);
  await expect(zh.getByTestId('review-results')).not.toContainText('Mei Chen');
  await zh.screenshot({ path: `${shots}/review-search-zh-CN.png` });
  await zh.getByTestId('review-hit').click();
  await expect(zh.getByTestId('review-transcript')).toContainText('内部备注');
  await zh.screenshot({ path: `${shots}/review-record-zh-CN.png` });
});
