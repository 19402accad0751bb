// bench/sync: offline-first tickets at 100k. In real Chromium against the real server on Debian
// PostgreSQL, in a loopback-only network namespace:
//   first sync of 100k tickets by the real engine, beside the raw limit measured in the same run (the same
//   pages fetched with plain fetch and bulkPut into the same Dexie schema, no sync logic);
//   list query p95 (each view and sort, top 50); local search p95;
//   agent A's change visible in agent B's list (push → poke → pull → Dexie → liveQuery), p50 / p99.
// Goals (issue 4): first sync ≤ 1.3× raw; list < 10 ms p95; search < 50 ms p95; A→B < 100 ms p99.
// Usage: npm run bench:sync [-- tickets changes]   Ends with one JSON line.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { root } from '../scripts/ensure.mjs';
import { inNetns, reexecInNetns } from '../scripts/netns.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

const ticketCount = Number(process.argv[2] ?? 100_000);
const changes = Number(process.argv[3] ?? 100);
const port = 7631;
const base = `http://127.0.0.1:${port}`;
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const web = mkdtempSync(join(tmpdir(), 'bench-sync-'));
await build({ entryPoints: [join(root, 'bench/sync/page.ts')], bundle: true, format: 'iife', target: 'chrome120', outfile: join(web, 'bench.js'), logLevel: 'warning' });
writeFileSync(join(web, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench sync</title><script src="/bench.js"></script>');

const pgCluster = startPostgres({ port: 55452 });
let server = null;
let browser = null;
try {
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SWITCHBOARD_PORT: String(port), DATABASE_URL: pgCluster.url, SWITCHBOARD_DATA_DIR: web, SWITCHBOARD_SEED: 'demo', SWITCHBOARD_WEB_ROOT: web, SWITCHBOARD_LOG_LEVEL: 'warn', SWITCHBOARD_ACCESS_TTL: '3600' },
  });
  await waitFor(`${base}/health`);

  const db = new pg.Client({ connectionString: pgCluster.url });
  await db.connect();
  const { rows: [ids] } = await db.query(`select (select id from users where username = 'lead1') as lead, (select team_id from team_members m join users u on u.id = m.user_id where u.username = 'lead1') as team`);
  const t0 = performance.now();
  await db.query(
    `insert into tickets (id, subject, status, priority, customer_id, assignee_id, team_id, tags, channel, created_at, updated_at)
     select gen_random_uuid(), 'Bench ' || (array['退款 refund','invoice 發票','callback 回电','order 訂單'])[1 + g % 4] || ' ' || g,
            (array['new','open','pending','solved'])[1 + g % 4], (array['low','normal','high','urgent'])[1 + g % 4],
            c.ids[1 + g % cardinality(c.ids)], $1, $2, '{}', 'email',
            now() - make_interval(secs => g), now() - make_interval(secs => g)
     from generate_series(1, $3::int) g, (select array_agg(id) as ids from customers) c`,
    [ids.lead, ids.team, ticketCount],
  );
  console.log(`seeded ${ticketCount} tickets for lead1's team in ${Math.round(performance.now() - t0)} ms`);
  await db.end();

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
  const login = async (username) => {
    const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'switchboard' }) });
    const body = await res.json();
    return { token: body.accessToken, actor: { userId: body.user.id, role: body.user.role, teamIds: body.user.teams.map((t) => t.id) }, teamId: body.user.teams[0]?.id };
  };
  const open = async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => 'bench' in window);
    return page;
  };

  const lead = await login('lead1');
  const leadPage = await open();
  const raw = await leadPage.evaluate((s) => window.bench.rawLimit(s), lead);
  const first = await leadPage.evaluate((s) => window.bench.firstSync(s, 'lead'), lead);
  const ratio = first.ms / raw.ms;
  console.log(`first sync   ${first.tickets} tickets in ${Math.round(first.ms)} ms; raw limit ${raw.tickets} in ${Math.round(raw.ms)} ms (×${ratio.toFixed(2)})`);
  const views = [{ kind: 'mine', userId: lead.actor.userId }, { kind: 'team-queue', teamId: lead.teamId }, ...['new', 'open', 'pending', 'solved'].map((status) => ({ kind: 'status', status }))];
  const queries = await leadPage.evaluate(([v, s]) => window.bench.queries(v, s, 40), [views, ['refund', '退款', 'invoice 發', '1234', 'order', '回电']]);
  const listP95 = Math.max(...Object.entries(queries).filter(([k]) => k.startsWith('list:')).map(([, v]) => v));
  console.log(`list p95 (worst view) ${listP95} ms; search p95 ${queries.search} ms`);

  const [a, b] = await Promise.all([login('agent1'), login('agent2')]);
  const pageA = await open();
  const pageB = await open();
  await pageA.evaluate((s) => window.bench.firstSync(s, 'a'), a);
  await pageB.evaluate((s) => window.bench.firstSync(s, 'b'), b);
  const queue = { kind: 'team-queue', teamId: a.teamId };
  const target = await findQueueTicket(base, a);
  const q = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
  const latencies = [];
  const stepTimes = {};
  let deltas = 0;
  for (let i = 0; i < changes; i++) {
    const subject = `A→B ${i} ${Math.random().toString(36).slice(2, 8)}`;
    const seen = pageB.evaluate(([v, s]) => window.bench.watch(v, s), [queue, subject]);
    await new Promise((r) => setTimeout(r, 5));
    const at = await pageA.evaluate(([id, s]) => window.bench.change(id, s), [target, subject]);
    latencies.push((await seen) - at);
    const evA = await pageA.evaluate(() => window.bench.events());
    const evB = await pageB.evaluate(() => window.bench.events());
    const first = (evs, name, after = 0) => evs.find(([n, t]) => n === name && t >= after)?.[1];
    const pushStart = first(evA, 'push>');
    const delta = first(evB, 'poke+delta');
    const poke = delta ?? first(evB, 'poke');
    const visible = first(evB, 'visible');
    let steps;
    if (delta) {
      // The poke carried the change (server/sync/pokeHub.ts): no pull round trip.
      deltas += 1;
      steps = { 'A mutate→push': pushStart - at, 'A push→B poke': poke - pushStart, 'B delta→visible': visible - poke };
    } else {
      const pullStart = first(evB, 'pull>', poke ?? 0);
      const pullEnd = first(evB, 'pull<', pullStart ?? 0);
      steps = {
        'A mutate→push': pushStart - at,
        'A push→B poke': poke - pushStart,
        'B poke→pull': pullStart - poke,
        'B pull (http)': pullEnd - pullStart,
        'B pulled→visible': visible - pullEnd,
      };
    }
    for (const [k, v] of Object.entries(steps)) if (Number.isFinite(v)) (stepTimes[k] ??= []).push(v);
  }
  for (const [k, v] of Object.entries(stepTimes)) console.log(`  ${k.padEnd(18)} p50 ${q(v, 0.5).toFixed(1)} ms, p99 ${q(v, 0.99).toFixed(1)} ms (n ${v.length})`);
  const aToB = { p50: Math.round(q(latencies, 0.5)), p99: Math.round(q(latencies, 0.99)), n: latencies.length };
  console.log(`A→B          p50 ${aToB.p50} ms, p99 ${aToB.p99} ms over ${aToB.n} changes (${deltas} delivered in the poke)`);

  const result = {
    bench: 'sync', tickets: first.tickets,
    firstSyncMs: Math.round(first.ms), rawLimitMs: Math.round(raw.ms), firstSyncRatio: Math.round(ratio * 100) / 100,
    listP95Ms: listP95, searchP95Ms: queries.search, queries, aToBMs: aToB, aToBInPoke: deltas,
    goals: { firstSyncRatio: ratio <= 1.3, listP95: listP95 < 10, searchP95: queries.search < 50, aToBP99: aToB.p99 < 100 },
  };
  console.log(JSON.stringify(result));
} finally {
  await browser?.close();
  server?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  pgCluster.stop();
}

/** An unassigned ticket in agent A's team queue (also in agent B's scope), found through A's own pull. */
async function findQueueTicket(origin, who) {
  let cursor = null;
  const clientId = crypto.randomUUID();
  for (;;) {
    const res = await fetch(`${origin}/sync/pull`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` }, body: JSON.stringify({ clientId, cursor }) });
    const page = await res.json();
    const t = page.tickets.find((x) => x.assigneeId === null && x.teamId === who.teamId && x.status !== 'closed');
    if (t) return t.id;
    if (!page.more) throw new Error('no team-queue ticket for the A→B bench');
    cursor = page.cursor;
  }
}

async function waitFor(url) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
