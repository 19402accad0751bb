import { expect, test } from '@playwright/test';
import { apiToken } from '../support/e2e/ticketSteps';
import { closeChat, startWidgetCustomer } from '../support/e2e/inboxSteps';

/**
 * Issue 6 screenshots (1280×800) in English and Simplified Chinese: the inbox with a live chat, the `/`
 * quick-reply popup, and the Replies page. Each run also checks what the pictures are about: the seeded
 * reply is offered, picked with its variables filled in, and reaches the customer's widget.
 */
const cases = [
  { locale: 'en', agent: 'agent3', customer: 'Emma Schmidt', hello: 'Hello, my parcel is late.', typed: '/be-hel', shortcut: 'be-hello', filled: 'Hi Emma Schmidt,', ui: { username: 'Username', password: 'Password', submit: 'Sign in', nav: 'Main navigation', inbox: 'Inbox', replies: 'Replies' } },
  { locale: 'zh-CN', agent: 'agent1', customer: '王小明', hello: '你好，我的快递还没到。', typed: '/li-hel', shortcut: 'li-hello', filled: '王小明您好，我是李娜', ui: { username: '用户名', password: '密码', submit: '登录', nav: '主导航', inbox: '收件箱', replies: '快捷回复' } },
] as const;

for (const c of cases) {
  test(`screens ${c.locale}: live chat, quick-reply popup, replies page`, async ({ browser, request }) => {
    const context = await browser.newContext({ locale: c.locale });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel(c.ui.username).fill(c.agent);
    await page.getByLabel(c.ui.password).fill('switchboard');
    await page.getByRole('button', { name: c.ui.submit }).click();
    const nav = page.getByRole('navigation', { name: c.ui.nav });
    await nav.getByRole('button', { name: c.ui.inbox }).click();
    await expect(page.getByTestId('inbox')).toBeVisible();
    // The demo seed's waiting chats are offered at sign-in and can fill the agent's three slots (agent1: one
    // active chat and two offers): decline them, as an agent keeping room for the chat in the pictures would.
    await page.getByTestId('offer-decline').first().waitFor({ timeout: 5_000 }).catch(() => {});
    while ((await page.getByTestId('offer-decline').count()) > 0) {
      await page.getByTestId('offer-decline').first().click();
      await page.waitForTimeout(300);
    }

    const customerContext = await browser.newContext({ locale: c.locale });
    const widget = await customerContext.newPage();
    const conversationId = await startWidgetCustomer(widget, { name: c.customer, language: c.locale });
    await widget.getByTestId('widget-input').fill(c.hello);
    await widget.getByTestId('widget-send').click();
    const offer = page.locator(`[data-testid="chat-offer"] [data-conversation="${conversationId}"]`);
    await expect(offer).toBeVisible({ timeout: 30_000 });
    await offer.getByTestId('offer-accept').click();
    await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-state', 'active');

    const input = page.getByTestId('chat-input');
    await input.click();
    await input.pressSequentially(c.typed);
    await expect(page.locator(`[data-testid="reply-option"][data-shortcut="${c.shortcut}"]`)).toBeVisible();
    await page.screenshot({ path: `test-results/screens/inbox-quick-reply-popup-${c.locale}.png` });
    await input.press('Enter');
    await expect(input).toHaveValue(new RegExp(`^${c.filled}`));
    await input.press('Enter');
    await expect(widget.getByTestId('widget-message-agent')).toBeVisible();
    await widget.getByTestId('widget-input').fill(c.locale === 'en' ? 'Thanks! Order SO-204817.' : '谢谢！订单号 SO-204817。');
    await widget.getByTestId('widget-send').click();
    await expect(page.getByTestId('chat-message').filter({ hasText: 'SO-204817' })).toBeVisible();
    await page.screenshot({ path: `test-results/screens/inbox-live-chat-${c.locale}.png` });

    await nav.getByRole('button', { name: c.ui.replies }).click();
    await expect(page.getByTestId('reply-card').first()).toBeVisible();
    await expect(page.locator(`[data-testid="reply-card"][data-shortcut="${c.shortcut}"]`)).toBeVisible();
    await page.screenshot({ path: `test-results/screens/replies-${c.locale}.png` });

    await closeChat(request, await apiToken(request, c.agent), conversationId);
    await customerContext.close();
    await context.close();
  });
}
