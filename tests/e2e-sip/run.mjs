// The softphone end to end in the app: Playwright in Debian Chromium, the real server on Debian
// PostgreSQL, and the SIP test stack (started by the spec), all inside a loopback-only network namespace.
// Usage: node tests/e2e-sip/run.mjs [playwright args...]
// Writes a Playwright JSON report to $SWITCHBOARD_SIP_JSON when set (scripts/test.mjs counts it).
// Needs dist/renderer (npm run build); builds it when missing. SWITCHBOARD_DIST points at a private build
// instead (scripts/build.mjs writes there and playwright.config.ts serves it), so parallel runs share nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../scripts/ensure.mjs';
import { inNetns, onlyLoopbackUp, reexecInNetns } from '../../scripts/netns.mjs';
import { startPostgres } from '../../scripts/postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));
if (!onlyLoopbackUp()) {
  console.error('refusing to run: an interface other than lo is up in this namespace');
  process.exit(1);
}
const dist = process.env.SWITCHBOARD_DIST ?? join(root, 'dist');
if (!existsSync(join(dist, 'renderer/index.html'))) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const pg = startPostgres({ port: 55433 });
let result;
try {
  result = spawnSync(join(root, 'node_modules/.bin/playwright'), ['test', '-c', join(root, 'tests/e2e-sip/playwright.config.ts'), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: pg.url },
  });
} finally {
  pg.stop();
}
process.exit(result.status ?? 1);
