import { expect, type APIRequestContext, type BrowserContext, type Page, type WebSocket, type WebSocketRoute } from '@playwright/test';

/** Shared by the tickets e2e specs: sign-in, the ticket list, and cutting the server off for one browser context. */

export type TicketDetail = {
  ticket: { id: string; number: number; subject: string; status: string; priority: string; assigneeId: string | null };
  comments: { id: string; body: string; kind: string; authorId: string | null }[];
};

export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
}

/**
 * Signs in from the start page by the fields' names, not their labels: the page may be in Chinese (the
 * browser context's locale) before sign-in. Returns once the app's navigation is there.
 */
export async function signInByName(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill('switchboard');
  await page.locator('input[name="password"]').press('Enter');
  await expect(page.getByTestId('nav-inbox')).toBeVisible();
}

export async function openTickets(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Tickets' }).click();
  await expect(page.getByTestId('ticket-list')).toBeVisible();
}

/** The first sync is done when the status bar says online with a last-synced time and the list has rows. */
export async function waitForFirstSync(page: Page): Promise<void> {
  const sync = page.getByTestId('status-sync');
  await expect(sync).toHaveAttribute('data-state', 'online', { timeout: 30_000 });
  await expect(sync).toContainText('last synced');
  await expect(page.getByTestId('first-sync')).toHaveCount(0);
  await expect(page.getByTestId('ticket-row').first()).toBeVisible();
}

/** Opens a ticket through local search by its number (#1042), as an agent would. */
export async function openTicket(page: Page, number: number): Promise<void> {
  const search = page.getByTestId('ticket-search');
  await search.fill(`#${number}`);
  const row = page.locator(`[data-testid="ticket-row"][data-number="${number}"]`);
  await row.click();
  await expect(page.getByTestId('ticket-detail')).toBeVisible();
  await expect(page.locator('.ticket-detail__number')).toHaveText(`#${number}`);
}

export async function apiToken(request: APIRequestContext, username: string): Promise<string> {
  const res = await request.post('/auth/login', { data: { username, password: 'switchboard' } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export async function fetchTicket(request: APIRequestContext, token: string, id: string): Promise<TicketDetail> {
  const res = await request.get(`/tickets/${id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  return (await res.json()) as TicketDetail;
}

const apiPath = /^\/(auth|me|sync|tickets|teams|health)(\/|$)/;

/**
 * Cuts one browser context off from the server's API and poke socket while the app's own files still load
 * (as the desktop app's app:// files do): HTTP to API paths is aborted, open poke sockets are closed and new
 * ones refused. The socket route must be installed before the page opens its first socket.
 */
export async function networkSwitch(
  context: BrowserContext,
  { paths = apiPath, sockets = /\/sync\/(poke|socket)$/ }: { paths?: RegExp; sockets?: RegExp } = {},
) {
  let cut = false;
  const open = new Set<WebSocketRoute>();
  await context.routeWebSocket(sockets, (ws) => {
    if (cut) {
      void ws.close();
      return;
    }
    ws.connectToServer();
    open.add(ws);
  });
  const abort = (route: { abort(code?: string): Promise<void> }) => route.abort('internetdisconnected');
  const matcher = (url: URL) => paths.test(url.pathname);
  return {
    async cut() {
      cut = true;
      await context.route(matcher, abort);
      await Promise.all([...open].map((ws) => ws.close()));
      open.clear();
    },
    async restore() {
      cut = false;
      await context.unroute(matcher, abort);
    },
  };
}

/** The page's newest poke socket (the app opens one per sign-in and reconnects after a drop). */
export function trackSockets(page: Page): { latest(): WebSocket | null } {
  let latest: WebSocket | null = null;
  page.on('websocket', (ws) => {
    if (/\/sync\/(poke|socket)$/.test(new URL(ws.url()).pathname)) latest = ws;
  });
  return { latest: () => latest };
}
