import { expect, test, type APIRequestContext } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { apiToken, signInByName } from '../support/e2e/ticketSteps';

/**
 * Issue 6: a finished phone call shows in the customer's conversation history. No SIP server here, so the
 * test does what the phone does when it logs a call: it writes the call's report into the agent's outbox
 * database; the app sends it (here on the `online` nudge), the server files it as a closed voice
 * conversation, and the inbox shows it with a phone icon and the call's line in the agent's language.
 */

const cases = [
  { locale: 'en', agent: 'agent3', name: 'Lena Fischer', remote: '+49 30 5550101', outcome: 'missed', durationMs: 0, line: 'Incoming call · missed · 0:00 · +49 30 5550101', voice: 'Voice', closed: 'Closed' },
  { locale: 'zh-CN', agent: 'agent1', name: '王小明', remote: '+86 138 0013 8000', outcome: 'answered', durationMs: 95_000, line: '来电 · 已接听 · 1:35 · +86 138 0013 8000', voice: '语音', closed: '已关闭' },
] as const;

async function voiceCalls(request: APIRequestContext, token: string, name: string) {
  const res = await request.get('/chat/conversations', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  const { conversations } = (await res.json()) as { conversations: { id: string; channel: string; customerName: string; state: string }[] };
  return conversations.filter((c) => c.channel === 'voice' && c.customerName === name);
}

for (const c of cases) {
  test(`a logged call appears in the inbox history with a phone icon (${c.locale})`, async ({ browser, request }) => {
    const token = await apiToken(request, c.agent);
    const me = (await (await request.get('/me', { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string };
    const context = await browser.newContext({ locale: c.locale });
    const page = await context.newPage();
    await signInByName(page, c.agent);
    await page.getByTestId('nav-inbox').click();
    await expect(page.getByTestId('chat-connection')).toHaveAttribute('data-connected', 'true', { timeout: 30_000 });

    const report = {
      id: randomUUID(), callId: `c${Date.now().toString(36)}`, direction: 'inbound', remote: c.remote, remoteName: c.name,
      startedAt: Date.now() - 120_000, durationMs: c.durationMs, outcome: c.outcome,
    };
    // The row the phone's call log write queues (renderer/services/db/callReports.ts CallReportRow).
    await page.evaluate(
      async ({ db, row }) => {
        const open = indexedDB.open(db);
        const idb = await new Promise<IDBDatabase>((resolve, reject) => {
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        await new Promise<void>((resolve, reject) => {
          const tx = idb.transaction('callReports', 'readwrite');
          tx.objectStore('callReports').put(row);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        idb.close();
        window.dispatchEvent(new Event('online'));
      },
      { db: `switchboard-outbox-${me.id}`, row: { callId: report.callId, report, createdAt: Date.now(), status: 'pending' } },
    );

    await expect.poll(async () => (await voiceCalls(request, token, c.name)).length, { timeout: 20_000 }).toBe(1);
    // A second nudge (the report was already sent and dropped from the outbox) adds nothing.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));

    await page.getByTestId('inbox-view-closed').click();
    const row = page.getByTestId('conversation-row').filter({ hasText: c.name });
    await expect(row).toBeVisible({ timeout: 20_000 });
    await expect(row.locator('.conv-row__channel')).toHaveAttribute('aria-label', c.voice);
    await expect(row).toContainText(c.closed);
    await row.click();
    await expect(page.getByTestId('call-line')).toHaveText(c.line);
    await expect(page.locator('[data-event="voice-call"] svg')).toBeVisible();
    // Offers of the seeded waiting chats cover the top of the view: pass them, for the picture.
    while ((await page.getByTestId('offer-decline').count()) > 0) {
      await page.getByTestId('offer-decline').first().click();
      await page.waitForTimeout(300);
    }
    await page.screenshot({ path: `${process.env.SWITCHBOARD_E2E_OUT ?? 'test-results'}/screens/inbox-call-history-${c.locale}.png` });
    expect(await voiceCalls(request, token, c.name)).toHaveLength(1);
    await context.close();
  });
}
