// bench/sla-screen: breach moment → alarm on the lead's screen (bench/sla/screen.ts), on a private real
// PostgreSQL (port 55445 unless BENCH_PG_PORT). Needs `npm run build` first (the renderer the server serves).
// Usage: npm run bench:sla-screen [-- breaches windowMs]   (default 100 breaches over 20 s). Ends with one JSON line.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../scripts/ensure.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

const pg = startPostgres({ port: Number(process.env.BENCH_PG_PORT ?? 55445) });
let status;
try {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/sla/screen.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: { ...process.env, DATABASE_URL: pg.url } });
  status = r.status ?? 1;
} finally {
  pg.stop();
}
process.exit(status);
