// Voice queue → agent ringing on real PostgreSQL (DATABASE_URL), through the server's HTTP routes on a
// loopback port, the way a PBX and the agents' apps reach it. 100 skilled agents, all on a queue call; 200
// callers waiting in line (kept at 200: each freed agent's call is answered and a new caller joins).
//   freed → ringing: an agent hangs up (POST /queues/calls/:id/hangup) until the next caller in line rings
//     at them (GET /queues/mine shows it; polled every 2 ms).
//   joined → ringing: a caller joins a second queue (signed POST /pbx/:id/queue-calls) whose one agent is
//     free, while the first queue has its 200 waiting, until the PBX's status names the extension to ring.
// Run by bench/queue.mjs.
import { randomUUID } from 'node:crypto';
import { buildServer } from '../../server/app';
import { createSession } from '../../server/auth/sessions';
import { createTokenService } from '../../server/auth/tokens';
import { signatureValue } from '../../server/chat/outbox';
import { makeConfig } from '../../server/config';
import { migrate } from '../../server/db/migrate';
import { openPostgres } from '../../server/db/postgres';

const agentsN = 100;
const waitingN = 200;
const rounds = Number(process.env.BENCH_ROUNDS ?? 100);
const secret = 'bench-queue-secret-that-is-long-enough-0123456789';
const pbxSecret = 'bench-pbx-secret-0123456789';
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

const db = await openPostgres(process.env.DATABASE_URL!);
await migrate(db);
const tokens = createTokenService(secret, 3600);
const team = randomUUID();
await db.query("insert into teams (id, name) values ($1, 'Bench')", [team]);
await db.query("insert into pbx_connectors (id, name, secret) values ('bench', 'Bench PBX', $1)", [pbxSecret]);
const { rows: qs } = await db.query<{ id: string }>("insert into voice_queues (team_id, name, number, skills, ring_seconds) values ($1, 'Main', '8100', '{billing}', 120), ($1, 'Second', '8200', '{vip}', 120) returning id", [team]);
const [main, second] = [qs[0]!.id, qs[1]!.id];
type Agent = { id: string; auth: { authorization: string }; callId: string };
const agents: Agent[] = [];
const person = async (name: string, skills: string[], ext: string) => {
  const id = randomUUID();
  await db.query("insert into users (id, username, display_name, role, password_hash, extension) values ($1, $2, $2, 'agent', 'x', $3)", [id, name, ext]);
  await db.query('insert into team_members (team_id, user_id) values ($1, $2)', [team, id]);
  await db.query("insert into agent_presence (user_id, presence) values ($1, 'available')", [id]);
  const { sessionId } = await createSession(db, id, 3600);
  const token = await tokens.signAccess({ sub: id, role: 'agent', sid: sessionId });
  await db.query('insert into agent_routing (user_id, skills, languages, idle_since) values ($1, $2, $3, now())', [id, skills, ['en']]);
  return { id, auth: { authorization: `Bearer ${token}` } };
};
for (let i = 0; i < agentsN; i++) {
  const p = await person(`agent${i}`, ['billing'], String(2000 + i));
  const { rows } = await db.query<{ id: string }>(
    "insert into queue_calls (queue_id, team_id, caller, state, enqueued_at, agent_id, answered_at) values ($1, $2, $3, 'connected', now(), $4, now()) returning id",
    [main, team, `+4930${i}`, p.id],
  );
  await db.query('update agent_routing set call_id = $2 where user_id = $1', [p.id, rows[0]!.id]);
  agents.push({ ...p, callId: rows[0]!.id });
}
const vip = await person('vip', ['vip'], '3000');

const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const pbx = async (path: string, body: unknown) => {
  const raw = JSON.stringify(body);
  const res = await fetch(`${base}/pbx/bench/queue-calls${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchboard-signature': signatureValue(pbxSecret, Math.floor(Date.now() / 1000), raw) },
    body: raw,
  });
  if (!res.ok) throw new Error(`pbx ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { callId: string; ring: string | null; state: string };
};
const api = async (method: string, path: string, auth: Agent['auth']) => {
  const res = await fetch(`${base}${path}`, { method, headers: auth });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : ((await res.json()) as { ringing: { callId: string } | null });
};
for (let i = 0; i < waitingN; i++) await pbx('', { queueNumber: '8100', caller: `+4940${i}` });

const freed: number[] = [];
const joined: number[] = [];
for (let r = 0; r < rounds; r++) {
  const a = agents[r % agentsN]!;
  const t0 = performance.now();
  await api('POST', `/queues/calls/${a.callId}/hangup`, a.auth);
  let ringing: string | null = null;
  while (!ringing) {
    ringing = (await api('GET', '/queues/mine', a.auth))!.ringing?.callId ?? null;
    if (!ringing) await new Promise((res) => setTimeout(res, 2));
  }
  freed.push(performance.now() - t0);
  // Keep 100 agents on calls and 200 in line.
  await api('POST', `/queues/calls/${ringing}/answer`, a.auth);
  a.callId = ringing;
  await pbx('', { queueNumber: '8100', caller: `+4950${r}` });

  const t1 = performance.now();
  const call = await pbx('', { queueNumber: '8200', caller: `+4960${r}` });
  let ring = call.ring;
  while (ring !== '3000') {
    await new Promise((res) => setTimeout(res, 2));
    ring = (await pbx('/status', { callId: call.callId })).ring;
  }
  joined.push(performance.now() - t1);
  await pbx('/events', { callId: call.callId, event: 'caller-gone' });
}
const { rows: w } = await db.query<{ n: number }>("select count(*)::int as n from queue_calls where queue_id = $1 and state = 'waiting'", [main]);
await app.close();
await db.close();
void second;
void vip;
console.log(
  JSON.stringify({
    bench: 'queue',
    agents: agentsN,
    waiting: w[0]!.n,
    rounds,
    freedToRingingMs: { p50: round(q(freed, 0.5)), p95: round(q(freed, 0.95)), max: round(Math.max(...freed)) },
    joinedToRingingMs: { p50: round(q(joined, 0.5)), p95: round(q(joined, 0.95)), max: round(Math.max(...joined)) },
    directExtensionCall: null,
    note: 'server-side only (HTTP on loopback, real PostgreSQL); no SIP legs: the direct extension call comparison is not measured in this run',
  }),
);
