import { expect, test } from '@playwright/test';
import { apiToken, signIn } from '../support/e2e/ticketSteps';
import { closeChat, openInbox, startCustomer, takeChat } from '../support/e2e/inboxSteps';

/**
 * Issue 7, chat coaching: lead2 (Team Berlin) opens agent4's live chat from the Team page, whispers a
 * coaching note the agent sees and the customer never receives (asserted on the customer's socket and
 * the widget API), then takes the chat over: both apps update, and the customer now hears from the lead.
 */
test.describe.configure({ mode: 'serial' });

test('a lead reads an agent\'s live chat, whispers only to the agent, and takes it over', async ({ browser, request, baseURL }) => {
  // Other Berlin people left "available" by earlier specs must not be offered this chat.
  for (const who of ['agent3', 'lead2']) {
    const token = await apiToken(request, who);
    await request.post('/presence', { headers: { authorization: `Bearer ${token}` }, data: { presence: 'offline' } });
  }
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await agent.goto('/');
  await signIn(agent, 'agent4');
  await openInbox(agent);
  const customer = await startCustomer(request, baseURL!, { name: 'Coached Customer', language: 'en' });
  await customer.send('Hello, I was charged twice');
  await takeChat(agent, customer.conversationId);

  const leadCtx = await browser.newContext();
  const lead = await leadCtx.newPage();
  await lead.goto('/');
  await signIn(lead, 'lead2');
  await lead.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Team' }).click();
  const chatLink = lead.getByTestId('live-1004').locator(`[data-testid="live-chat"][data-id="${customer.conversationId}"]`);
  await expect(chatLink).toBeVisible();
  await chatLink.click();

  const view = lead.getByTestId('conversation-view');
  await expect(view).toHaveAttribute('data-state', 'active');
  await expect(lead.getByTestId('chat-message').filter({ hasText: 'charged twice' })).toBeVisible();
  // Read along: the lead's composer only writes whisper notes while the agent has the chat.
  await expect(lead.getByTestId('chat-note-toggle')).toBeChecked();
  await expect(lead.getByTestId('chat-note-toggle')).toBeDisabled();
  const input = lead.getByTestId('chat-input');
  await input.fill('COACH: refund the second charge, then offer the voucher');
  await input.press('Enter');

  const whisper = agent.locator('[data-testid="chat-message"][data-author="coach"]');
  await expect(whisper).toContainText('refund the second charge');
  await expect(whisper).toContainText('Coaching');
  await lead.screenshot({ path: test.info().outputPath('lead-whisper.png') });
  await agent.screenshot({ path: test.info().outputPath('agent-sees-whisper.png') });

  await lead.getByTestId('conversation-takeover').click();
  await expect(lead.getByTestId('chat-note-toggle')).toBeEnabled();
  await expect(lead.getByTestId('chat-note-toggle')).not.toBeChecked();
  // The agent's app: the chat leaves "Mine", the history says it was transferred, and the composer locks.
  await expect(agent.locator(`[data-testid="conversation-row"][data-id="${customer.conversationId}"]`)).toHaveCount(0);
  await expect(agent.getByTestId('conversation-view').getByText('Transferred')).toBeVisible();
  await expect(agent.getByTestId('chat-input')).toBeDisabled();

  await input.fill('Sarah here, I will sort this out for you.');
  await input.press('Enter');
  await expect.poll(() => customer.agentMessages()).toContain('Sarah here, I will sort this out for you.');

  // On the customer's wire: no whisper, ever (socket events and the widget's own history).
  const wire = JSON.stringify(customer.events);
  expect(wire).not.toContain('COACH');
  expect(wire).not.toContain('"coach"');
  expect((await customer.agentMessages()).some((m) => m.includes('COACH'))).toBe(false);
  customer.close();
  // Leave no live chat behind for the specs after this one.
  await closeChat(request, await apiToken(request, 'lead2'), customer.conversationId);
  await agentCtx.close();
  await leadCtx.close();
  // Closed apps stay "available" on the server: take both out of routing for the specs after this one.
  for (const who of ['agent4', 'lead2']) {
    const token = await apiToken(request, who);
    await request.post('/presence', { headers: { authorization: `Bearer ${token}` }, data: { presence: 'offline' } });
  }
});
