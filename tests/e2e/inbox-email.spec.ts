import { expect, test, type APIRequestContext } from '@playwright/test';
import { createHmac, randomUUID } from 'node:crypto';
import { closeChat, takeChat } from '../support/e2e/inboxSteps';
import { apiToken, signInByName } from '../support/e2e/ticketSteps';

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

const cases = [
  {
    locale: 'en', agent: 'agent3', lead: 'lead2', name: 'Lena Fischer', from: 'lena.fischer@customer.example', subject: 'Order SO-7731 arrived damaged',
    html: '<p>Hello,</p><p>the box was <b>crushed</b>.<script>window.__scriptRan = true</script><img src=x onerror="window.__scriptRan = true"></p><p><a href="javascript:window.__scriptRan=true">photo</a></p>',
    shown: 'Hello,\nthe box was crushed.\nphoto', marker: 'crushed', reply: 'Sorry to hear that, Lena. A replacement ships today.', thanks: 'Thank you!', channel: 'Email',
  },
  {
    locale: 'zh-CN', agent: 'agent1', lead: 'lead1', name: '王小明', from: 'wang.xm@customer.example', subject: '订单 SO-8812 包装破损',
    html: '<p>您好，</p><p>收到的箱子<b>破损</b>了。<script>window.__scriptRan = true</script><img src=x onerror="window.__scriptRan = true"></p><p><a href="javascript:window.__scriptRan=true">照片</a></p>',
    shown: '您好，\n收到的箱子破损了。\n照片', marker: '破损了', reply: '王先生您好，很抱歉，今天为您补发新的商品。', thanks: '谢谢！', channel: '电子邮件',
  },
] as const;

for (const c of cases) {
  test(`an HTML email shows as text with its subject and an email icon; the answer threads back (${c.locale})`, async ({ browser, request }) => {
    const context = await browser.newContext({ locale: c.locale });
    const page = await context.newPage();
    await signInByName(page, c.agent);
    await page.getByTestId('nav-inbox').click();
    await expect(page.getByTestId('chat-connection')).toHaveAttribute('data-connected', 'true', { timeout: 30_000 });
    await page.evaluate(() => {
      (window as unknown as { __scriptRan: boolean }).__scriptRan = false;
    });

    // The seed's waiting chats are offered at sign-in and can fill the agent's three slots: pass them first.
    await page.getByTestId('offer-decline').first().waitFor({ timeout: 5_000 }).catch(() => {});
    while ((await page.getByTestId('offer-decline').count()) > 0) {
      await page.getByTestId('offer-decline').first().click();
      await page.waitForTimeout(300);
    }
    // Leads of the team are offered chats too (the least busy first): this one must reach the agent.
    const leadToken = await apiToken(request, c.lead);
    expect((await request.post('/presence', { headers: { authorization: `Bearer ${leadToken}` }, data: { presence: 'offline' } })).status()).toBe(200);
    const first = {
      messageId: `<${randomUUID()}@mail.customer.example>`,
      from: c.from,
      fromName: c.name,
      subject: c.subject,
      html: c.html,
      language: c.locale,
    };
    const { conversationId } = await sendEmail(request, first);
    expect((await sendEmail(request, first)).duplicate).toBe(true);

    await takeChat(page, conversationId);
    await expect(page.getByTestId('conversation-view-subject')).toHaveText(c.subject);
    const body = page.getByTestId('chat-message').filter({ hasText: c.marker });
    await expect(body).toContainText(c.shown);
    await expect(body.locator('img, script, b, a[href^="javascript"]')).toHaveCount(0);
    await page.getByTestId('inbox-view-mine').click();
    const row = page.locator(`[data-testid="conversation-row"][data-id="${conversationId}"]`);
    await expect(row.getByTestId('conversation-subject')).toHaveText(c.subject);
    await expect(row.locator('.conv-row__channel')).toHaveAttribute('aria-label', c.channel);

    const input = page.getByTestId('chat-input');
    await input.fill(c.reply);
    await input.press('Enter');
    const token = await apiToken(request, c.agent);
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
      // The customer answers from their own address: only the same sender threads (issue 12 item 11).
      from: c.from,
      subject: `Re: ${c.subject}`,
      text: c.thanks,
    });
    expect(answer.conversationId).toBe(conversationId);
    await expect(page.getByTestId('chat-message').filter({ hasText: c.thanks })).toBeVisible();
    // The seeded waiting chat's offer covers the header: pass it, for the picture.
    while ((await page.getByTestId('offer-decline').count()) > 0) {
      await page.getByTestId('offer-decline').first().click();
      await page.waitForTimeout(300);
    }
    await page.screenshot({ path: `${process.env.SWITCHBOARD_E2E_OUT ?? 'test-results'}/screens/inbox-email-${c.locale}.png` });
    expect(await page.evaluate(() => (window as unknown as { __scriptRan: boolean }).__scriptRan)).toBe(false);
    await closeChat(request, token, conversationId);
    await context.close();
  });
}
