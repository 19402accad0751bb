/**
 * Chaos run for offline-first tickets (issue 4). Started by tests/chaos/run.mjs inside a loopback-only
 * network namespace with a Debian PostgreSQL cluster (CHAOS_DB).
 *
 * Real components: the real server (server/app.ts startServer) as a child process on real PostgreSQL,
 * restarted twice (once SIGKILL, once SIGTERM); real clients = the real sync engine, cache writer and
 * outbox (Dexie) with the real HTTP transport and poke WebSocket over real TCP sockets. The clients run
 * in Node on fake-indexeddb rather than in Chromium pages: three Chromium profiles plus the server on this
 * 2-core machine would not fit the 3-minute CI budget with enough mutations to matter, and what chaos
 * tests here (ordering, exactly-once, recovery) lives in the engine and the server, not in the browser's
 * IndexedDB (the Chromium path is covered by the e2e and bench/sync.mjs). Each client talks through its
 * own TCP proxy, which the run cuts at random moments (in-flight requests die half-way, sockets drop).
 * One client is "killed" mid-write: its engine and databases are dropped while a mutation is in flight,
 * then the same databases are reopened by a new engine, as after a crash.
 *
 * The end: every client and the server hold identical ticket data (for each client's scope, compared
 * with a fresh full pull), the server's mutation log holds exactly as many mutations per client as the
 * client created (counted by the outbox's own durable counter, which a crash cannot lose), and every
 * comment a client queued is on the server exactly once, or shown as refused on the client.
 *
 * Env: SWITCHBOARD_CHAOS_SEED (default 20260302), SWITCHBOARD_CHAOS_SECONDS (default 45), CHAOS_DB.
 */
import 'fake-indexeddb/auto';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { canWrite, type Actor } from '../../core/tickets/scope';
import { LoginResponse } from '../../core/wire/auth';
import { PullResponse, type PullRequest } from '../../core/sync/wire';
import type { Comment, Ticket } from '../../core/tickets/model';
import { CacheDb } from '../../renderer/services/db/cacheDb';
import { OutboxDb } from '../../renderer/services/db/outboxDb';
import { fromCachedTicket } from '../../renderer/services/db/rows';
import { createHttpTransport, type PokeSocketLike } from '../../renderer/services/sync/httpTransport';
import { createSyncEngine, type SyncEngine } from '../../renderer/services/sync/syncEngine';
import { startProxy, type Proxy } from './proxy';

const seed = Number(process.env.SWITCHBOARD_CHAOS_SEED ?? 20260302);
const seconds = Number(process.env.SWITCHBOARD_CHAOS_SECONDS ?? 45);
const dbUrl = process.env.CHAOS_DB!;
const serverPort = 7690;
console.log(`[chaos] seed ${seed} (SWITCHBOARD_CHAOS_SEED=${seed} to reproduce), ${seconds} s of chaos`);

/** mulberry32: a small seeded PRNG, so the schedule of mutations and faults is the same for a seed. */
function prng(s: number) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- server process ----
let server: ChildProcess | null = null;
async function startServerProcess(first: boolean): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/chaos/server.ts'], {
    env: { ...process.env, CHAOS_DB: dbUrl, CHAOS_PORT: String(serverPort), CHAOS_SEED: first ? 'demo' : 'none' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server = child;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)));
  });
}
async function stopServerProcess(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const child = server!;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
  server = null;
}

// ---- clients ----
type User = { username: string; actor: Actor; token: string };
async function login(username: string): Promise<User> {
  const res = await fetch(`http://127.0.0.1:${serverPort}/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'switchboard' }),
  });
  const body = LoginResponse.parse(await res.json());
  return { username, token: body.accessToken, actor: { userId: body.user.id, role: body.user.role, teamIds: body.user.teams.map((t) => t.id) } };
}

class HttpStatusError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

type Client = {
  name: string;
  user: User;
  proxy: Proxy;
  cacheDb: CacheDb;
  outboxDb: OutboxDb;
  engine: SyncEngine;
  /** Comment ids whose mutate resolved (queued durably). */
  queuedComments: Set<string>;
  logs: string[];
};

function openClient(name: string, user: User, proxy: Proxy, queuedComments = new Set<string>(), logs: string[] = []): Client {
  const base = `http://127.0.0.1:${proxy.port}`;
  const cacheDb = new CacheDb(`chaos-cache-${name}`);
  const outboxDb = new OutboxDb(`chaos-outbox-${name}`);
  const transport = createHttpTransport({
    async postJson(path, body) {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const json = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
      if (!res.ok) throw new HttpStatusError(res.status, json?.error?.code ?? 'http', `HTTP ${res.status} ${json?.error?.code ?? ''} ${json?.error?.message ?? ''}`);
      return json;
    },
    openWebSocket: (path) => new WebSocket(`ws://127.0.0.1:${proxy.port}${path}`) as unknown as PokeSocketLike,
    accessToken: () => user.token,
  });
  const engine = createSyncEngine({
    cacheDb, outboxDb, transport, actor: user.actor,
    clock: { now: () => Date.now(), setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } },
    random, newClientId: randomUUID,
    backoff: { baseMs: 200, maxMs: 2_000 },
    log: (line) => logs.push(`${new Date().toISOString()} ${name}: ${line}`),
  });
  return { name, user, proxy, cacheDb, outboxDb, engine, queuedComments, logs };
}

const words = ['退款', 'refund', '已处理', 'callback', '訂單', 'invoice', '请稍等', 'escalated'];
async function randomMutation(c: Client, inFlight?: (p: Promise<unknown>) => void): Promise<void> {
  const tickets = (await c.cacheDb.tickets.toArray()).map(fromCachedTicket);
  const writable = tickets.filter((t) => canWrite(c.user.actor, t));
  if (writable.length === 0) return;
  const t = pick(writable);
  const roll = random();
  let p: Promise<unknown>;
  if (roll < 0.45) {
    const commentId = randomUUID();
    p = c.engine.mutate('addComment', { commentId, ticketId: t.id, kind: pick(['public', 'internal'] as const), body: `${pick(words)} ${pick(words)} #${Math.floor(random() * 1e6)}` })
      .then(() => void c.queuedComments.add(commentId));
  } else if (roll < 0.85 || c.user.actor.role !== 'lead') {
    const changes = pick([{ status: pick(['open', 'pending', 'solved'] as const) }, { priority: pick(['low', 'normal', 'high', 'urgent'] as const) }, { subject: `${pick(words)} ${Math.floor(random() * 1e4)}` }]);
    p = c.engine.mutate('updateTicket', { ticketId: t.id, changes });
  } else {
    p = c.engine.mutate('updateTicket', { ticketId: t.id, changes: { assigneeId: pick([...agentIds, null]) } });
  }
  // A local refusal (e.g. a status move the model forbids) queues nothing: not a created mutation.
  const settled = p.catch((err: unknown) => void c.logs.push(`${c.name}: refused locally: ${String(err)}`));
  if (inFlight) inFlight(settled);
  else await settled;
}
let agentIds: string[] = [];

const checks: Array<{ name: string; ok: boolean; detail?: string }> = [];
const check = (name: string, ok: boolean, detail?: string) => {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

/** The server's view of a user's scope: a full pull from a null cursor under a throw-away client id. */
async function serverView(user: User): Promise<{ tickets: Map<string, Ticket>; comments: Map<string, Comment> }> {
  const tickets = new Map<string, Ticket>();
  const comments = new Map<string, Comment>();
  let cursor: string | null = null;
  const clientId = randomUUID();
  for (;;) {
    const req: PullRequest = { clientId, cursor };
    const res = await fetch(`http://127.0.0.1:${serverPort}/sync/pull`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` }, body: JSON.stringify(req),
    });
    const page = PullResponse.parse(await res.json());
    for (const t of page.tickets) tickets.set(t.id, t);
    for (const c of page.comments) comments.set(c.id, c);
    cursor = page.cursor;
    if (!page.more) return { tickets, comments };
  }
}

const stable = (v: unknown) => JSON.stringify(v, (_k, val: unknown) => (val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort()) : val));

async function main(): Promise<number> {
  const t0 = performance.now();
  await startServerProcess(true);
  const users = await Promise.all(['agent1', 'agent2', 'lead1'].map(login));
  agentIds = users.filter((u) => u.actor.role === 'agent').map((u) => u.actor.userId);
  const clients: Client[] = [];
  for (const u of users) clients.push(openClient(u.username, u, await startProxy(serverPort)));
  await Promise.all(clients.map((c) => c.engine.start()));
  console.log(`[chaos] ${clients.length} clients synced ${await clients[0]!.cacheDb.tickets.count()}/${await clients[1]!.cacheDb.tickets.count()}/${await clients[2]!.cacheDb.tickets.count()} tickets`);

  const endAt = Date.now() + seconds * 1000;
  const restarts: Array<{ at: number; signal: 'SIGKILL' | 'SIGTERM' }> = [
    { at: Date.now() + seconds * 1000 * 0.3, signal: 'SIGKILL' },
    { at: Date.now() + seconds * 1000 * 0.65, signal: 'SIGTERM' },
  ];
  const killAt = Date.now() + seconds * 1000 * 0.5;
  let killed = false;
  let restarted = 0;
  let cuts = 0;
  const restoreTimers = new Set<NodeJS.Timeout>();
  let mutateCalls = 0;

  while (Date.now() < endAt) {
    const next = restarts[0];
    if (next && Date.now() >= next.at) {
      restarts.shift();
      console.log(`[chaos] server ${next.signal === 'SIGKILL' ? 'killed (SIGKILL)' : 'stopped (SIGTERM)'} at +${Math.round((performance.now() - t0) / 1000)} s`);
      await stopServerProcess(next.signal);
      // Clients keep working offline while it is down.
      const downFor = 500 + random() * 2_000;
      const until = Date.now() + downFor;
      while (Date.now() < until) {
        await randomMutation(pick(clients));
        mutateCalls += 1;
        await sleep(30 + random() * 80);
      }
      await startServerProcess(false);
      restarted += 1;
    }
    if (!killed && Date.now() >= killAt) {
      killed = true;
      const i = Math.floor(random() * clients.length);
      const victim = clients[i]!;
      const before = (await victim.outboxDb.meta.get('nextMutationId'))?.value;
      await randomMutation(victim, () => undefined);
      mutateCalls += 1;
      // Crash mid-write: drop the engine and close its databases without waiting for the mutation.
      await sleep(random() * 4);
      victim.engine.stop();
      victim.cacheDb.close();
      victim.outboxDb.close();
      clients[i] = openClient(victim.name, victim.user, victim.proxy, victim.queuedComments, victim.logs);
      const after = (await clients[i]!.outboxDb.meta.get('nextMutationId'))?.value;
      console.log(`[chaos] client ${victim.name} killed mid-write (the mutation in flight was ${before === after ? 'lost before the outbox had it: never created' : 'in the outbox'}); databases reopened`);
      await clients[i]!.engine.start();
    }
    const roll = random();
    const c = pick(clients);
    if (roll < 0.06 && c.proxy.up) {
      c.proxy.cut();
      cuts += 1;
      const timer = setTimeout(() => {
        restoreTimers.delete(timer);
        c.proxy.restore();
        c.engine.onOnline();
      }, 300 + random() * 3_000);
      restoreTimers.add(timer);
    } else {
      await randomMutation(c);
      mutateCalls += 1;
    }
    await sleep(20 + random() * 60);
  }
  for (const t of restoreTimers) clearTimeout(t);
  for (const c of clients) {
    c.proxy.restore();
    c.engine.onOnline();
  }
  console.log(`[chaos] chaos over at +${Math.round((performance.now() - t0) / 1000)} s: ${mutateCalls} mutate calls, ${cuts} network cuts, ${restarted} server restarts; converging`);

  // Converge: everyone drains its outbox, then everyone pulls everyone else's last changes.
  const convergeUntil = Date.now() + 60_000;
  for (;;) {
    await Promise.all(clients.map((c) => c.engine.syncNow()));
    const pending = await Promise.all(clients.map((c) => c.outboxDb.mutations.where('status').equals('pending').count().catch(() => -1)));
    if (pending.every((n) => n === 0) && clients.every((c) => c.engine.getState().status === 'online')) break;
    if (Date.now() > convergeUntil) break;
    await sleep(200);
  }
  await Promise.all(clients.map((c) => c.engine.syncNow()));

  check('server restarted at least twice (SIGKILL and SIGTERM)', restarted >= 2, `${restarted}`);
  check('a client was killed mid-write and reopened', killed);
  const pgc = new pg.Client({ connectionString: dbUrl });
  await pgc.connect();
  let totalCreated = 0;
  let totalLogged = 0;
  for (const c of clients) {
    const pending = await c.outboxDb.mutations.where('status').equals('pending').count();
    const failed = await c.outboxDb.mutations.where('status').equals('failed').toArray();
    check(`${c.name}: outbox drained`, pending === 0, `${pending} pending, ${failed.length} refused by the server`);
    const clientId = (await c.outboxDb.meta.get('clientId'))?.value as string;
    const next = (await c.outboxDb.meta.get('nextMutationId'))?.value as number | undefined;
    const created = (next ?? 1) - 1;
    const { rows } = await pgc.query<{ n: string; distinct_ids: string; max: string | null }>(
      'select count(*) as n, count(distinct mutation_id) as distinct_ids, max(mutation_id) as max from sync_mutation_log where client_id = $1', [clientId]);
    const logged = Number(rows[0]!.n);
    totalCreated += created;
    totalLogged += logged;
    check(`${c.name}: server applied each of its mutations exactly once`, logged === created && Number(rows[0]!.distinct_ids) === logged && Number(rows[0]!.max ?? 0) === created,
      `client created ${created}, server log ${logged} (ids 1..${rows[0]!.max ?? 0})`);
    const resets = c.logs.filter((l) => /client-reset|mutation-gap/.test(l));
    check(`${c.name}: never had to start over as a new client`, resets.length === 0, resets[0]);

    const view = await serverView(c.user);
    const local = new Map((await c.cacheDb.tickets.toArray()).map((r) => [r.id, fromCachedTicket(r)]));
    const diff = [...new Set([...view.tickets.keys(), ...local.keys()])].filter((id) => stable(view.tickets.get(id)) !== stable(local.get(id)));
    check(`${c.name}: tickets identical to the server's (${view.tickets.size} in scope)`, diff.length === 0,
      diff.length ? `${diff.length} differ, e.g. server ${stable(view.tickets.get(diff[0]!))} client ${stable(local.get(diff[0]!))}` : undefined);
    const localComments = new Map((await c.cacheDb.comments.toArray()).map((r) => [r.id, r]));
    const cdiff = [...new Set([...view.comments.keys(), ...localComments.keys()])].filter((id) => stable(view.comments.get(id)) !== stable(localComments.get(id)));
    check(`${c.name}: comments identical to the server's (${view.comments.size})`, cdiff.length === 0, cdiff.length ? `${cdiff.length} differ` : undefined);

    const refusedComments = new Set(failed.map((m) => (m.args as { commentId?: string }).commentId).filter(Boolean));
    const { rows: onServer } = await pgc.query<{ id: string; n: string }>('select id, count(*) as n from ticket_comments where id = any($1::uuid[]) group by id', [[...c.queuedComments]]);
    const found = new Map(onServer.map((r) => [r.id, Number(r.n)]));
    const lost = [...c.queuedComments].filter((id) => !found.has(id) && !refusedComments.has(id));
    check(`${c.name}: every queued comment is on the server exactly once or shown as refused (${c.queuedComments.size})`, lost.length === 0 && [...found.values()].every((n) => n === 1),
      lost.length ? `${lost.length} lost` : undefined);
  }
  check('server mutation count equals the clients\' count', totalLogged === totalCreated, `${totalLogged} logged, ${totalCreated} created`);
  await pgc.end();

  for (const c of clients) {
    c.engine.stop();
    await c.proxy.close();
  }
  await stopServerProcess('SIGTERM');
  const failedChecks = checks.filter((c) => !c.ok);
  if (failedChecks.length > 0) {
    for (const c of clients) console.log(c.logs.slice(-15).join('\n'));
    console.log(`[chaos] reproduce with SWITCHBOARD_CHAOS_SEED=${seed}`);
  }
  console.log(`[chaos] done in ${Math.round((performance.now() - t0) / 1000)} s (seed ${seed})`);
  console.log(`${checks.length - failedChecks.length} passed, ${failedChecks.length} failed`);
  return failedChecks.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('[chaos] crashed:', err);
    server?.kill('SIGKILL');
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
