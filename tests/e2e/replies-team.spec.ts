import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { chatNetworkSwitch, closeChat, startCustomer, takeChat } from '../support/e2e/inboxSteps';
import { apiToken, signInByName } from '../support/e2e/ticketSteps';

/**
 * Issue 6, team quick replies: a lead writes the team's replies on the Replies page, they go through the
 * server, and the team's agents get them in their local library (live, over the chat socket's poke) while
 * other teams never see them and agents cannot change them (the server answers 403, the UI offers no edit).
 */

type Reply = { id: string; shortcut: string; scope: string; teamId: string | null; title: string };
const screens = `${process.env.SWITCHBOARD_E2E_OUT ?? 'test-results'}/screens`;

async function signInAs(page: Page, username: string): Promise<void> {
  await signInByName(page, username);
  await expect(page.getByTestId('nav-replies')).toBeVisible();
}

async function libraryOf(request: Parameters<typeof apiToken>[0], token: string): Promise<Reply[]> {
  const res = await request.get('/quick-replies', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { replies: Reply[] }).replies;
}

async function newTeamReply(page: Page, r: { shortcut: string; title: string; category: string; body: { en?: string; 'zh-CN'?: string } }): Promise<void> {
  await page.getByTestId('reply-new').click();
  const editor = page.getByTestId('reply-editor');
  await editor.getByTestId('reply-shortcut').fill(r.shortcut);
  await editor.getByTestId('reply-title').fill(r.title);
  await editor.getByTestId('reply-category').fill(r.category);
  // The lead's only team is the second option (the first is "personal").
  await editor.getByTestId('reply-owner').selectOption({ index: 1 });
  if (r.body.en) await editor.getByTestId('reply-body-en').fill(r.body.en);
  if (r.body['zh-CN']) await editor.getByTestId('reply-body-zh-CN').fill(r.body['zh-CN']);
}

test('a lead shares a team reply: the team gets it live and uses it, another team never sees it, agents cannot change it', async ({ browser, request, baseURL }) => {
  const shortcut = `tb-ships-${randomUUID().slice(0, 6)}`;
  const agentContext = await browser.newContext({ locale: 'en' });
  const agent = await agentContext.newPage();
  await signInAs(agent, 'agent3');
  await agent.getByTestId('nav-replies').click();
  await expect(agent.getByTestId('replies-page')).toBeVisible();
  // The agent is already searching for it when the lead saves it.
  await agent.getByTestId('replies-search').fill(shortcut);

  const leadContext = await browser.newContext({ locale: 'en' });
  const lead = await leadContext.newPage();
  await signInAs(lead, 'lead2');
  await lead.getByTestId('nav-replies').click();
  await newTeamReply(lead, {
    shortcut,
    title: 'Parcel ships today',
    category: 'Shipping DE',
    body: { en: 'Hi {{customer.name}}, this is {{agent.name}}: your parcel ships today.' },
  });
  await lead.screenshot({ path: `${screens}/replies-team-editor-en.png` });
  await lead.getByTestId('reply-save').click();
  const leadCard = lead.locator(`[data-testid="reply-card"][data-shortcut="${shortcut}"]`);
  await expect(leadCard).toBeVisible();
  // Confirmed by the server: the "waiting to be sent" mark goes away.
  await expect(leadCard.getByTestId('reply-pending')).toHaveCount(0, { timeout: 20_000 });
  await expect(leadCard).toContainText('Team');

  // The agent's open Replies page gets it without a reload (the server pokes the team's chat sockets).
  const agentCard = agent.locator(`[data-testid="reply-card"][data-shortcut="${shortcut}"]`);
  await expect(agentCard).toBeVisible({ timeout: 20_000 });
  await expect(agentCard).toContainText('Parcel ships today');
  await expect(agentCard.getByTestId('reply-edit')).toHaveCount(0);
  await agent.screenshot({ path: `${screens}/replies-team-agent-en.png` });

  // Another team's agent never gets it; the server refuses every way an agent could change it.
  const otherTeam = await apiToken(request, 'agent1');
  expect((await libraryOf(request, otherTeam)).some((r) => r.shortcut === shortcut)).toBe(false);
  const agentToken = await apiToken(request, 'agent3');
  const shared = (await libraryOf(request, agentToken)).find((r) => r.shortcut === shortcut);
  expect(shared).toMatchObject({ scope: 'team', title: 'Parcel ships today' });
  const auth = { authorization: `Bearer ${agentToken}` };
  const change = { category: 'Shipping DE', shortcut, title: 'Changed by an agent', bodies: { en: 'changed' } };
  expect((await request.put(`/quick-replies/${shared!.id}`, { headers: auth, data: change })).status()).toBe(403);
  expect((await request.post('/quick-replies', { headers: auth, data: { ...change, id: shared!.id } })).status()).toBe(403);
  expect((await request.delete(`/quick-replies/${shared!.id}`, { headers: auth })).status()).toBe(403);
  expect((await libraryOf(request, agentToken)).find((r) => r.id === shared!.id)?.title).toBe('Parcel ships today');

  // The agent answers a customer with it through `/`, variables filled in. The lead leaves first and is set
  // offline: leads of the team are offered chats too (the least busy first), and this one must reach the agent.
  await leadContext.close();
  const leadToken = await apiToken(request, 'lead2');
  expect((await request.post('/presence', { headers: { authorization: `Bearer ${leadToken}` }, data: { presence: 'offline' } })).status()).toBe(200);
  const customer = await startCustomer(request, baseURL!, { name: 'Lena Fischer', language: 'en' });
  await customer.send('Where is my parcel?');
  await agent.getByTestId('nav-inbox').click();
  await takeChat(agent, customer.conversationId);
  const input = agent.getByTestId('chat-input');
  await input.click();
  await input.pressSequentially(`/${shortcut}`);
  await expect(agent.locator(`[data-testid="reply-option"][data-shortcut="${shortcut}"]`)).toBeVisible();
  await input.press('Enter');
  await expect(input).toHaveValue('Hi Lena Fischer, this is Jonas Weber: your parcel ships today.');
  await input.press('Enter');
  await expect.poll(() => customer.agentMessages()).toContain('Hi Lena Fischer, this is Jonas Weber: your parcel ships today.');
  customer.close();
  await closeChat(request, agentToken, customer.conversationId);

  // The lead (signed in again) deletes it: gone from the agent's library too.
  const leadAgain = await (await browser.newContext({ locale: 'en' })).newPage();
  await signInAs(leadAgain, 'lead2');
  await leadAgain.getByTestId('nav-replies').click();
  await leadAgain.locator(`[data-testid="reply-card"][data-shortcut="${shortcut}"]`).getByTestId('reply-edit').click();
  await leadAgain.getByTestId('reply-delete').click();
  await leadAgain.getByTestId('reply-delete-confirm').click();
  await expect(leadAgain.locator(`[data-testid="reply-card"][data-shortcut="${shortcut}"]`)).toHaveCount(0);
  await expect.poll(async () => (await libraryOf(request, agentToken)).some((r) => r.id === shared!.id)).toBe(false);
  await agent.getByTestId('nav-replies').click();
  await expect(agentCard).toHaveCount(0, { timeout: 20_000 });

  await agentContext.close();
  await leadAgain.context().close();
});

test('a team reply written by a lead while offline waits on this computer, then reaches the team once', async ({ browser, request }) => {
  const shortcut = `sh-refund-${randomUUID().slice(0, 6)}`;
  const context = await browser.newContext({ locale: 'zh-CN' });
  const net = await chatNetworkSwitch(context);
  const lead = await context.newPage();
  await signInAs(lead, 'lead1');
  await lead.getByTestId('nav-replies').click();
  await expect(lead.getByTestId('replies-page')).toBeVisible();
  await net.cut();

  await newTeamReply(lead, { shortcut, title: '退款进度', category: '退款', body: { 'zh-CN': '{{customer.name}}您好，我是{{agent.name}}，您的退款已在处理中。' } });
  await lead.getByTestId('reply-save').click();
  const card = lead.locator(`[data-testid="reply-card"][data-shortcut="${shortcut}"]`);
  await expect(card.getByTestId('reply-pending')).toHaveText('等待发送');
  await lead.getByTestId('replies-search').fill('退款');
  await lead.screenshot({ path: `${screens}/replies-team-pending-zh-CN.png` });
  const teammate = await apiToken(request, 'agent1');
  expect((await libraryOf(request, teammate)).some((r) => r.shortcut === shortcut)).toBe(false);

  // Back online (the chat socket reconnects on its own): sent once, the mark goes away, the team has it.
  await net.restore();
  await expect(card.getByTestId('reply-pending')).toHaveCount(0, { timeout: 40_000 });
  await expect(card).toBeVisible();
  const got = (await libraryOf(request, teammate)).filter((r) => r.shortcut === shortcut);
  expect(got.map((r) => [r.scope, r.title])).toEqual([['team', '退款进度']]);
  expect((await libraryOf(request, await apiToken(request, 'agent3'))).some((r) => r.shortcut === shortcut)).toBe(false);
  await context.close();
});
