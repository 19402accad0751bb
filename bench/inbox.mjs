// bench/inbox: the unified chat inbox at size. Real Chromium running the built app against the real server
// on Debian PostgreSQL (demo seed), in a loopback-only network namespace:
//   inbox first paint with 10k conversations and 200k messages in the app's cache (seeded through the app's
//   own CacheDb and chat repo, same origin), from the Inbox button to the first conversation row;
//   a scripted scroll of that list with a longtask observer (goal: no task over 50 ms);
//   customer → agent latency p50 / p99 with 500 simulated customers (node `ws` clients on the widget socket,
//   messages posted to the widget API) while one signed-in agent page receives on its chat socket;
//   quick-reply search p95 over 10k replies (core/replies/search.ts in the page; goal < 5 ms).
// Usage: npm run bench:inbox [-- customers messagesPerCustomer]   Ends with one JSON line.
import { cpSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { root } from '../scripts/ensure.mjs';
import { inNetns, reexecInNetns } from '../scripts/netns.mjs';
import { startPostgres } from '../scripts/postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

const customers = Number(process.argv[2] ?? 500);
const perCustomer = Number(process.argv[3] ?? 4);
const conversations = 10_000;
const messages = 200_000;
const port = 7641;
const base = `http://127.0.0.1:${port}`;
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const now = () => performance.timeOrigin + performance.now();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null;
};
const r1 = (x) => (x === null ? null : Math.round(x * 10) / 10);

// The app as built (dist/renderer) plus the bench page, served by the server from one web root: same origin,
// so the page fills the very IndexedDB the app opens.
if (!existsSync(join(root, 'dist/renderer/index.html'))) {
  const { buildAll } = await import('../scripts/build.mjs');
  await buildAll({ quiet: true });
}
const web = mkdtempSync(join(tmpdir(), 'bench-inbox-'));
cpSync(join(root, 'dist/renderer'), web, { recursive: true });
await build({ entryPoints: [join(root, 'bench/inbox/page.ts')], bundle: true, format: 'iife', target: 'chrome120', outfile: join(web, 'bench-inbox.js'), logLevel: 'warning' });
writeFileSync(join(web, 'bench-inbox.html'), '<!doctype html><meta charset="utf-8"><title>bench inbox</title><script src="/bench-inbox.js"></script>');

const serverLog = join(web, 'server.log');
const pgCluster = startPostgres({ port: 55462 });
let server = null;
let browser = null;
const sockets = [];
try {
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    stdio: ['ignore', openSync(serverLog, 'w'), 'inherit'],
    env: { ...process.env, SWITCHBOARD_PORT: String(port), DATABASE_URL: pgCluster.url, SWITCHBOARD_DATA_DIR: web, SWITCHBOARD_SEED: 'demo', SWITCHBOARD_WEB_ROOT: web, SWITCHBOARD_LOG_LEVEL: 'warn', SWITCHBOARD_ACCESS_TTL: '3600' },
  });
  await waitFor(`${base}/health`);

  const login = await (await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent3', password: 'switchboard' }) })).json();
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const queues = await (await fetch(`${base}/chat/queues`, { headers: auth })).json();
  const user = { userId: login.user.id, teamId: login.user.teams[0].id, queueId: queues.queues[0].id };

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Every chat frame the app's socket receives is timed here, before the app parses it.
  await context.addInitScript(() => {
    const arrivals = [];
    Object.defineProperty(window, '__benchArrivals', { value: arrivals });
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        if (String(url).includes('/chat/socket')) {
          this.addEventListener('message', (ev) => {
            const at = performance.timeOrigin + performance.now();
            if (typeof ev.data === 'string') for (const m of ev.data.matchAll(/bench:(\d+):(\d+):([\d.]+)/g)) arrivals.push([Number(m[3]), at]);
          });
        }
      }
    };
  });
  const page = await context.newPage();
  await page.goto(`${base}/bench-inbox.html`);
  await page.waitForFunction(() => 'bench' in window);
  const seeded = await page.evaluate((s) => window.bench.seed(s), { ...user, conversations, messages });
  console.log(`cache seeded: ${seeded.conversations} conversations, ${seeded.messages} messages in ${Math.round(seeded.ms)} ms`);
  const search = await page.evaluate(() => window.bench.search(10_000, 20));
  console.log(`reply search: ${search.replies} replies, index ${Math.round(search.buildMs)} ms, ${search.queries} queries p50 ${search.p50.toFixed(3)} ms p95 ${search.p95.toFixed(3)} ms max ${search.max.toFixed(2)} ms`);

  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill('agent3');
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  // Let the first ticket sync and the chat socket settle: the scroll's long tasks should be the inbox's own.
  await page.waitForTimeout(6000);
  // Long tasks with nobody touching anything, as the baseline the scroll is compared with.
  const idle = await page.evaluate(async () => {
    const tasks = [];
    const observer = new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask', buffered: false });
    await new Promise((r) => setTimeout(r, 3000));
    observer.disconnect();
    return { longTasks: tasks.length, maxTaskMs: tasks.length ? Math.max(...tasks) : 0 };
  });
  // First paint: from another page, the click on Inbox to the first conversation row drawn (the list is read
  // from the cache when the page mounts).
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Tickets' }).click();
  await page.waitForTimeout(1000);
  const paintMs = await page.evaluate(async () => {
    const button = [...document.querySelectorAll('nav button')].find((b) => b.textContent?.includes('Inbox'));
    const t0 = performance.now();
    button.click();
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (document.querySelector('[data-testid="conversation-row"]')) break;
      if (performance.now() - t0 > 30_000) return null;
    }
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  });
  console.log(`idle 3 s: ${idle.longTasks} long tasks (max ${idle.maxTaskMs.toFixed(0)} ms); inbox first paint: ${paintMs?.toFixed(0)} ms`);

  // BENCH_INBOX_PROFILE=1: a CPU profile of the scroll, top functions by self time (to find a long task's cause).
  const cdp = process.env.BENCH_INBOX_PROFILE ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  const scroll = await page.evaluate(async () => {
    const list = document.querySelector('[data-testid="conversation-list"]');
    const tasks = [];
    const observer = new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask', buffered: false });
    const frames = [];
    let last = performance.now();
    const t0 = last;
    const step = Math.max(600, Math.ceil(list.scrollHeight / 360));
    while (list.scrollTop + list.clientHeight < list.scrollHeight - 2 && performance.now() - t0 < 20_000) {
      list.scrollTop += step;
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      frames.push(t - last);
      last = t;
    }
    await new Promise((r) => setTimeout(r, 300));
    observer.disconnect();
    frames.sort((a, b) => a - b);
    return { rows: document.querySelectorAll('[data-testid="conversation-row"]').length, scrolledPx: list.scrollTop, frames: frames.length, frameP95: frames[Math.floor(frames.length * 0.95)] ?? null, longTasks: tasks.length, maxTaskMs: tasks.length ? Math.max(...tasks) : 0 };
  });
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map();
    const dt = new Map();
    profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    for (const n of profile.nodes) {
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0));
    }
    for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${k}`);
  }
  console.log(`list scroll: ${scroll.frames} frames over ${scroll.scrolledPx} px, frame p95 ${scroll.frameP95?.toFixed(1)} ms, long tasks ${scroll.longTasks} (max ${scroll.maxTaskMs.toFixed(0)} ms)`);

  // The same events on a bare node socket as agent3: the server's share of the latency, without the app.
  const wireArrivals = [];
  const agentWs = new WebSocket(`ws://127.0.0.1:${port}/chat/socket`);
  sockets.push(agentWs);
  agentWs.on('open', () => agentWs.send(JSON.stringify({ type: 'auth', token: login.accessToken })));
  agentWs.on('message', (data) => {
    const text = data.toString();
    if (text.includes('"ready"')) agentWs.send(JSON.stringify({ type: 'subscribe', cursor: null }));
    const at = now();
    for (const m of text.matchAll(/bench:(\d+):(\d+):([\d.]+)/g)) wireArrivals.push(at - Number(m[3]));
  });

  // 500 customers on the widget: each its own loopback source address (new chats are limited per address),
  // a widget socket, and a few messages posted over a keep-alive connection.
  const t0 = performance.now();
  const people = [];
  for (let i = 0; i < customers; i += 25) {
    people.push(...(await Promise.all(Array.from({ length: Math.min(25, customers - i) }, (_, k) => startCustomer(i + k)))));
  }
  console.log(`${people.length} customers connected in ${Math.round(performance.now() - t0)} ms`);
  const sent = [];
  // How long the widget's POST took (the message stored and committed): the write's share of the latency.
  const answered = [];
  const errors = { send: 0 };
  const runFor = 20_000;
  const t1 = performance.now();
  await Promise.all(
    people.map(async (c, i) => {
      for (let m = 0; m < perCustomer; m++) {
        await new Promise((r) => setTimeout(r, Math.random() * (runFor / perCustomer)));
        const at = now();
        const status = await c.post('/widget/messages', { id: crypto.randomUUID(), body: `hello from customer ${i}, message ${m} bench:${i}:${m}:${at.toFixed(3)}` });
        if (status >= 300) errors.send++;
        else {
          sent.push(at);
          answered.push(now() - at);
        }
      }
    }),
  );
  console.log(`${sent.length} messages sent in ${Math.round(performance.now() - t1)} ms (${errors.send} refused)`);
  await page.waitForTimeout(3000);
  const arrivals = await page.evaluate(() => window.__benchArrivals);
  const latency = arrivals.map(([sentAt, at]) => at - sentAt);
  const p50 = pct(latency, 0.5);
  const p99 = pct(latency, 0.99);
  console.log(`customer → agent app: ${latency.length}/${sent.length} received, p50 ${p50?.toFixed(1)} ms, p99 ${p99?.toFixed(1)} ms`);
  console.log(`widget POST answered: p50 ${pct(answered, 0.5)?.toFixed(1)} ms, p99 ${pct(answered, 0.99)?.toFixed(1)} ms`);
  console.log(`customer → bare agent socket (server only): ${wireArrivals.length} received, p50 ${pct(wireArrivals, 0.5)?.toFixed(1)} ms, p99 ${pct(wireArrivals, 0.99)?.toFixed(1)} ms`);

  console.log(
    JSON.stringify({
      bench: 'inbox',
      cache: { conversations: seeded.conversations, messages: seeded.messages },
      firstPaintMs: r1(paintMs),
      idle: { longTasks: idle.longTasks, maxTaskMs: r1(idle.maxTaskMs) },
      scroll: { frames: scroll.frames, frameP95Ms: r1(scroll.frameP95), longTasks: scroll.longTasks, maxTaskMs: r1(scroll.maxTaskMs), goalNoTaskOver50: scroll.maxTaskMs <= 50 },
      latency: { customers: people.length, sent: sent.length, received: latency.length, refused: errors.send, p50Ms: r1(p50), p99Ms: r1(p99), postAnsweredP50Ms: r1(pct(answered, 0.5)), postAnsweredP99Ms: r1(pct(answered, 0.99)), serverOnly: { received: wireArrivals.length, p50Ms: r1(pct(wireArrivals, 0.5)), p99Ms: r1(pct(wireArrivals, 0.99)) } },
      replySearch: { replies: search.replies, queries: search.queries, p50Ms: Number(search.p50.toFixed(3)), p95Ms: Number(search.p95.toFixed(3)), goalUnder5: search.p95 < 5 },
    }),
  );
} finally {
  for (const s of sockets) s.terminate();
  await browser?.close();
  server?.kill('SIGTERM');
  pgCluster.stop();
}

async function startCustomer(i) {
  const localAddress = `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  const agent = new http.Agent({ keepAlive: true, localAddress, maxSockets: 2 });
  const post = (path, body, token) =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const req = http.request(`${base}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(data);
    });
  const res = await post('/widget/sessions', { name: `Bench customer ${i}`, language: 'en' });
  if (res.status !== 200) throw new Error(`widget session ${i}: ${res.status} ${res.body} (server log: ${serverLog})`);
  const session = JSON.parse(res.body);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/widget/socket`, { localAddress });
  sockets.push(ws);
  await new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'auth', sessionToken: session.sessionToken, cursor: null }));
      resolve();
    });
    ws.once('error', reject);
  });
  return { post: async (path, body) => (await post(path, body, session.sessionToken)).status };
}

async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}
