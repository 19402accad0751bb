import { expect, test, type Locator, type Page } from '@playwright/test';
import { startCustomer, takeChat, type Customer } from '../support/e2e/inboxSteps';

/**
 * Issue 15 › nothing covers the work: with several chat offers pending and a call ringing, the agent's
 * current conversation keeps its header and first message visible and clickable. Offers and the call
 * banner take a row of their own above the page (Shell's alerts row), not an overlay.
 */

/** The element the browser hit-tests at the centre of `target` belongs to it (nothing sits on top). */
async function onTop(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  if (!box) return false;
  const handle = await target.elementHandle();
  return page.evaluate(
    ({ x, y, el }) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && el !== null && (el === hit || el.contains(hit));
    },
    { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 10), el: handle },
  );
}

test('several pending offers and a ringing call leave the conversation header and first message visible and clickable', async ({ page, request, baseURL, browser }) => {
  const customers: Customer[] = [];
  try {
    await page.goto('/');
    await page.getByLabel('Username').fill('agent4');
    await page.getByLabel('Password').fill('switchboard');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('status-phone')).toHaveAttribute('data-state', 'registered');
    await page.getByTestId('nav-inbox').click();

    const first = await startCustomer(request, baseURL!, { name: 'Nora Lind', language: 'en' });
    customers.push(first);
    await first.send('Hello, my parcel arrived broken.');
    await takeChat(page, first.conversationId);
    const header = page.getByTestId('conversation-customer');
    const firstMessage = page.locator('[data-testid="chat-message"][data-author="customer"]').first();
    await expect(firstMessage).toContainText('my parcel arrived broken');

    // A busy queue: five more customers wait for an agent.
    for (const name of ['Ola Berg', 'Pia Holm', 'Rui Costa', 'Sam Reid', 'Tom Ueda']) {
      const c = await startCustomer(request, baseURL!, { name, language: 'en' });
      customers.push(c);
      await c.send(`Hi, this is ${name}.`);
    }
    // The router offers this agent what its capacity allows (two here); more would show as "+N more waiting".
    await expect.poll(() => page.getByTestId('chat-offer').locator('.offer-banner__item').count()).toBeGreaterThanOrEqual(2);

    // And a colleague calls: the call banner joins the row.
    const colleagueCtx = await browser.newContext();
    const colleague = await colleagueCtx.newPage();
    await colleague.goto('/');
    await colleague.getByLabel('Username').fill('agent3');
    await colleague.getByLabel('Password').fill('switchboard');
    await colleague.getByRole('button', { name: 'Sign in' }).click();
    await expect(colleague.getByTestId('status-phone')).toHaveAttribute('data-state', 'registered');
    await colleague.getByTestId('nav-phone').click();
    await colleague.getByTestId('dial-input').fill('1004');
    await colleague.getByTestId('dial-call').click();
    await expect(page.getByTestId('incoming-call')).toBeVisible();

    for (const target of [header, firstMessage]) {
      await expect(target).toBeVisible();
      expect(await onTop(page, target)).toBe(true);
    }
    // Clickable: Playwright's click refuses when another element would receive it.
    await header.click({ timeout: 3000 });
    await firstMessage.click({ timeout: 3000 });
    const offersBox = await page.getByTestId('shell-alerts').boundingBox();
    const headerBox = await header.boundingBox();
    expect(offersBox!.y + offersBox!.height).toBeLessThanOrEqual(headerBox!.y);
    await page.screenshot({ path: `${process.env.SWITCHBOARD_SHOTS ?? 'test-results/e2e-desk'}/offers-above-conversation-en.png` });
    await colleague.getByTestId('call-hangup').click();
    await colleagueCtx.close();
  } finally {
    for (const c of customers) c.close();
  }
});
