import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { openInbox, startCustomer, takeChat } from '../support/e2e/inboxSteps';
import { signIn } from '../support/e2e/ticketSteps';

/**
 * Issue 8, diagnostics: an agent works (signs in, takes a chat with distinctive customer text, answers
 * it), an error carrying the live access token and the password happens in the page, then the agent
 * opens Settings → Diagnostics, reads the log and exports. The archive holds every listed part, and no
 * password, token, or chat message text appears anywhere in it.
 *
 * No SIP registration here (the SIP stack has its own suite, tests/e2e-sip): the SIP trace is present and
 * says it captured nothing, and a call timeline from an earlier session is seeded into the recorder's
 * storage, as a call an agent had before restarting the app would be.
 */

const password = 'switchboard';
const screens = 'test-results/screens';

/** Every access and refresh token the server hands this page (login and each refresh). */
function collectTokens(page: Page): Set<string> {
  const tokens = new Set<string>();
  page.on('response', async (res) => {
    if (!/\/auth\/(login|refresh)$/.test(new URL(res.url()).pathname) || res.status() !== 200) return;
    const body = (await res.json().catch(() => null)) as { accessToken?: string; refreshToken?: string } | null;
    if (body?.accessToken) tokens.add(body.accessToken);
    if (body?.refreshToken) tokens.add(body.refreshToken);
  });
  return tokens;
}

test('the diagnostics archive has logs, versions, policy, call timelines and a SIP trace, and no password, token or message text', async ({ page, request, baseURL }) => {
  const callId = `c${Date.now().toString(36)}diag`;
  await page.addInitScript((id) => {
    if (window.localStorage.getItem('diagnostics.calls')) return;
    const t0 = Date.now() - 3_600_000;
    const samples = Array.from({ length: 30 }, (_, i) => ({ at: t0 + i * 1000, rttMs: i < 20 ? 42 : 380, jitterMs: i < 20 ? 3 : 48, lossPct: i < 20 ? 0 : 9, mos: i < 20 ? 4.4 : 2.0, codec: 'opus' }));
    window.localStorage.setItem('diagnostics.calls', JSON.stringify([{ callId: id, direction: 'inbound', startedAt: t0, endedAt: t0 + 30_000, outcome: 'remote-hangup', samples }]));
  }, callId);
  const tokens = collectTokens(page);
  await page.goto('/');
  await signIn(page, 'agent3');
  await expect.poll(() => tokens.size).toBeGreaterThanOrEqual(2);

  // A chat with text that must never reach a log: the customer's message and the agent's answer.
  const customerText = `Diagnostics customer says: my parcel code is ${randomUUID().slice(0, 8)} and my PIN 4821`;
  const agentText = `Agent answer ${randomUUID().slice(0, 8)}: I have reset the delivery`;
  const customer = await startCustomer(request, baseURL!, { name: 'Dora Diagnostics', language: 'en' });
  await openInbox(page);
  await customer.send(customerText);
  await takeChat(page, customer.conversationId);
  await expect(page.getByTestId('chat-message').filter({ hasText: customerText })).toBeVisible();
  await page.getByTestId('chat-input').fill(agentText);
  await page.getByTestId('chat-input').press('Enter');
  await expect.poll(() => customer.agentMessages()).toContain(agentText);
  customer.close();

  // Secrets in flight: a library error that quotes the request it failed on (token in the URL and header).
  const [accessToken] = [...tokens];
  await page.evaluate(
    ([token, pw]) => {
      setTimeout(() => {
        throw new Error(`fetch https://api.example/v1/x?access_token=${token} failed; Authorization: Bearer ${token}; body username=agent3&password=${pw}`);
      });
    },
    [accessToken!, password],
  );

  // The log viewer shows the error, redacted, and filters by level and text.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByTestId('diagnostics');
  await expect(section).toBeVisible();
  const uncaught = section.getByTestId('diagnostics-row').filter({ hasText: '[app] uncaught' });
  await expect(uncaught).toHaveCount(1);
  await expect(uncaught).toHaveAttribute('data-level', 'error');
  await expect(uncaught).toContainText('access_token=[redacted]');
  await expect(uncaught).not.toContainText(accessToken!);
  await section.getByTestId('diagnostics-level').selectOption('error');
  await expect(uncaught).toHaveCount(1);
  expect(new Set(await section.getByTestId('diagnostics-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.level)))).toEqual(new Set(['error']));
  await section.getByTestId('diagnostics-level').selectOption('debug');
  await section.getByTestId('diagnostics-search').fill('uncaught');
  await expect(section.getByTestId('diagnostics-row')).toHaveCount(1);
  await section.getByTestId('diagnostics-search').fill('');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screens}/diagnostics-log-viewer-en.png` });

  // Export: a browser download of one zip.
  const downloading = page.waitForEvent('download');
  await section.getByTestId('diagnostics-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^Switchboard-diagnostics-\d{8}-\d{6}\.zip$/);
  await expect(section.getByTestId('diagnostics-export-status')).toHaveAttribute('data-state', 'done');
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const text = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));

  // Every listed part is there.
  for (const name of ['manifest.json', 'versions.json', 'policy.json', 'logs/main.log', 'sip-trace.txt', `calls/${callId}.json`]) {
    expect(Object.keys(text), name).toContain(name);
    expect(text[name]!.length, name).toBeGreaterThan(0);
  }
  const manifest = JSON.parse(text['manifest.json']!) as { files: { name: string }[] };
  expect(manifest.files.map((f) => f.name).sort()).toEqual(Object.keys(text).filter((n) => n !== 'manifest.json').sort());
  const versions = JSON.parse(text['versions.json']!) as Record<string, string>;
  expect(versions.app).toMatch(/^\d+\.\d+\.\d+/);
  expect(versions.userAgent).toContain('Chrome/');
  const policy = JSON.parse(text['policy.json']!) as { values: Record<string, unknown> | null; sources: Record<string, string> | null };
  expect(policy.values).toMatchObject({ LogLevel: 'info', PasswordLoginEnabled: true });
  expect(policy.sources?.LogLevel).toBe('default');
  expect(text['logs/main.log']).toContain('[app] uncaught Error: fetch https://api.example/v1/x?access_token=[redacted]');
  expect(text['sip-trace.txt']).toMatch(/No SIP messages/);
  const call = JSON.parse(text[`calls/${callId}.json`]!) as { samples: { mos: number; rttMs: number }[] };
  expect(call.samples).toHaveLength(30);
  expect(call.samples.at(-1)).toMatchObject({ mos: 2, rttMs: 380 });

  // Nothing secret, anywhere: the password, every token this session was issued, both chat texts.
  const forbidden = [password, ...tokens, customerText, agentText, customerText.slice(-20), agentText.slice(0, 20)];
  for (const [name, content] of Object.entries(text)) {
    for (const secret of forbidden) expect(content.includes(secret), `${name} contains ${secret.slice(0, 12)}…`).toBe(false);
  }
  // The zip's own entry names and bytes too (a secret in a file name would not be in `text` values).
  const rawZip = await readFile((await download.path())!);
  for (const secret of forbidden) expect(rawZip.includes(Buffer.from(secret))).toBe(false);

  // The viewer in Simplified Chinese.
  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(section.getByRole('heading', { name: '诊断' })).toBeVisible();
  await expect(section.getByTestId('diagnostics-export')).toHaveText('导出诊断信息');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screens}/diagnostics-log-viewer-zh-CN.png` });
  await page.getByTestId('language-select').selectOption('en');
});
