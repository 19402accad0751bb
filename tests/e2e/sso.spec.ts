import { expect, test, type Page } from '@playwright/test';
import { startOidcProvider, type TestProvider } from '../support/e2e/oidcProvider';
import { startOwnServer, type OwnServer } from '../support/e2e/ownServer';

/**
 * Issue 8, single sign-on: a real OpenID provider (oidc-provider) on loopback, and a central server of
 * this spec's own that trusts it with password sign-in turned off (the shared server and every other
 * spec keep passwords). Chromium goes through the web app's flow: the app's button, the provider's
 * login form, the redirect back with the code. Then the refusals a user must see explained.
 */
const port = Number(process.env.SWITCHBOARD_E2E_SSO_PORT ?? 7622);
const idpPort = Number(process.env.SWITCHBOARD_E2E_IDP_PORT ?? 7644);
const base = `http://127.0.0.1:${port}`;
const clientId = 'switchboard';
let server: OwnServer | null = null;
let idp: TestProvider;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // The desktop app's loopback redirect (any port, RFC 8252 §7.3) and the web app's own address.
  idp = await startOidcProvider({ port: idpPort, clientId, redirectUris: ['http://127.0.0.1/sso/callback', `${base}/`] });
  server = await startOwnServer('sso', port, {
    SWITCHBOARD_OIDC_ISSUER: idp.issuer,
    SWITCHBOARD_OIDC_CLIENT_ID: clientId,
    SWITCHBOARD_OIDC_SCOPES: 'openid profile',
    SWITCHBOARD_PASSWORD_LOGIN: 'off',
  });
});

test.afterAll(async () => {
  server?.stop();
  await idp?.close();
});

const pendingKey = 'switchboard.sso-pending';

/**
 * From the app's button through the provider's login form, up to the browser's redirect back to the app,
 * where the app's script is held back: returns the callback URL (code, state, iss) the app would have
 * handled, with the attempt still pending in sessionStorage, so a test can tamper with either first.
 * (Playwright cannot intercept a redirect's target, but it can keep the page's script from loading.)
 */
async function signInAtProvider(page: Page, username: string): Promise<string> {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Sign in with your company account' }).click();
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name="login"]').fill(username);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  const appScript = (url: URL) => url.origin === base && url.pathname.startsWith('/assets/');
  await page.route(appScript, (route) => route.abort());
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === base && url.searchParams.has('code'));
  await page.unroute(appScript);
  return page.url();
}

async function expectRefused(page: Page, kind: string, text: RegExp) {
  const alert = page.getByTestId('login-error');
  await expect(alert).toHaveAttribute('data-kind', kind);
  await expect(alert).toContainText(text);
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
}

test('the login page offers the company sign-in only (passwords off), in English and 繁體中文', async ({ page }, info) => {
  await page.goto(`${base}/`);
  await expect(page.getByRole('button', { name: 'Sign in with your company account' })).toBeVisible();
  await expect(page.getByText('Your organization signs in with company accounts only.')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('sso-login-en.png') });
  await page.getByRole('combobox').selectOption('zh-TW');
  await expect(page.getByRole('button', { name: '使用公司帳戶登入' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('sso-login-zh-TW.png') });
  // The server enforces it too: a password login is refused whatever the app shows.
  const res = await page.request.post(`${base}/auth/login`, { data: { username: 'agent3', password: 'switchboard' } });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('password-login-disabled');
});

test('sign-in completes: provider login form, back to the app, signed in as the mapped agent', async ({ page }) => {
  await page.goto(`${base}/`);
  const authRequest = page.waitForRequest((r) => r.url().startsWith(`${idp.issuer}/auth?`));
  await page.getByRole('button', { name: 'Sign in with your company account' }).click();
  // The authorization request: code flow with S256 PKCE, state, nonce, and the app's own address to return to.
  const auth = new URL((await authRequest).url()).searchParams;
  expect(Object.fromEntries(['response_type', 'client_id', 'redirect_uri', 'code_challenge_method'].map((k) => [k, auth.get(k)]))).toEqual({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: `${base}/`,
    code_challenge_method: 'S256',
  });
  expect(auth.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(auth.get('state')?.length).toBeGreaterThanOrEqual(32);
  expect(auth.get('nonce')?.length).toBeGreaterThanOrEqual(32);
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name="login"]').fill('agent3');
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  // The provider's consent page (a company's own provider usually has it pre-approved).
  const exchange = page.waitForResponse((r) => r.url().endsWith('/auth/sso/exchange'));
  await page.getByRole('button', { name: 'Continue' }).click();
  expect((await exchange).status()).toBe(200);
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expect(page.getByText('Jonas Weber').first()).toBeVisible();
  // The code left the address bar at once.
  expect(page.url()).toBe(`${base}/`);
});

test('a tampered state is refused', async ({ page }, info) => {
  const callback = await signInAtProvider(page, 'agent3');
  const url = new URL(callback);
  url.searchParams.set('state', 'tampered-state-0123456789abcdef');
  await page.goto(url.toString());
  await expectRefused(page, 'sso-state', /does not belong to a sign-in started here/);
  await page.screenshot({ path: info.outputPath('sso-refused-state-en.png') });
});

test('a response naming another issuer is refused (RFC 9207)', async ({ page }, info) => {
  const callback = await signInAtProvider(page, 'agent3');
  const url = new URL(callback);
  expect(url.searchParams.get('iss')).toBe(idp.issuer);
  url.searchParams.set('iss', 'http://127.0.0.1:7645');
  await page.goto(url.toString());
  await expectRefused(page, 'sso-issuer', /different identity provider/);
  await page.getByRole('combobox').selectOption('zh-TW');
  await expect(page.getByTestId('login-error')).toContainText('來自其他身分識別提供者');
  await page.screenshot({ path: info.outputPath('sso-refused-issuer-zh-TW.png') });
});

test('a replayed code is refused, by the server and by the provider', async ({ page }) => {
  const callback = await signInAtProvider(page, 'agent4');
  const pending = await page.evaluate((key) => window.sessionStorage.getItem(key), pendingKey);
  expect(pending).not.toBeNull();
  await page.goto(callback);
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // An attacker holding both the code and the attempt (verifier, nonce) presents them again.
  await page.evaluate(([key, value]) => window.sessionStorage.setItem(key!, value!), [pendingKey, pending]);
  await page.goto(callback);
  await expectRefused(page, 'sso-rejected', /already used/);

  // And the provider itself will not redeem the code a second time.
  const { codeVerifier } = JSON.parse(pending!) as { codeVerifier: string };
  const code = new URL(callback).searchParams.get('code')!;
  const direct = await page.request.post(idp.tokenEndpoint, {
    form: { grant_type: 'authorization_code', code, code_verifier: codeVerifier, redirect_uri: `${base}/`, client_id: clientId },
  });
  expect(direct.status()).toBe(400);
  expect((await direct.json()).error).toBe('invalid_grant');
});

test('a missing PKCE verifier is refused, in the app, by the server and by the provider', async ({ page }) => {
  const callback = await signInAtProvider(page, 'agent3');
  const code = new URL(callback).searchParams.get('code')!;
  // The provider will not redeem a code without the verifier its challenge was made from.
  const direct = await page.request.post(idp.tokenEndpoint, { form: { grant_type: 'authorization_code', code, redirect_uri: `${base}/`, client_id: clientId } });
  expect(direct.status()).toBe(400);
  expect(['invalid_grant', 'invalid_request']).toContain((await direct.json()).error);
  // Nor will our server pass one on.
  const pending = JSON.parse((await page.evaluate((key) => window.sessionStorage.getItem(key), pendingKey))!) as { nonce: string; codeVerifier?: string };
  const viaServer = await page.request.post(`${base}/auth/sso/exchange`, { data: { code: 'another-code', redirectUri: `${base}/`, nonce: pending.nonce } });
  expect(viaServer.status()).toBe(400);
  expect((await viaServer.json()).error.message).toMatch(/codeVerifier/);
  // An attempt that lost its verifier is refused in the app, with nothing sent.
  delete pending.codeVerifier;
  await page.evaluate(([key, value]) => window.sessionStorage.setItem(key!, value!), [pendingKey, JSON.stringify(pending)]);
  let exchanged = false;
  page.on('request', (r) => {
    if (r.url().endsWith('/auth/sso/exchange')) exchanged = true;
  });
  await page.goto(callback);
  await expectRefused(page, 'sso-verifier', /cannot be proven to have started on this computer/);
  expect(exchanged).toBe(false);
});
