// bench/voice-first (issue 15, "voice first on a poor network"): the MOS of a live call under a 1 Mbit/s
// link (tbf on lo, inside a private network namespace: /work/shared/recipes/network) while the agent's
// first sync of many tickets is running, with voice-first deferral on (the first sync waits between
// pages while the call is live) and off (localStorage switchboard.voice-first=off).
// Real pieces: the central server on Debian PostgreSQL with its embedded phone server (Kamailio,
// rtpengine, the echo line 9196), the built app in Debian Chromium. agent1 signs in with an empty local
// database (its first sync starts), the link is limited, agent1 calls the echo line, and the app's own
// MOS (the call card's quality badge, from getStats each second) is read for 20 s.
// Usage: node bench/voiceFirst.mjs [tickets seconds]. Ends with one JSON line.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { root } from '../scripts/ensure.mjs';
import { inNetns, reexecInNetns } from '../scripts/netns.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

const ticketCount = Number(process.argv[2] ?? 100_000);
const seconds = Number(process.argv[3] ?? 20);
const port = 7631;
const base = `http://127.0.0.1:${port}`;
const sh = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'inherit' }).status === 0;
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'];

const data = mkdtempSync(join(tmpdir(), 'bench-voice-'));
const pgCluster = startPostgres({ port: 55502 });
let server = null;
let browser = null;
const limit = () => sh('tc qdisc add dev lo root tbf rate 1mbit burst 32kbit latency 400ms');
const unlimit = () => sh('tc qdisc del dev lo root 2>/dev/null || true');
try {
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SWITCHBOARD_PORT: String(port), DATABASE_URL: pgCluster.url, SWITCHBOARD_DATA_DIR: data, SWITCHBOARD_SEED: 'demo',
      SWITCHBOARD_WEB_ROOT: join(root, 'dist/renderer'), SWITCHBOARD_LOG_LEVEL: 'warn', SWITCHBOARD_PBX: 'embedded', SWITCHBOARD_PBX_DIR: join(data, 'pbx') },
  });
  await waitFor(`${base}/health`);
  const db = new pg.Client({ connectionString: pgCluster.url });
  db.on('error', () => undefined);
  await db.connect();
  const { rows: [ids] } = await db.query(`select (select id from users where username = 'agent1') as agent, (select team_id from team_members m join users u on u.id = m.user_id where u.username = 'agent1') as team`);
  await db.query(
    `insert into tickets (id, subject, status, priority, customer_id, assignee_id, team_id, tags, channel, created_at, updated_at)
     select gen_random_uuid(), 'Bench voice ' || g || ' ' || repeat('退款 refund ', 8), (array['new','open','pending'])[1 + g % 3], 'normal',
            c.ids[1 + g % cardinality(c.ids)], $1, $2, '{}', 'email', now() - make_interval(secs => g), now() - make_interval(secs => g)
     from generate_series(1, $3::int) g, (select array_agg(id) as ids from customers) c`,
    [ids.agent, ids.team, ticketCount],
  );
  await db.end();
  console.log(`seeded ${ticketCount} tickets for agent1`);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });

  const results = {};
  for (const mode of ['on', 'off']) {
    const ctx = await browser.newContext({ baseURL: base, permissions: ['microphone'] });
    await ctx.addInitScript((m) => {
      localStorage.setItem('switchboard.debug-sync', '1');
      if (m === 'off') localStorage.setItem('switchboard.voice-first', 'off');
    }, mode);
    const page = await ctx.newPage();
    await page.goto('/');
    await page.locator('#login-username').fill('agent1');
    await page.locator('#login-password').fill('switchboard');
    await page.locator('#login-password').press('Enter');
    await page.getByTestId('status-phone').and(page.locator('[data-state="registered"]')).waitFor({ timeout: 60_000 });
    // The first sync is running now (it starts at sign-in): wait for its first page, so it is really moving
    // data when the link goes down to 1 Mbit/s and the call starts.
    const t0 = Date.now();
    await page.waitForFunction(() => (window.switchboardFirstSync?.()?.received ?? 0) > 0, null, { timeout: 180_000 });
    console.log(`first page of the first sync after ${Date.now() - t0} ms`);
    limit();
    await page.getByTestId('nav-phone').click();
    await page.getByTestId('dial-input').fill('9196');
    await page.getByTestId('dial-call').click();
    await page.getByTestId('call-card').and(page.locator('[data-state="established"]')).waitFor({ timeout: 60_000 });
    const progress = () => page.evaluate(() => window.switchboardFirstSync?.()?.received ?? null);
    const atCall = await progress();
    const mos = [];
    for (let i = 0; i < seconds; i++) {
      await page.waitForTimeout(1000);
      const v = Number(await page.getByTestId('call-quality').first().getAttribute('data-mos'));
      if (v > 0) mos.push(v);
    }
    const atEnd = await progress();
    await page.getByTestId('call-hangup').click();
    unlimit();
    const sorted = [...mos].sort((a, b) => a - b);
    results[mode] = { samples: mos.length, min: sorted[0] ?? null, median: sorted[Math.floor(sorted.length / 2)] ?? null, mean: mos.length ? Math.round((mos.reduce((s, x) => s + x, 0) / mos.length) * 100) / 100 : null, firstSyncAtCallStart: atCall, firstSyncAtCallEnd: atEnd };
    console.log(`deferral ${mode.padEnd(3)} MOS min ${results[mode].min} median ${results[mode].median} mean ${results[mode].mean} over ${mos.length} s; first sync tickets received at call start ${atCall}, at its end ${atEnd} (null: no first sync running)`);
    await ctx.close();
  }
  console.log(JSON.stringify({ bench: 'voice-first', tickets: ticketCount, linkMbit: 1, seconds, goalMos: 4.0, ...results }));
} finally {
  unlimit();
  await browser?.close().catch(() => undefined);
  server?.kill('SIGTERM');
  pgCluster.stop();
}

async function waitFor(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered`);
}
