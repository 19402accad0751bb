import { expect, test, type APIRequestContext } from '@playwright/test';
import { createHmac, randomUUID } from 'node:crypto';
import { closeChat, takeChat } from './inboxHelpers';
import { apiToken } from './ticketsHelpers';

/**
 * Issue 6, email as a channel: a signed HTML email from the gateway reaches Team Berlin; the agent sees an
 * email icon, the subject and the body as plain text (no markup, no script), answers, and the customer's
 * reply to that answer (In-Reply-To our Message-ID) threads into the same conversation.
 */

// The demo seed's gateway (server/seed/chatDemo.ts demoMessagingProvider); email gateways are provider rows too.
const provider = { id: 'demo-sms', secret: 'demo-sms-shared-secret-change-me' };

async function sendEmail(request: APIRequestContext, body: Record<string, unknown>): Promise<{ conversationId: string; duplicate: boolean }> {
  const raw = JSON.stringify(body);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', provider.secret).update(`${t}.${raw}`).digest('hex');
  const res = await request.post(`/channels/email/${provider.id}/inbound`, {
    headers: { 'content-type': 'application/json', 'x-switchboard-signature': `t=${t},v1=${v1}` },
    data: raw,
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { conversationId: string; duplicate: boolean };
}

test('an HTML email shows as text with its subject and an email icon; the answer threads back into the conversation', async ({ browser, request }) => {
  const context = await browser.newContext({ locale: 'en' });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('input[name="username"]').fill('agent3');
  await page.locator('input[name="password"]').fill('switchboard');
  await page.locator('input[name="password"]').press('Enter');
  await page.getByTestId('nav-inbox').click();
  await expect(page.getByTestId('chat-connection')).toHaveAttribute('data-connected', 'true', { timeout: 30_000 });
  await page.evaluate(() => {
    (window as unknown as { __scriptRan: boolean }).__scriptRan = false;
  });

  const first = {
    messageId: `<${randomUUID()}@mail.customer.example>`,
    from: 'lena.fischer@customer.example',
    fromName: 'Lena Fischer',
    subject: 'Order SO-7731 arrived damaged',
    html: '<p>Hello,</p><p>the box was <b>crushed</b>.<script>window.__scriptRan = true</script><img src=x onerror="window.__scriptRan = true"></p><p><a href="javascript:window.__scriptRan=true">photo</a></p>',
    language: 'en',
  };
  const { conversationId } = await sendEmail(request, first);
  expect((await sendEmail(request, first)).duplicate).toBe(true);

  await takeChat(page, conversationId);
  await expect(page.getByTestId('conversation-view-subject')).toHaveText('Order SO-7731 arrived damaged');
  const body = page.getByTestId('chat-message').filter({ hasText: 'crushed' });
  await expect(body).toContainText('Hello,\nthe box was crushed.\nphoto');
  await expect(body.locator('img, script, b, a[href^="javascript"]')).toHaveCount(0);
  await page.getByTestId('inbox-view-mine').click();
  const row = page.locator(`[data-testid="conversation-row"][data-id="${conversationId}"]`);
  await expect(row.getByTestId('conversation-subject')).toHaveText('Order SO-7731 arrived damaged');
  await expect(row.locator('.conv-row__channel')).toHaveAttribute('aria-label', 'Email');

  const input = page.getByTestId('chat-input');
  await input.fill('Sorry to hear that, Lena. A replacement ships today.');
  await input.press('Enter');
  const token = await apiToken(request, 'agent3');
  const auth = { authorization: `Bearer ${token}` };
  let replyId = '';
  await expect
    .poll(async () => {
      const detail = (await (await request.get(`/chat/conversations/${conversationId}`, { headers: auth })).json()) as { messages: { id: string; author: string; kind: string }[] };
      replyId = detail.messages.find((m) => m.author === 'agent' && m.kind === 'text')?.id ?? '';
      return replyId;
    })
    .not.toBe('');

  const answer = await sendEmail(request, {
    messageId: `<${randomUUID()}@mail.customer.example>`,
    inReplyTo: `<${replyId}@${provider.id}.switchboard>`,
    from: 'lena.f@another-mailbox.example',
    subject: 'Re: Order SO-7731 arrived damaged',
    text: 'Thank you!',
  });
  expect(answer.conversationId).toBe(conversationId);
  await expect(page.getByTestId('chat-message').filter({ hasText: 'Thank you!' })).toBeVisible();
  // The seeded waiting chat's offer covers the header: pass it, for the picture.
  while ((await page.getByTestId('offer-decline').count()) > 0) {
    await page.getByTestId('offer-decline').first().click();
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: `${process.env.SWITCHBOARD_E2E_OUT ?? 'test-results'}/screens/inbox-email-en.png` });
  expect(await page.evaluate(() => (window as unknown as { __scriptRan: boolean }).__scriptRan)).toBe(false);
  await closeChat(request, token, conversationId);
  await context.close();
});
