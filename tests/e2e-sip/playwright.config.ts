import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

/**
 * The softphone in the app against the real SIP stack (tests/stack: Kamailio + rtpengine + baresip) and
 * the real server on Debian PostgreSQL. Run through tests/e2e-sip/run.mjs, which enters a loopback-only
 * network namespace and starts PostgreSQL; the spec starts and stops the SIP stack itself, because one
 * case kills and restarts Kamailio. Agents' SIP accounts come from GET /me/sip-account.
 */
const port = Number(process.env.SWITCHBOARD_SIP_E2E_PORT ?? 7621);
export const baseURL = `http://127.0.0.1:${port}`;
const root = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: process.env.SWITCHBOARD_E2E_OUT ?? `${root}test-results/e2e-sip`,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: process.env.SWITCHBOARD_SIP_JSON ?? `${root}test-results/e2e-sip.json` }]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    // These suites sign in Chinese-speaking demo accounts and read English labels: keep the screens in the
    // browser context's language rather than the account's (renderer/stores/deps.ts localeFollowsAccount).
    storageState: { cookies: [], origins: [{ origin: baseURL, localStorage: [{ name: 'switchboard.locale-follows-account', value: 'off' }] }] },
    permissions: ['microphone', 'notifications'],
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
    cwd: root,
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      SWITCHBOARD_PORT: String(port),
      SWITCHBOARD_HOST: '127.0.0.1',
      SWITCHBOARD_SEED: 'demo',
      SWITCHBOARD_LOG_LEVEL: 'warn',
      // SWITCHBOARD_DIST: a private build (scripts/build.mjs), so parallel runs never serve a half-emptied dist/.
      SWITCHBOARD_WEB_ROOT: `${process.env.SWITCHBOARD_DIST ?? `${root}dist`}/renderer`,
      SWITCHBOARD_SIP_WS_URL: process.env.SWITCHBOARD_SIP_WS_URL ?? 'ws://127.0.0.1:8080',
      SWITCHBOARD_SIP_DOMAIN: '127.0.0.1',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { SWITCHBOARD_DATA_DIR: 'memory://' }),
    },
  },
});
