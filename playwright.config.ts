import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against a real central server on
 * Debian PostgreSQL (DATABASE_URL, started by scripts/e2e.mjs inside a loopback-only network namespace).
 */
const port = Number(process.env.SWITCHBOARD_E2E_PORT ?? 7611);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests/e2e',
  outputDir: process.env.SWITCHBOARD_E2E_OUT ?? './test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: process.env.SWITCHBOARD_E2E_JSON ?? 'test-results/e2e.json' }]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    // These suites sign in Chinese-speaking demo accounts and read English labels: keep the screens in the
    // browser context's language rather than the account's (renderer/stores/deps.ts localeFollowsAccount).
    storageState: { cookies: [], origins: [{ origin: baseURL, localStorage: [{ name: 'switchboard.locale-follows-account', value: 'off' }] }] },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: {
    command: 'node --import tsx server/main.ts',
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      SWITCHBOARD_PORT: String(port),
      SWITCHBOARD_HOST: '127.0.0.1',
      SWITCHBOARD_SEED: 'demo',
      // tests/e2e/queues.spec.ts plays the company PBX that holds voice queue calls (server/queues/connector.ts).
      SWITCHBOARD_QUEUE_PBX: 'e2e-pbx:e2e-pbx-secret-0123456789',
      // inbox.spec's hostile-content run posts ~150 messages and 40 files through one widget session, far over
      // the customer quotas (server/widget/quotas.ts, tested in server/widget/quotas.test.ts).
      SWITCHBOARD_WIDGET_MESSAGES_PER_SESSION: '100000',
      SWITCHBOARD_WIDGET_MESSAGES_PER_ADDRESS: '100000',
      SWITCHBOARD_WIDGET_FILES_PER_SESSION: '100000',
      SWITCHBOARD_WIDGET_FILES_PER_ADDRESS: '100000',
      // SWITCHBOARD_DIST: a private build (see scripts/build.mjs), so parallel runs do not share dist/.
      SWITCHBOARD_WEB_ROOT: process.env.SWITCHBOARD_DIST ? `${process.env.SWITCHBOARD_DIST}/renderer` : fileURLToPath(new URL('./dist/renderer', import.meta.url)),
      // The widget's script from the same build; without SWITCHBOARD_DIST the server takes dist/widget if built.
      ...(process.env.SWITCHBOARD_DIST ? { SWITCHBOARD_WIDGET_ROOT: `${process.env.SWITCHBOARD_DIST}/widget` } : {}),
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { SWITCHBOARD_DATA_DIR: 'memory://' }),
    },
  },
});
