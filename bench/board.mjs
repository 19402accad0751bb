// bench/board: the wallboard snapshot read and change → push on a lead's socket, on a private real
// PostgreSQL (port 55444 unless BENCH_PG_PORT). Usage: npm run bench:board   (BENCH_DAYS=30 by default).
// Ends with one JSON line (bench/board/run.ts prints it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../scripts/ensure.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

const pg = startPostgres({ port: Number(process.env.BENCH_PG_PORT ?? 55444) });
let status;
try {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/board/run.ts')], { cwd: root, stdio: 'inherit', env: { ...process.env, DATABASE_URL: pg.url } });
  status = r.status ?? 1;
} finally {
  pg.stop();
}
process.exit(status);
