import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { apiToken, signIn } from '../support/e2e/ticketSteps';
import { closeChat, openInbox, startCustomer, takeChat } from '../support/e2e/inboxSteps';

/**
 * Issue 6: attachments both ways. The customer's image shows as a thumbnail fetched with the agent's token
 * (an object URL, never the raw route); the agent's composer refuses wrong types and oversize files with a
 * clear message, previews an image before sending, and the customer receives the file.
 */
test.describe.configure({ mode: 'serial' });

// A real 1×1 PNG, so the thumbnail must actually decode.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('a customer image shows as a thumbnail; the agent is told about a wrong or oversize file, previews an image and sends it', async ({ page, request, baseURL }) => {
  await page.goto('/');
  await signIn(page, 'agent3');
  await openInbox(page);
  const customer = await startCustomer(request, baseURL!, { name: 'Lena Attach', language: 'en' });
  const headers = { authorization: `Bearer ${customer.token}` };
  const up = await request.post('/widget/attachments', { headers, data: { id: randomUUID(), name: 'receipt.png', mime: 'image/png', dataBase64: png.toString('base64') } });
  expect(up.status(), await up.text()).toBe(200);
  await takeChat(page, customer.conversationId);

  const thumb = page.getByTestId('chat-attachment-thumb');
  await expect(thumb).toBeVisible();
  await expect(thumb).toHaveAttribute('src', /^blob:/);
  expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

  const fileInput = page.getByTestId('attach-input');
  await fileInput.setInputFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await expect(page.getByTestId('attach-error')).toContainText('Only PNG, JPEG, GIF or WebP images');
  await fileInput.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]) });
  await expect(page.getByTestId('attach-error')).toContainText('larger than 5 MB');

  await fileInput.setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByTestId('attach-error')).toHaveCount(0);
  await expect(page.getByTestId('attach-preview').locator('img')).toHaveAttribute('src', /^blob:/);
  await page.getByTestId('attach-send').click();
  await expect(page.getByTestId('attach-preview')).toHaveCount(0);
  await expect(page.locator('[data-testid="chat-message"][data-author="agent"] [data-testid="chat-attachment"]')).toBeVisible();

  const seen = await request.get('/widget/conversation', { headers });
  const messages = ((await seen.json()) as { messages: { author: string; kind: string; attachment: { name: string; mime: string } | null }[] }).messages;
  expect(messages.filter((m) => m.author === 'agent' && m.kind === 'attachment').map((m) => m.attachment)).toEqual([expect.objectContaining({ name: 'label.png', mime: 'image/png' })]);

  customer.close();
  await closeChat(request, await apiToken(request, 'agent3'), customer.conversationId);
});
