// bench/sla/screen: breach moment → the alarm visible on the lead's screen (the SLA alarms page in Debian
// Chromium), through everything a lead's alarm passes: the real server process as `npm run server` runs it
// (its SLA scanner at the default 500 ms, the realtime hub), the app's alarm socket, the store and React.
// The page records, with a MutationObserver, the moment each ticket's breach row appears; the moment the
// breach fell due is the timer's due_at, set by this script. Same machine, same clock.
// Run by bench/sla-screen.mjs (it starts a private PostgreSQL and passes DATABASE_URL); needs the built
// renderer (dist/renderer: `npm run build`). Ends with one JSON line. Goal (issue 14): p99 under 2 s.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import pg from 'pg';

const breaches = Number(process.argv[2] ?? 100);
const windowMs = Number(process.argv[3] ?? 20_000);
const root = join(import.meta.dirname, '../..');
const webRoot = process.env.SWITCHBOARD_DIST ? `${process.env.SWITCHBOARD_DIST}/renderer` : join(root, 'dist/renderer');
if (!existsSync(join(webRoot, 'index.html'))) {
  console.error(`bench:sla-screen needs the built renderer in ${webRoot} (npm run build)`);
  process.exit(1);
}
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('bench:sla-screen needs DATABASE_URL (bench/sla-screen.mjs starts a private PostgreSQL)');
  process.exit(1);
}
const port = Number(process.env.BENCH_PORT ?? 7651);
const base = `http://127.0.0.1:${port}`;

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  env: { ...process.env, SWITCHBOARD_PORT: String(port), SWITCHBOARD_HOST: '127.0.0.1', SWITCHBOARD_SEED: 'demo', SWITCHBOARD_PBX: 'off', SWITCHBOARD_WEB_ROOT: webRoot, DATABASE_URL: databaseUrl },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stopServer = () => server.exitCode === null && server.kill('SIGTERM');
process.on('exit', stopServer);
for (let i = 0; ; i += 1) {
  if (i > 600) throw new Error('the server did not come up within 2 minutes');
  const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 200));
}

const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const berlin = (await db.query<{ id: string }>("select id from teams where name = 'Team Berlin'")).rows[0]!.id;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const context = await browser.newContext({
  baseURL: base,
  viewport: { width: 1280, height: 800 },
  storageState: { cookies: [], origins: [{ origin: base, localStorage: [{ name: 'switchboard.locale-follows-account', value: 'off' }] }] },
});
const page = await context.newPage();
await page.goto('/');
await page.getByLabel('Username').fill('lead2');
await page.getByLabel('Password').fill('switchboard');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByTestId('nav-alarms').click();
await page.getByTestId('sla-tab-alarms').waitFor();
// Each breach row's first appearance, by ticket number, on the page's clock (Date.now: the same machine's).
// A string, not a function: tsx's transform would add a `__name` helper the page does not have.
await page.evaluate(`(() => {
  const seen = {};
  window.__breachSeen = seen;
  const look = () => {
    for (const row of document.querySelectorAll('[data-testid="alarm-row"][data-level="breach"]')) {
      const n = row.getAttribute('data-ticket');
      if (n && seen[n] === undefined) seen[n] = Date.now();
    }
  };
  new MutationObserver(look).observe(document.body, { childList: true, subtree: true, attributes: true });
})()`);

// Tickets with first-response timers far from due, then given their due moments in one statement (as
// bench/sla/alarms.ts does), one every windowMs / breaches.
const tickets: { id: string; number: number }[] = [];
for (let i = 0; i < breaches; i += 1) {
  const { rows } = await db.query<{ id: string; number: number }>("insert into tickets (subject, team_id, channel) values ('Bench chat ' || $2, $1, 'chat') returning id, number", [berlin, i]);
  tickets.push(rows[0]!);
  await db.query(
    `insert into sla_timers (ticket_id, team_id, kind, state, target_seconds, warn_percent, business_hours, escalate_after_seconds, started_at, due_at, warn_at)
     values ($1, $2, 'first_response', 'active', 60, 80, false, 3600, now(), now() + interval '1 day', now() + interval '1 day')`,
    [rows[0]!.id, berlin],
  );
}
const start = Date.now() + 1_000;
const due = new Map<string, number>();
const dues = tickets.map((t, i) => {
  const at = start + Math.round((i * windowMs) / breaches);
  due.set(String(t.number), at);
  return new Date(at);
});
await db.query(
  `update sla_timers s set due_at = d.at, warn_at = d.at - interval '12 seconds' from unnest($1::uuid[], $2::timestamptz[]) as d(ticket_id, at) where s.ticket_id = d.ticket_id`,
  [tickets.map((t) => t.id), dues],
);

const deadline = start + windowMs + 15_000;
let seen: Record<string, number> = {};
while (Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 250));
  seen = (await page.evaluate('window.__breachSeen')) as Record<string, number>;
  if (Object.keys(seen).filter((n) => due.has(n)).length >= breaches) break;
}
const latencies = Object.entries(seen).flatMap(([n, at]) => (due.has(n) ? [at - due.get(n)!] : []));
await browser.close();
await db.end();
stopServer();

const s = [...latencies].sort((a, b) => a - b);
const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? null;
console.log(JSON.stringify({ bench: 'sla-screen', db: 'postgres', breaches, received: s.length, windowMs, scanIntervalMs: 500, breachToScreenMs: { median: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) ?? null }, goals: { p99Under2s: (q(0.99) ?? Infinity) < 2000 } }));
process.exit(s.length === breaches ? 0 : 1);
