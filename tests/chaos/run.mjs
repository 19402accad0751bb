#!/usr/bin/env node
// Chaos run for offline-first tickets (see tests/chaos/chaos.ts): three clients, random network cuts,
// two server restarts, a client killed mid-write; then everyone must agree and nothing may be lost.
//   node tests/chaos/run.mjs      prints `N passed, N failed` last; exit code 0 only if all passed
// Env: SWITCHBOARD_CHAOS_SEED (fixed default; printed), SWITCHBOARD_CHAOS_SECONDS (default 45).
// Runs inside a loopback-only network namespace with a throw-away Debian PostgreSQL cluster.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inNetns, reexecInNetns } from '../../scripts/netns.mjs';
import { startPostgres } from '../../scripts/postgres.mjs';

const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));

if (!inNetns()) {
  const code = reexecInNetns(self, process.argv.slice(2));
  if (code !== 0 && code !== 1) console.log('0 passed, 1 failed');
  process.exit(code);
}

const pg = startPostgres({ port: 55442 });
let code;
try {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tests/chaos/chaos.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CHAOS_DB: pg.url },
    timeout: (Number(process.env.SWITCHBOARD_CHAOS_SECONDS ?? 45) + 240) * 1000,
  });
  code = r.status ?? 1;
  if (r.status === null) console.log('[chaos] timed out or killed\n0 passed, 1 failed');
} finally {
  pg.stop();
}
process.exit(code);
