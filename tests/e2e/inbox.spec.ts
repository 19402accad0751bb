import { expect, test, type Page } from '@playwright/test';
import { hostilePayloads } from '../../core/chat/hostilePayloads';
import { apiToken, fetchTicket, signIn } from './ticketsHelpers';
import { chatNetworkSwitch, ensureChatQueues, openInbox, startCustomer, takeChat } from './inboxHelpers';

/**
 * Issue 6: the unified chat inbox against the real server on Debian PostgreSQL. agent3 (Team Berlin, en)
 * takes English chats. The customer side is driven through the widget's HTTP/WebSocket API.
 */
test.describe.configure({ mode: 'serial' });
test.beforeAll(ensureChatQueues);

async function createReply(page: Page, shortcut: string, body: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Replies' }).click();
  await page.getByTestId('reply-new').click();
  await page.getByTestId('reply-shortcut').fill(shortcut);
  await page.getByTestId('reply-title').fill('Order on its way');
  await page.getByTestId('reply-category').fill('shipping');
  await page.getByTestId('reply-body-en').fill(body);
  await page.getByTestId('reply-save').click();
  await expect(page.locator(`[data-testid="reply-card"][data-shortcut="${shortcut}"]`)).toBeVisible();
}

test('an English chat reaches Team Berlin; the agent answers with a quick reply, typing shows both ways, and the survey lands on the ticket', async ({ page, request, baseURL }) => {
  await page.goto('/');
  await signIn(page, 'agent3');
  await createReply(page, 'e2e-way', 'Hi {{customer.name}}, {{agent.name}} here: your order is on its way.');
  await openInbox(page);

  const customer = await startCustomer(request, baseURL!, { name: 'Emma Schmidt', language: 'en' });
  await customer.send('Hello, where is my order?');
  await takeChat(page, customer.conversationId);
  await expect(page.getByTestId('chat-message').filter({ hasText: 'where is my order?' })).toBeVisible();

  // The customer types: the agent sees it.
  await customer.typing(true);
  await expect(page.getByTestId('customer-typing')).toBeVisible();

  // "/" + shortcut opens the library; Enter picks; the customer's name is filled in.
  const input = page.getByTestId('chat-input');
  await input.click();
  await input.pressSequentially('/e2e-w');
  await expect(page.locator('[data-testid="reply-option"][data-shortcut="e2e-way"]')).toBeVisible();
  await input.press('Enter');
  await expect(input).toHaveValue(/^Hi Emma Schmidt, .+ here: your order is on its way\.$/);
  // The agent's typing reached the customer's socket.
  await expect.poll(() => customer.events.some((e) => e.type === 'typing' && e.typing === true)).toBe(true);
  await page.screenshot({ path: 'test-results/screens/inbox-composer-en.png' });
  await input.press('Enter');
  await expect.poll(() => customer.agentMessages()).toEqual([expect.stringMatching(/^Hi Emma Schmidt, .+ here: your order is on its way\.$/)]);

  // Close; the customer answers the survey; the answers are on the linked ticket.
  await page.getByTestId('conversation-close').click();
  await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-state', 'closed');
  await customer.survey({ score: 5, liked: 'Quick and friendly', improve: 'Nothing' });
  const token = await apiToken(request, 'agent3');
  const conv = (await (await request.get(`/chat/conversations/${customer.conversationId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { conversation: { ticketId: string } };
  await expect.poll(async () => (await fetchTicket(request, token, conv.conversation.ticketId)).comments.some((c) => c.body.includes('Quick and friendly'))).toBe(true);
  customer.close();
});

test('messages written offline survive a restart and reach the customer exactly once, in order', async ({ browser, request, baseURL }) => {
  const context = await browser.newContext();
  const net = await chatNetworkSwitch(context);
  let page = await context.newPage();
  await page.goto('/');
  await signIn(page, 'agent3');
  await openInbox(page);
  const customer = await startCustomer(request, baseURL!, { name: 'Offline Test', language: 'en' });
  await customer.send('Are you there?');
  await takeChat(page, customer.conversationId);
  await expect(page.getByTestId('chat-message').filter({ hasText: 'Are you there?' })).toBeVisible();

  await net.cut();
  const input = page.getByTestId('chat-input');
  await input.fill('first while offline');
  await input.press('Enter');
  await input.fill('second while offline');
  await input.press('Enter');
  await expect(page.getByTestId('chat-pending')).toHaveCount(2);

  // Restart the app while still offline: continue offline; the two messages are still pending.
  await page.close();
  page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill('agent3');
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('continue-offline').click();
  await openInbox(page);
  await page.locator(`[data-testid="conversation-row"][data-id="${customer.conversationId}"]`).click();
  await expect(page.getByTestId('chat-pending')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/screens/inbox-offline-en.png' });
  expect(await customer.agentMessages()).toEqual([]);

  // Back online: sign in; the outbox drains once.
  await net.restore();
  // The "working offline" banner with its sign-in button lives on the Tickets page.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Tickets' }).click();
  await page.getByTestId('offline-session').getByRole('button', { name: 'Sign in to sync' }).click();
  await signIn(page, 'agent3');
  await expect.poll(() => customer.agentMessages(), { timeout: 30_000 }).toEqual(['first while offline', 'second while offline']);
  await openInbox(page);
  await page.locator(`[data-testid="conversation-row"][data-id="${customer.conversationId}"]`).click();
  await expect(page.getByTestId('chat-pending')).toHaveCount(0);
  // Still exactly once after the app settles (no late resend).
  await page.waitForTimeout(1500);
  expect(await customer.agentMessages()).toEqual(['first while offline', 'second while offline']);
  customer.close();
  await context.close();
});

test('hostile customer content runs no script, navigates nowhere, and links open only through the allow-listed opener', async ({ browser, request, baseURL }) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, '__pwned', { value: undefined, writable: true });
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await signIn(page, 'agent3');
  await openInbox(page);
  const startUrl = page.url();

  const usable = hostilePayloads.filter((p) => !p.text.includes('\u0000') && p.text.trim() !== '' && p.text.length <= 4000);
  expect(usable.length).toBeGreaterThanOrEqual(100);
  const name = usable.find((p) => p.text.length <= 100 && p.text.includes('<'))!.text;
  const customer = await startCustomer(request, baseURL!, { name, language: 'en' });
  await customer.send('Links: https://docs.switchboard.example/help and https://evil.example/phish');
  await takeChat(page, customer.conversationId);
  for (const p of usable) await customer.send(p.text);
  let attachments = 0;
  for (const p of usable.slice(0, 40)) if ((await customer.attach(p.text.slice(0, 1000), 'hello')) < 300) attachments++;
  expect(attachments).toBeGreaterThan(0);
  // The list is virtualized, so not every message is in the DOM at once: a marker sent last proves the
  // whole hostile run arrived and rendered.
  await customer.send('END-OF-HOSTILE-RUN');
  await page.mouse.wheel(0, 100_000);
  await expect(page.getByText('END-OF-HOSTILE-RUN')).toBeVisible({ timeout: 30_000 });

  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(page.url()).toBe(startUrl);
  expect(context.pages()).toHaveLength(1);

  // The allow-listed https link opens (a popup); the other is refused and says so.
  const links = page.getByTestId('chat-link');
  // The test network has no DNS: answer the allow-listed host so the popup shows where it went.
  await context.route('https://docs.switchboard.example/**', (r) => r.fulfill({ contentType: 'text/plain', body: 'help page' }));
  const good = links.filter({ hasText: 'https://docs.switchboard.example/help' }).first();
  const [popup] = await Promise.all([context.waitForEvent('page'), good.click()]);
  expect(popup.url()).toContain('docs.switchboard.example');
  await popup.close();
  await links.filter({ hasText: 'https://evil.example/phish' }).first().click();
  await expect(page.getByText('Link not opened: evil.example').first()).toBeVisible();
  expect(context.pages()).toHaveLength(1);
  expect(page.url()).toBe(startUrl);
  await page.screenshot({ path: 'test-results/screens/inbox-hostile-en.png' });
  customer.close();
  await context.close();
});
