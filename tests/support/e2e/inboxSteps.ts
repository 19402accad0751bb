import { expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { networkSwitch } from './ticketSteps';

/** The customer side of the chat, driven through the widget's HTTP and WebSocket API (fast, exact). */
export type Customer = {
  token: string;
  conversationId: string;
  send(body: string): Promise<void>;
  /** Posts a message and returns the status (for input the server must refuse). */
  trySend(body: string): Promise<number>;
  attach(name: string, text: string): Promise<number>;
  typing(typing: boolean): Promise<void>;
  agentMessages(): Promise<string[]>;
  survey(answers: { score: number; liked?: string; disliked?: string; improve?: string }): Promise<void>;
  /** Events from the customer's socket, to see the agent typing. */
  events: Array<{ type: string; typing?: boolean }>;
  close(): void;
};

export async function startCustomer(request: APIRequestContext, baseURL: string, opts: { name: string; language: 'en' | 'zh-CN' | 'zh-TW' }): Promise<Customer> {
  const res = await request.post('/widget/sessions', { data: { name: opts.name, language: opts.language } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const session = (await res.json()) as { sessionToken: string; conversationId: string };
  const headers = { authorization: `Bearer ${session.sessionToken}` };
  const events: Customer['events'] = [];
  const url = new URL('/widget/socket', baseURL);
  url.protocol = 'ws:';
  const ws = new WebSocket(url);
  ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', sessionToken: session.sessionToken, cursor: null })));
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { type: string; event?: { type: string; typing?: boolean } };
    if (msg.type === 'event' && msg.event) events.push(msg.event);
  });
  ws.on('error', () => {});
  return {
    token: session.sessionToken,
    conversationId: session.conversationId,
    events,
    async send(body) {
      const r = await request.post('/widget/messages', { headers, data: { id: randomUUID(), body } });
      expect(r.status(), `${r.status()} ${await r.text()}`).toBeLessThan(300);
    },
    async trySend(body) {
      return (await request.post('/widget/messages', { headers, data: { id: randomUUID(), body } })).status();
    },
    async attach(name, text) {
      const r = await request.post('/widget/attachments', { headers, data: { id: randomUUID(), name, mime: 'text/plain', dataBase64: Buffer.from(text).toString('base64') } });
      return r.status();
    },
    async typing(typing) {
      await request.post('/widget/typing', { headers, data: { typing } });
    },
    async agentMessages() {
      const r = await request.get('/widget/conversation', { headers });
      expect(r.status()).toBe(200);
      const body = (await r.json()) as { messages: { author: string; kind: string; body: string }[] };
      return body.messages.filter((m) => m.author === 'agent' && m.kind === 'text').map((m) => m.body);
    },
    async survey(answers) {
      const r = await request.post('/widget/survey', { headers, data: answers });
      expect(r.status(), await r.text()).toBeLessThan(300);
    },
    close: () => ws.close(),
  };
}

export async function openInbox(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Inbox' }).click();
  await expect(page.getByTestId('inbox')).toBeVisible();
}

/** Takes the customer's chat: accepts the offer when one shows, then opens it from "Mine". */
export async function takeChat(page: Page, conversationId: string): Promise<void> {
  const offer = page.locator(`[data-testid="chat-offer"] [data-conversation="${conversationId}"]`);
  await expect(offer).toBeVisible({ timeout: 30_000 });
  await offer.getByTestId('offer-accept').click();
  await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-state', 'active');
}

const chatApiPath = /^\/(auth|me|sync|tickets|teams|health|chat|presence|quick-replies)(\/|$)/;

/** Cuts one browser context off from the server (HTTP API, chat and poke sockets) while app files still load. */
export function chatNetworkSwitch(context: BrowserContext) {
  return networkSwitch(context, { paths: chatApiPath, sockets: /\/(sync\/poke|sync\/socket|chat\/socket)$/ });
}

/**
 * Ends a test's chat through the API so it does not hold one of the agent's three chat slots in the next
 * test (the demo seed already gives agent3 one active chat and a waiting one that is offered at sign-in).
 */
export async function closeChat(request: APIRequestContext, token: string, conversationId: string): Promise<void> {
  const res = await request.post(`/chat/conversations/${conversationId}/close`, { headers: { authorization: `Bearer ${token}` }, data: {} });
  expect(res.status(), await res.text()).toBe(200);
}

/** The customer side through the real widget page (/widget/): start form, then the chat's id from its session. */
export async function startWidgetCustomer(page: Page, opts: { name: string; language: 'en' | 'zh-CN' | 'zh-TW' }): Promise<string> {
  await page.goto('/widget/');
  await page.getByTestId('widget-language').selectOption(opts.language);
  await page.getByTestId('widget-name').fill(opts.name);
  await page.getByTestId('widget-start').click();
  await expect(page.getByTestId('widget-input')).toBeVisible();
  return page.evaluate(() => (JSON.parse(sessionStorage.getItem('switchboard.widget') ?? '{}') as { conversationId: string }).conversationId);
}
