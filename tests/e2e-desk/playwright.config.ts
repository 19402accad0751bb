import { defineConfig } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Issue 15, the home agent's desk: the server started as `npm start` starts it (scripts/start.mjs sets
 * SWITCHBOARD_PBX=embedded; PGlite in a data folder; demo seed), in the namespace tests/e2e-desk/run.mjs
 * makes (a second address up, so WebRTC gathers on more than loopback). The PBX's folder is fixed per run,
 * so specs can read the demo line's log (DTMF it received).
 */
const port = Number(process.env.SWITCHBOARD_DESK_E2E_PORT ?? 7631);
export const baseURL = `http://127.0.0.1:${port}`;
const root = fileURLToPath(new URL('../../', import.meta.url));
export const pbxDir = process.env.SWITCHBOARD_DESK_PBX_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'desk-pbx-'));
process.env.SWITCHBOARD_DESK_PBX_DIR = pbxDir;
const dataDir = process.env.SWITCHBOARD_DESK_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'desk-data-'));
process.env.SWITCHBOARD_DESK_DATA_DIR = dataDir;

/**
 * A second server for the readiness check, under a managed policy that requires it (GET /client/policy),
 * with its own embedded PBX (ports from 7760: rtpengine's media on 7860-8059, which the loss test drops
 * from), so freezing its Kamailio or degrading its media path leaves the first server alone.
 */
export const readinessPort = port + 1;
export const readinessPbxPort = 7760;
export const readinessPbxDir = process.env.SWITCHBOARD_DESK_RPBX_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'desk-rpbx-'));
process.env.SWITCHBOARD_DESK_RPBX_DIR = readinessPbxDir;
const readinessPolicy = path.join(readinessPbxDir, 'policy.json');
writeFileSync(readinessPolicy, JSON.stringify({ ReadinessCheck: { mode: 'required', allowOverride: false } }));
const readinessData = mkdtempSync(path.join(os.tmpdir(), 'desk-rdata-'));

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: process.env.SWITCHBOARD_E2E_OUT ?? `${root}test-results/e2e-desk`,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: process.env.SWITCHBOARD_DESK_JSON ?? `${root}test-results/e2e-desk.json` }]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    permissions: ['microphone', 'notifications'],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // No --allow-loopback-in-peer-connection: as on an agent's laptop (see run.mjs).
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: [{
    command: 'node --import tsx server/main.ts',
    cwd: root,
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      SWITCHBOARD_PORT: String(port),
      SWITCHBOARD_HOST: '127.0.0.1',
      SWITCHBOARD_LOG_LEVEL: 'info',
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_PBX: 'embedded',
      SWITCHBOARD_PBX_DIR: pbxDir,
      SWITCHBOARD_WEB_ROOT: `${process.env.SWITCHBOARD_DIST ?? `${root}dist`}/renderer`,
    },
  }, {
    command: 'node --import tsx server/main.ts',
    cwd: root,
    url: `http://127.0.0.1:${readinessPort}/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      SWITCHBOARD_PORT: String(readinessPort),
      SWITCHBOARD_HOST: '127.0.0.1',
      SWITCHBOARD_LOG_LEVEL: 'warn',
      SWITCHBOARD_DATA_DIR: readinessData,
      SWITCHBOARD_PBX: 'embedded',
      SWITCHBOARD_PBX_PORT: String(readinessPbxPort),
      SWITCHBOARD_PBX_DIR: readinessPbxDir,
      SWITCHBOARD_CLIENT_POLICY: readinessPolicy,
      SWITCHBOARD_WEB_ROOT: `${process.env.SWITCHBOARD_DIST ?? `${root}dist`}/renderer`,
    },
  }],
});
