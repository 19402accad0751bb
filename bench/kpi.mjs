// bench/kpi: KPI reports on a contact-center-sized event log. In a loopback-only network namespace with
// its own Debian PostgreSQL: 90 days of events for 500 agents in 20 teams (5 million contacts, about 27
// million events, and the presence history) generated inside PostgreSQL with generate_series, then
//   a team's 30-day KPI report (GET /kpi/report, period month, the last full month: 30 days plus the
//   month before for 环比) p95, after the server's background job has materialised the rollups ahead
//   (its pass is timed, and the first report after it printed);
//   the same for the current month, whose last day (today) is computed live from the log;
//   the wallboard's "today's KPIs for a team" (server/kpi/report.ts todaySums) p95.
// Goals (issue 14): 30-day report p95 < 200 ms; wallboard snapshot p95 < 50 ms.
// Usage: npm run bench:kpi [-- contacts runs]   (default 5000000 contacts, 60 runs). Ends with one JSON line.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../scripts/ensure.mjs';
import { inNetns, reexecInNetns } from '../scripts/netns.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

const pg = startPostgres();
let status;
try {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/kpi/run.ts'), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: pg.url },
  });
  status = r.status ?? 1;
} finally {
  pg.stop();
}
process.exit(status);
