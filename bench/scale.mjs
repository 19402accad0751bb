// bench/scale: the center at scale (issue 18), on loopback in a private network namespace. Debian
// PostgreSQL, Debian redis-server (the broker), Debian HAProxy (the balancer), N server instances.
//   chat:  C widget customers and A agents chatting (auto-assigned, up to C/A chats each): customer → agent
//          latency p50 / p99, POST answered p99, server CPU per 1,000 messages; on 3 instances and on 1;
//   idle:  S idle agent sockets held, memory per socket;
//   poke:  P poke sockets (the agents' clients) with 5 pushers, one push every 400 ms: push → teammate's poke
//          p50 / p99 and sockets dropped; on 3 instances (PostgreSQL) and on 1 on the embedded PGlite;
//   fault: the chat run again with one instance killed mid-run and the broker restarted after: messages
//          lost, duplicated, out of order; chats assigned twice; agents over their limit.
// Usage: npm run bench:scale [-- customers=2000 agents=200 messages=3 seconds=30 idle=5000 pokes=2000 pokeSeconds=20 phases=chat,idle,poke,fault]
// Ends with one JSON line.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inNetns, reexecInNetns } from '../scripts/netns.mjs';
import { startPostgres } from '../scripts/postgres.mjs';
import { stageServer } from '../scripts/package-server.mjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpuMs, postgresPids, profileSummary, redisUp, rssBytes, scratchDir, sleep, startHaproxy, startInstance, startRedis, stop, waitFor } from './scale/cluster.mjs';
import { api, chatAgent, customer, now, open, pct, pool, verdict } from './scale/load.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

const arg = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const num = (k, d) => Number(arg[k] ?? d);
const cfg = {
  customers: num('customers', 2000),
  agents: num('agents', 200),
  messages: num('messages', 3),
  seconds: num('seconds', 30),
  idle: num('idle', 5000),
  pokes: num('pokes', 2000),
  pokeSeconds: num('pokeSeconds', 20),
  phases: (arg.phases ?? 'chat,idle,poke,fault').split(','),
};
const dir = scratchDir();
const secret = randomUUID() + randomUUID();
const log = (line) => console.log(`[bench:scale] ${line}`);
const cluster = startPostgres({ port: 55470 });
const redisPort = 6390;
const lbPort = 7700;
const result = { bench: 'scale', config: cfg };
const main = await stageServer(join(dir, 'server'));

/** A fresh database, N instances on it (the first seeds the demo), the broker and the balancer. */
async function up({ instances, embedded = false }) {
  const name = `scale_${Date.now()}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = cluster.url.replace(/\/postgres$/, `/${name}`);
  const redis = instances > 1 ? startRedis(redisPort, dir) : null;
  if (redis) await redisUp(redisPort);
  const common = {
    SWITCHBOARD_TOKEN_SECRET: secret,
    SWITCHBOARD_DATA_DIR: dir,
    SWITCHBOARD_TRUSTED_PROXIES: 'loopback',
    ...(embedded ? { SWITCHBOARD_DATA_DIR: scratchDir() } : { DATABASE_URL: url }),
    ...(redis ? { SWITCHBOARD_BROKER_URL: `redis://127.0.0.1:${redisPort}` } : {}),
    // Every customer comes from 127.0.0.1 here; the per-address quotas are for the open internet.
    SWITCHBOARD_WIDGET_CHATS_PER_ADDRESS: '1000000',
    SWITCHBOARD_WIDGET_MESSAGES_PER_ADDRESS: '1000000',
    SWITCHBOARD_WIDGET_MESSAGES_PER_SESSION: '100000',
  };
  const ports = Array.from({ length: instances }, (_, i) => 7701 + i);
  const servers = [];
  const profDir = join(dir, `prof-${name}`);
  for (const [i, port] of ports.entries()) {
    servers.push(startInstance(main, port, { ...common, SWITCHBOARD_SEED: i === 0 ? 'demo' : 'none' }, dir, profDir));
    await waitFor(`http://127.0.0.1:${port}/health`, 120_000);
  }
  const lb = startHaproxy(lbPort, ports, dir);
  await waitFor(`http://127.0.0.1:${lbPort}/health`);
  const db = embedded ? null : new pg.Client({ connectionString: url });
  await db?.connect();
  const env = { base: `http://127.0.0.1:${lbPort}`, ws: `ws://127.0.0.1:${lbPort}`, db, servers, ports, redis, lb, common };
  env.down = async () => {
    await db?.end();
    await stop(lb);
    for (const s of env.servers) await stop(s);
    if (env.redis) await stop(env.redis);
    // SCALE_PROF=1: where the instances' CPU time went over the whole run (setup included).
    if (process.env.SCALE_PROF && existsSync(profDir)) log(`profile of ${name} (${instances} instance(s)):\n${JSON.stringify(profileSummary(profDir), null, 1)}`);
  };
  return env;
}

/** The scale team: A agents in one team with a queue that assigns straight away, up to C/A chats each. */
async function scaleTeam(env) {
  const { db } = env;
  const { rows: hash } = await db.query("select password_hash from users where username = 'agent3'");
  const { rows: team } = await db.query("insert into teams (name) values ('Scale') returning id");
  const teamId = team[0].id;
  await db.query("insert into chat_queues (name, team_id, language, product, mode) values ('Scale', $1, 'en', 'scale', 'auto')", [teamId]);
  const names = Array.from({ length: cfg.agents }, (_, i) => `scale${String(i).padStart(4, '0')}`);
  const { rows: users } = await db.query(
    "insert into users (username, display_name, role, password_hash) select n, n, 'agent', $2 from unnest($1::text[]) n returning id, username",
    [names, hash[0].password_hash],
  );
  await db.query('insert into team_members (team_id, user_id) select $1, unnest($2::uuid[])', [teamId, users.map((u) => u.id)]);
  await db.query('insert into agent_capacity (user_id, max_chats) select unnest($1::uuid[]), $2', [users.map((u) => u.id), Math.min(20, Math.ceil(cfg.customers / cfg.agents) + 1)]);
  const agents = [];
  await pool(names, 8, async (username) => {
    const login = await api(env.base, '/auth/login', { body: { username, password: 'switchboard' } });
    await api(env.base, '/presence', { token: login.accessToken, body: { presence: 'available' } });
    agents.push({ username, token: login.accessToken, userId: login.user.id });
  });
  return agents;
}

const serverCpu = (env) => env.servers.reduce((sum, s) => sum + cpuMs(s.pid), 0);
const dbCpu = () => postgresPids().reduce((sum, pid) => sum + cpuMs(pid), 0);

/** Customers and agents chatting; with `fault`, one instance is killed at 40 % and the broker restarted at 70 %. */
async function chatRun(instances, fault = false) {
  const env = await up({ instances });
  try {
    const agents = await scaleTeam(env);
    const receipts = [];
    const posted = [];
    const stats = { agentDrops: 0, customerDrops: 0, postFailed: 0 };
    const sockets = agents.map((a) => chatAgent(env.ws, a.token, receipts, stats));
    await pool(sockets, 20, (s) => s.start());
    const customers = [];
    await pool(Array.from({ length: cfg.customers }, (_, i) => i), 16, async (i) => customers.push(await customer(env.base, env.ws, i, posted, stats)));
    log(`${instances} instance(s)${fault ? ', fault run' : ''}: ${agents.length} agents and ${customers.length} customers connected`);
    await sleep(1000);
    const cpu0 = { server: serverCpu(env), db: dbCpu(), redis: env.redis ? cpuMs(env.redis.pid) : 0, lb: cpuMs(env.lb.pid) };
    const t0 = now();
    const span = cfg.seconds * 1000;
    const faults = [];
    if (fault) {
      setTimeout(() => {
        faults.push({ at: Math.round(now() - t0), what: `instance on port ${env.ports[1]} killed (SIGKILL)` });
        const victim = env.servers[1];
        env.servers[1] = { pid: 0, exitCode: 0 };
        victim.kill('SIGKILL');
      }, span * 0.4);
      setTimeout(async () => {
        faults.push({ at: Math.round(now() - t0), what: 'broker restarted' });
        await stop(env.redis, 'SIGKILL');
        await sleep(500);
        env.redis = startRedis(redisPort, dir);
      }, span * 0.7);
    }
    await Promise.all(
      customers.map(async (c) => {
        for (let n = 0; n < cfg.messages; n++) {
          await sleep(t0 + ((n + Math.random()) * span) / cfg.messages - now());
          await c.say();
        }
      }),
    );
    const sent = posted.length;
    const until = now() + 30_000;
    while (now() < until && new Set(receipts.map((r) => r.id)).size < sent) await sleep(250);
    const t1 = now();
    const cpu1 = { server: serverCpu(env), db: dbCpu(), redis: env.redis ? cpuMs(env.redis.pid) : 0, lb: cpuMs(env.lb.pid) };
    await sleep(2000);
    const v = verdict(posted, receipts);
    const perK = (a, b) => Math.round(((b - a) / Math.max(1, sent)) * 1000);
    const { rows: twice } = await env.db.query(
      "select count(*)::int as n from (select conversation_id from chat_events where type = 'assignment' group by conversation_id having count(*) > 1) x",
    );
    const { rows: over } = await env.db.query(
      `select count(*)::int as n from (select c.assignee_id from conversations c join agent_capacity k on k.user_id = c.assignee_id
        where c.state = 'active' group by c.assignee_id, k.max_chats having count(*) > k.max_chats) x`,
    );
    for (const s of sockets) s.close();
    for (const c of customers) c.close();
    return {
      instances,
      sent,
      received: sent - v.lost,
      lost: v.lost,
      duplicated: v.duplicated,
      outOfOrder: v.outOfOrder,
      chatsAssignedTwice: twice[0].n,
      agentsOverLimit: over[0].n,
      postFailed: stats.postFailed,
      ...(stats.lastPostError ? { lastPostError: stats.lastPostError } : {}),
      latencyMs: { p50: pct(v.latencies, 0.5), p99: pct(v.latencies, 0.99), max: pct(v.latencies, 1) },
      postAnsweredMs: { p50: pct(posted.map((p) => p.answeredMs), 0.5), p99: pct(posted.map((p) => p.answeredMs), 0.99) },
      msgsPerS: Math.round(sent / ((t1 - t0) / 1000)),
      // A killed instance takes its CPU count with it: the fault run reports none.
      cpuMsPer1000: fault ? null : { servers: perK(cpu0.server, cpu1.server), postgres: perK(cpu0.db, cpu1.db), redis: perK(cpu0.redis, cpu1.redis), haproxy: perK(cpu0.lb, cpu1.lb) },
      socketDrops: { agents: stats.agentDrops, customers: stats.customerDrops },
      ...(fault ? { faults } : {}),
    };
  } finally {
    await env.down();
  }
}

/** Idle agent sockets (authenticated and subscribed), memory per socket on the instances. */
async function idleRun(instances) {
  const env = await up({ instances });
  try {
    const login = await api(env.base, '/auth/login', { body: { username: 'agent3', password: 'switchboard' } });
    await sleep(2000);
    const rss0 = env.servers.reduce((s, p) => s + rssBytes(p.pid), 0);
    const held = [];
    let failed = 0;
    await pool(Array.from({ length: cfg.idle }, (_, i) => i), 50, async () => {
      try {
        await new Promise((resolve, reject) => {
          void open(`${env.ws}/chat/socket`, { type: 'auth', token: login.accessToken }, (m, socket) => {
            if (m.type === 'ready') socket.send(JSON.stringify({ type: 'subscribe', cursor: null }));
            if (m.type === 'subscribed') resolve(held.push(socket));
          }).catch(reject);
        });
      } catch {
        failed += 1;
      }
    });
    await sleep(3000);
    const rss1 = env.servers.reduce((s, p) => s + rssBytes(p.pid), 0);
    const open1 = held.filter((s) => s.readyState === 1).length;
    for (const s of held) s.terminate();
    return { instances, sockets: held.length, failed, stillOpen: open1, rssMB: Math.round(rss1 / 1e6), bytesPerSocket: Math.round((rss1 - rss0) / Math.max(1, held.length)) };
  } finally {
    await env.down();
  }
}

/**
 * P poke sockets for the agents' clients (each pulled once, so pokes may carry deltas), 5 pushers adding a
 * comment in turn every 400 ms; the latency of each poke is from the start of the push whose version it names.
 */
async function pokeRun(instances, embedded) {
  const env = await up({ instances, embedded });
  try {
    // The embedded database cannot be reached from here: its run uses the demo's Berlin team.
    let users;
    if (embedded) {
      users = await Promise.all(['agent3', 'agent4', 'lead2'].map(async (u) => ({ token: (await api(env.base, '/auth/login', { body: { username: u, password: 'switchboard' } })).accessToken })));
    } else {
      users = await scaleTeam(env);
      await env.db.query("insert into tickets (subject, team_id, channel) select 'Scale ticket ' || n, (select id from teams where name = 'Scale'), 'email' from generate_series(1, 20) n");
    }
    const pushers = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const { token } = users[i % users.length];
        const clientId = randomUUID();
        const page = await api(env.base, '/sync/pull', { token, body: { clientId, cursor: null } });
        return { token, clientId, ticketId: page.tickets[i % page.tickets.length].id, next: 1 };
      }),
    );
    // One full pull per user gives a cursor; each client's own pull from it registers the client and tells
    // the server the client is up to date (so pokes to it may carry deltas).
    const cursors = new Map();
    for (const u of users) {
      let cursor = null;
      for (let more = true; more; ) {
        const page = await api(env.base, '/sync/pull', { token: u.token, body: { clientId: randomUUID(), cursor } });
        cursor = page.cursor;
        more = page.more;
      }
      cursors.set(u.token, cursor);
    }
    const pushedAt = new Map();
    const arrivals = [];
    let dropped = 0;
    let pokes = 0;
    let deltas = 0;
    let measuring = true;
    const sockets = [];
    await pool(Array.from({ length: cfg.pokes }, (_, i) => i), 20, async (i) => {
      const u = users[i % users.length];
      const clientId = randomUUID();
      let ready;
      const bound = new Promise((resolve) => (ready = resolve));
      const socket = await open(`${env.ws}/sync/poke`, { type: 'auth', token: u.token, clientId }, (m) => {
        if (m.type === 'ready') ready();
        if (m.type !== 'poke') return;
        pokes += 1;
        if (m.delta) deltas += 1;
        arrivals.push([m.version, now()]);
      });
      socket.once('close', () => measuring && (dropped += 1));
      sockets.push(socket);
      await bound;
      // After the socket is bound: the pull tells the server (noteCursor) that this client is up to date.
      await api(env.base, '/sync/pull', { token: u.token, body: { clientId, cursor: cursors.get(u.token) } });
    });
    log(`poke run, ${instances} instance(s) on ${embedded ? 'PGlite' : 'PostgreSQL'}: ${sockets.length} sockets`);
    const cpu0 = serverCpu(env);
    const t0 = now();
    let pushes = 0;
    let failedPushes = 0;
    let lastPushError;
    while (now() - t0 < cfg.pokeSeconds * 1000) {
      const p = pushers[pushes % pushers.length];
      const started = now();
      try {
        const mutation = { id: p.next, name: 'addComment', createdAt: Date.now(), args: { commentId: randomUUID(), ticketId: p.ticketId, kind: 'internal', body: `bench push ${pushes}` } };
        await api(env.base, '/sync/push', { token: p.token, body: { clientId: p.clientId, mutations: [mutation] } });
        p.next += 1;
        // The poke names the version the push left; a pull's cursor says which one that was.
        const page = await api(env.base, '/sync/pull', { token: p.token, body: { clientId: p.clientId, cursor: null } });
        const version = Number(page.cursor.split('.')[1]);
        pushedAt.set(version, started);
        pushes += 1;
      } catch (err) {
        failedPushes += 1;
        lastPushError = String(err.message);
      }
      await sleep(Math.max(0, 400 - (now() - started)));
    }
    await sleep(5000);
    measuring = false;
    const cpu = serverCpu(env) - cpu0;
    const latencies = arrivals.flatMap(([version, at]) => (pushedAt.has(version) ? [at - pushedAt.get(version)] : []));
    for (const s of sockets) s.terminate();
    return { instances, db: embedded ? 'pglite' : 'postgres', sockets: sockets.length, pushes, failedPushes, ...(lastPushError ? { lastPushError } : {}), pokes, timed: latencies.length, withDelta: deltas, dropped, latencyMs: { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), max: pct(latencies, 1) }, serverCpuMs: cpu };
  } finally {
    await env.down();
  }
}

try {
  if (cfg.phases.includes('chat')) {
    result.chat = [await chatRun(3), await chatRun(1)];
    log(JSON.stringify(result.chat));
  }
  if (cfg.phases.includes('idle')) {
    result.idle = await idleRun(3);
    log(JSON.stringify(result.idle));
  }
  if (cfg.phases.includes('poke')) {
    result.poke = [await pokeRun(3, false), await pokeRun(1, true)];
    log(JSON.stringify(result.poke));
  }
  if (cfg.phases.includes('fault')) {
    result.fault = await chatRun(3, true);
    log(JSON.stringify(result.fault));
  }
} finally {
  cluster.stop();
}
const chat3 = result.chat?.[0];
const poke3 = result.poke?.[0];
result.goals = {
  ...(chat3 ? { chatP99Under250: chat3.latencyMs.p99 !== null && chat3.latencyMs.p99 < 250 } : {}),
  ...(poke3 ? { pokeP99Under500: poke3.latencyMs.p99 !== null && poke3.latencyMs.p99 < 500, pokeNoneDropped: result.poke.every((p) => p.dropped === 0) } : {}),
  ...(result.fault ? { faultClean: result.fault.lost === 0 && result.fault.duplicated === 0 && result.fault.outOfOrder === 0 && result.fault.chatsAssignedTwice === 0 } : {}),
};
console.log(JSON.stringify(result));
