// bench/queue: voice queue → agent ringing on a private real PostgreSQL (port 55457 unless BENCH_PG_PORT),
// with 100 agents and 200 calls waiting. Usage: npm run bench:queue. Ends with one JSON line (bench/queue/run.ts prints it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../scripts/ensure.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

const pg = startPostgres({ port: Number(process.env.BENCH_PG_PORT ?? 55457) });
let status;
try {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/queue/run.ts')], { cwd: root, stdio: 'inherit', env: { ...process.env, DATABASE_URL: pg.url } });
  status = r.status ?? 1;
} finally {
  pg.stop();
}
process.exit(status);
