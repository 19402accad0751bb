// bench/syncPokePair: the server's side of "A's change reaches B" (push → poke with its delta), A/B between
// two checkouts of this repository, pair by pair in one run. Both servers run at once, each on its own
// Debian PostgreSQL, in one loopback-only network namespace; the pushes alternate between them, so load
// from anything else on the machine falls on both alike and the ratio holds while absolute times drift.
// No browser: agent A is fetch, agent B a poke socket (`ws`) that pulled first, so its pokes carry deltas
// exactly as the app's do (server/sync/pokeHub.ts).
// Usage: node bench/syncPokePair.mjs <checkout A> <checkout B> [pushes=300] [tickets=2000]   Ends with one JSON line.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { inNetns, reexecInNetns } from '../scripts/netns.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

const [dirA, dirB] = process.argv.slice(2, 4).map((d) => resolve(d ?? ''));
if (!process.argv[2] || !process.argv[3]) {
  console.error('usage: node bench/syncPokePair.mjs <checkout A> <checkout B> [pushes] [tickets]');
  process.exit(2);
}
const pushes = Number(process.argv[4] ?? 300);
const ticketCount = Number(process.argv[5] ?? 2000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
};

async function waitFor(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** One side: its PostgreSQL, its server (from its own checkout), agent A and agent B's poke socket. */
async function startSide(name, dir, port, pgPort) {
  const cluster = startPostgres({ port: pgPort });
  const data = mkdtempSync(join(tmpdir(), `bench-pokepair-${name}-`));
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SWITCHBOARD_PORT: String(port), DATABASE_URL: cluster.url, SWITCHBOARD_DATA_DIR: data, SWITCHBOARD_SEED: 'demo', SWITCHBOARD_LOG_LEVEL: 'warn', SWITCHBOARD_ACCESS_TTL: '3600' },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`);
  const db = new pg.Client({ connectionString: cluster.url });
  await db.connect();
  const { rows: [ids] } = await db.query(`select (select id from users where username = 'agent1') as agent, (select team_id from team_members m join users u on u.id = m.user_id where u.username = 'agent1' limit 1) as team`);
  await db.query(
    `insert into tickets (id, subject, status, priority, customer_id, assignee_id, team_id, tags, channel, created_at, updated_at)
     select gen_random_uuid(), 'Pair ' || g, 'open', 'normal', c.ids[1 + g % cardinality(c.ids)], null, $1, '{}', 'email',
            now() - make_interval(secs => g), now() - make_interval(secs => g)
     from generate_series(1, $2::int) g, (select array_agg(id) as ids from customers) c`,
    [ids.team, ticketCount],
  );
  const { rows: [t] } = await db.query(`select id from tickets where team_id = $1 and status = 'open' order by created_at desc limit 1`, [ids.team]);
  await db.end();
  const login = async (username) => {
    const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'switchboard' }) });
    if (!res.ok) throw new Error(`${name}: sign-in of ${username} answered ${res.status}`);
    return (await res.json()).accessToken;
  };
  const [tokenA, tokenB] = await Promise.all([login('agent1'), login('agent2')]);
  const post = (path, token, body) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  // B holds the poke socket, then catches up (so the hub notes its cursor and pokes carry deltas).
  const clientB = randomUUID();
  const socket = new WebSocket(`ws://127.0.0.1:${port}/sync/poke`);
  let onPoke = null;
  let deltas = 0;
  await new Promise((res, rej) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'auth', token: tokenB, clientId: clientB })));
    socket.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.type === 'ready') res();
      if (msg.type === 'poke') {
        if (msg.delta) deltas += 1;
        onPoke?.(performance.now());
      }
    });
    socket.once('error', rej);
    socket.once('close', (code) => rej(new Error(`${name}: poke socket closed ${code} before ready`)));
    setTimeout(() => rej(new Error(`${name}: poke socket not ready in 10 s`)), 10_000);
  });
  // As the app does on 'ready': pull to the end, so the hub notes the socket's cursor.
  let cursor = null;
  for (;;) {
    const page = await (await post('/sync/pull', tokenB, { clientId: clientB, cursor })).json();
    cursor = page.cursor;
    if (!page.more) break;
  }
  const clientA = randomUUID();
  let mutationId = 0;
  return {
    name,
    deltas: () => deltas,
    /** One change by A: ms from the push leaving to A's answer, and to B's poke. */
    async change(i) {
      const poked = new Promise((res) => (onPoke = res));
      const t0 = performance.now();
      mutationId += 1;
      const res = await post('/sync/push', tokenA, { clientId: clientA, mutations: [{ id: mutationId, name: 'updateTicket', args: { ticketId: t.id, changes: { subject: `Pair change ${i}` } }, createdAt: Date.now() }] });
      const answered = performance.now();
      if (!res.ok) throw new Error(`${name}: push answered ${res.status} ${await res.text()}`);
      const at = await Promise.race([poked, sleep(5000).then(() => NaN)]);
      onPoke = null;
      return { push: answered - t0, poke: at - t0 };
    },
    async stop() {
      socket.close();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      cluster.stop();
    },
  };
}

const sides = [];
try {
  sides.push(await startSide('A', dirA, 7641, 55461));
  sides.push(await startSide('B', dirB, 7642, 55462));
  const figures = { A: { push: [], poke: [] }, B: { push: [], poke: [] } };
  for (let i = 0; i < 20; i++) for (const s of sides) await s.change(-i); // warm-up, not counted
  for (let i = 0; i < pushes; i++) {
    // Alternate which side goes first, so neither always follows the other's work.
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) {
      const r = await s.change(i);
      figures[s.name].push.push(r.push);
      if (Number.isFinite(r.poke)) figures[s.name].poke.push(r.poke);
      await sleep(5);
    }
  }
  const summary = {};
  for (const s of sides) {
    const f = figures[s.name];
    summary[s.name] = { push: { p50: pct(f.push, 0.5), p99: pct(f.push, 0.99) }, poke: { p50: pct(f.poke, 0.5), p99: pct(f.poke, 0.99), n: f.poke.length }, deltas: s.deltas() };
    console.log(`${s.name} (${s.name === 'A' ? dirA : dirB}): push answered p50 ${summary[s.name].push.p50} ms p99 ${summary[s.name].push.p99} ms; push→poke p50 ${summary[s.name].poke.p50} ms p99 ${summary[s.name].poke.p99} ms (${f.poke.length} pokes, ${s.deltas()} with a delta)`);
  }
  const ratio = Math.round((summary.A.poke.p50 / summary.B.poke.p50) * 100) / 100;
  console.log(`push→poke p50, A ÷ B: ${ratio}`);
  console.log(JSON.stringify({ bench: 'syncPokePair', pushes, tickets: ticketCount, a: dirA, b: dirB, ...summary, pokeP50Ratio: ratio }));
} finally {
  for (const s of sides) await s.stop().catch(() => undefined);
}
