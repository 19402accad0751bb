// End-to-end tests: Playwright in Debian Chromium against a real server on a real (Debian) PostgreSQL,
// all inside a loopback-only network namespace. Usage: node scripts/e2e.mjs [playwright args...]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure.mjs';
import { inNetns, onlyLoopbackUp, reexecInNetns } from './netns.mjs';
import { startPostgres } from './postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));
if (!onlyLoopbackUp()) {
  console.error('refusing to run: an interface other than lo is up in this namespace');
  process.exit(1);
}
const pg = startPostgres();
let status;
try {
  const r = spawnSync(join(root, 'node_modules/.bin/playwright'), ['test', '-c', join(root, 'playwright.config.ts'), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: pg.url },
  });
  status = r.status ?? 1;
} finally {
  pg.stop();
}
process.exit(status);
