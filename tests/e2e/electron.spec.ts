import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real Electron app end to end. Needs the Electron binary (node_modules/electron/dist), which cannot
 * be downloaded on every machine: the test is skipped with that reason printed where it is missing.
 * Everything the renderer does is also covered in the browser host by the other specs.
 */
const root = join(import.meta.dirname, '../..');
function electronBinary(): string | null {
  if (process.env.SWITCHBOARD_ELECTRON && existsSync(process.env.SWITCHBOARD_ELECTRON)) return process.env.SWITCHBOARD_ELECTRON;
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}
const binary = electronBinary();

test('Electron: the sandboxed app signs in through app:// and exposes only the bridge', async ({ baseURL }) => {
  test.skip(binary === null, 'Electron binary not available on this machine (it cannot be downloaded here); set SWITCHBOARD_ELECTRON or install electron where downloads work');
  const app = await electron.launch({
    executablePath: binary!,
    args: [root, '--no-sandbox'],
    env: { ...process.env, SWITCHBOARD_SERVER_URL: baseURL! },
  });
  try {
    const page = await app.firstWindow();
    expect(page.url()).toMatch(/^app:\/\/switchboard\//);
    const exposure = await page.evaluate(() => ({
      node: typeof (globalThis as { process?: unknown }).process,
      require: typeof (globalThis as { require?: unknown }).require,
      bridge: Object.keys((globalThis as { switchboard?: object }).switchboard ?? {}).sort(),
    }));
    expect(exposure.node).toBe('undefined');
    expect(exposure.require).toBe('undefined');
    expect(exposure.bridge).toContain('secretsGet');
    await page.getByLabel('Username').fill('agent1');
    await page.getByLabel('Password').fill('switchboard');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
    // window.open never opens a window inside the app.
    await page.evaluate(() => window.open('https://example.com/'));
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});
