import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOwnServer, type OwnServer } from '../support/e2e/ownServer';

/**
 * Issue 8, managed policy in web mode: the central server serves IT's policy at GET /client/policy
 * (SWITCHBOARD_CLIENT_POLICY). This spec runs its own server with a policy that locks ServerUrl and
 * LogLevel, so the shared server (and every other spec) stays unmanaged.
 */
const port = Number(process.env.SWITCHBOARD_E2E_POLICY_PORT ?? 7631);
const base = `http://127.0.0.1:${port}`;
const policyFile = path.join(mkdtempSync(path.join(tmpdir(), 'switchboard-policy-')), 'client-policy.json');
let server: OwnServer | null = null;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  writeFileSync(policyFile, JSON.stringify({ ServerUrl: 'https://switchboard.corp.example', LogLevel: 'warn', UpdateMode: 'window', PasswordLoginEnabled: true }));
  server = await startOwnServer('policy', port, { SWITCHBOARD_CLIENT_POLICY: policyFile });
});

test.afterAll(() => {
  server?.stop();
});

async function signInToSettings(page: Page) {
  await page.goto(`${base}/`);
  // The raw policy:set-user channel is exposed only with this flag (renderer/main.tsx).
  await page.evaluate(() => {
    window.localStorage.setItem('switchboard.debug-policy', '1');
    // This spec reads English labels; agent2's account language would otherwise replace the browser's (issue 15).
    window.localStorage.setItem('switchboard.locale-follows-account', 'off');
  });
  await page.reload();
  await page.getByLabel('Username').fill('agent2');
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav).toBeVisible();
  await nav.getByText('Settings', { exact: true }).click();
  await expect(page.getByTestId('policy-settings')).toBeVisible();
}

test('the server policy locks the server URL and log level: shown as managed, disabled, and refused by the host', async ({ page }) => {
  const served = await (await fetch(`${base}/client/policy`)).json();
  expect(served).toEqual({ ServerUrl: 'https://switchboard.corp.example', LogLevel: 'warn', UpdateMode: 'window', PasswordLoginEnabled: true });

  await signInToSettings(page);
  const serverField = page.getByTestId('policy-field-ServerUrl');
  await expect(serverField.getByTestId('managed-badge')).toHaveText('Managed by your organization');
  await expect(serverField.getByTestId('policy-input-ServerUrl')).toBeDisabled();
  await expect(page.getByTestId('policy-save-ServerUrl')).toHaveCount(0);

  const logField = page.getByTestId('policy-field-LogLevel');
  await expect(logField.getByTestId('managed-badge')).toBeVisible();
  await expect(logField.getByTestId('policy-input-LogLevel')).toBeDisabled();
  await expect(logField.getByTestId('policy-input-LogLevel')).toHaveValue('warn');

  // Settings an agent may change and IT did not lock carry no badge.
  await expect(page.getByTestId('policy-field-SipDomain').getByTestId('managed-badge')).toHaveCount(0);
  await expect(page.getByTestId('policy-input-SipDomain')).toBeEnabled();
  // What IT sets that has no control here is listed read-only.
  await expect(page.getByTestId('policy-org-set')).toContainText('Only inside the update window');

  // Around the UI: the host itself refuses, and a forged localStorage value does not beat the policy.
  const refused = await page.evaluate(() => (window as unknown as { switchboardSetUserPolicy: (n: string, v: unknown) => Promise<string> }).switchboardSetUserPolicy('ServerUrl', 'https://evil.example'));
  expect(refused).toBe('not-allowed');
  const itOnly = await page.evaluate(() => (window as unknown as { switchboardSetUserPolicy: (n: string, v: unknown) => Promise<string> }).switchboardSetUserPolicy('PasswordLoginEnabled', false));
  expect(itOnly).toBe('not-allowed');
  await page.evaluate(() => window.localStorage.setItem('switchboard.policy-user', JSON.stringify({ LogLevel: 'debug', ServerUrl: 'https://evil.example' })));
  await page.reload();
  await page.getByLabel('Username').fill('agent2');
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByText('Settings', { exact: true }).click();
  await expect(page.getByTestId('policy-input-LogLevel')).toHaveValue('warn');
  await expect(page.getByTestId('policy-field-ServerUrl').getByTestId('managed-badge')).toBeVisible();

  await page.getByTestId('policy-settings').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/policy-settings-en.png', fullPage: true });
});

test('an unmanaged setting the agent may change is saved, validated, and survives a reload', async ({ page }) => {
  await signInToSettings(page);
  const input = page.getByTestId('policy-input-SipDomain');
  await input.fill('not a domain!');
  await page.getByTestId('policy-save-SipDomain').click();
  await expect(page.getByTestId('policy-field-SipDomain').getByRole('alert')).toContainText('must be a domain name');

  await input.fill('pbx.example.com');
  await page.getByTestId('policy-save-SipDomain').click();
  await expect(page.getByTestId('policy-field-SipDomain').getByRole('status')).toHaveText('Saved.');

  await page.reload();
  await page.getByLabel('Username').fill('agent2');
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByText('Settings', { exact: true }).click();
  await expect(page.getByTestId('policy-input-SipDomain')).toHaveValue('pbx.example.com');

  // The same page in 简体中文: the badge and labels are translated.
  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(page.getByTestId('policy-field-ServerUrl').getByTestId('managed-badge')).toHaveText('由你的组织管理');
  await page.screenshot({ path: '/tmp/policy-settings-zh-CN.png', fullPage: true });
  await page.getByTestId('language-select').selectOption('en');
});

test('with AllowWebMode off the web app shows only the way to the desktop app', async ({ page }) => {
  writeFileSync(policyFile, JSON.stringify({ AllowWebMode: false }));
  try {
    await page.goto(`${base}/`);
    await expect(page.getByTestId('web-mode-blocked')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Use the Switchboard desktop app' })).toBeVisible();
    await expect(page.getByLabel('Username')).toHaveCount(0);
    await page.screenshot({ path: '/tmp/policy-web-blocked.png' });
  } finally {
    writeFileSync(policyFile, JSON.stringify({ ServerUrl: 'https://switchboard.corp.example', LogLevel: 'warn', UpdateMode: 'window', PasswordLoginEnabled: true }));
  }
});
