// The wallboard's two figures on real PostgreSQL (DATABASE_URL): the snapshot read (what a watcher's
// subscribe and every coalesced push cost) and change → pushed update on a lead's board socket.
// Data: 20 teams × 25 agents, 3 queues per team, `days` days of finished conversations (about 1 500 a day
// per team: answered within or past the target, abandoned), 5 waiting per team now. Run by bench/board.mjs.
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { buildServer } from '../../server/app';
import { createSession } from '../../server/auth/sessions';
import { createTokenService } from '../../server/auth/tokens';
import { boardSnapshot } from '../../server/board/snapshot';
import { makeConfig } from '../../server/config';
import { migrate } from '../../server/db/migrate';
import { openPostgres } from '../../server/db/postgres';

const days = Number(process.env.BENCH_DAYS ?? 30);
const perTeamPerDay = 1500;
const secret = 'bench-board-secret-that-is-long-enough-0123456789';
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

const db = await openPostgres(process.env.DATABASE_URL!);
await migrate(db);
const tokens = createTokenService(secret, 3600);
const t0 = performance.now();
const teams: string[] = [];
const agentsOf = new Map<string, { id: string; token: string }[]>();
let lead: { id: string; token: string; team: string } | null = null;
for (let t = 0; t < 20; t++) {
  const team = randomUUID();
  teams.push(team);
  await db.query('insert into teams (id, name) values ($1, $2)', [team, `Team ${t}`]);
  await db.query('insert into team_floor_settings (team_id, answer_target_seconds) values ($1, 60)', [team]);
  await db.query("update teams set time_zone = 'Europe/Berlin' where id = $1", [team]);
  for (let k = 0; k < 3; k++) await db.query("insert into chat_queues (name, team_id, language, product) values ($1, $2, 'en', $3)", [`Queue ${t}.${k}`, team, k === 0 ? null : `p${k}`]);
  const agents: { id: string; token: string }[] = [];
  for (let a = 0; a < 26; a++) {
    const id = randomUUID();
    const role = a === 25 ? 'lead' : 'agent';
    await db.query("insert into users (id, username, display_name, role, password_hash) values ($1, $2, $2, $3, 'x')", [id, `u${t}-${a}`, role]);
    await db.query('insert into team_members (team_id, user_id) values ($1, $2)', [team, id]);
    await db.query("insert into agent_presence (user_id, presence) values ($1, 'available')", [id]);
    const { sessionId } = await createSession(db, id, 3600);
    const token = await tokens.signAccess({ sub: id, role, sid: sessionId });
    if (role === 'lead' && t === 0) lead = { id, token, team };
    if (role === 'agent') agents.push({ id, token });
  }
  agentsOf.set(team, agents);
  const { rows: cu } = await db.query<{ id: string }>("insert into customers (name, language) values ('Bench', 'en') returning id");
  const { rows: tk } = await db.query<{ id: string }>("insert into tickets (subject, team_id, customer_id, channel) values ('Bench', $1, $2, 'chat') returning id", [team, cu[0]!.id]);
  // Finished history: arrival spread over the period; 85% answered after 5-120 s, then ended; 15% abandoned.
  await db.query(
    `insert into conversations (ticket_id, channel, customer_id, queue_id, team_id, assignee_id, state, language, created_at, last_message_at, answered_at, abandoned_at, closed_at)
     select $1, 'webchat', $2, (select id from chat_queues where team_id = $3 order by random() limit 1), $3,
            case when g.r < 0.85 then (select user_id from team_members where team_id = $3 order by random() limit 1) end,
            'closed', 'en', g.at, g.at,
            case when g.r < 0.85 then g.at + make_interval(secs => 5 + g.r * 135) end,
            case when g.r >= 0.85 then g.at + interval '90 seconds' end,
            g.at + interval '6 minutes'
     from (select now() - random() * make_interval(days => $4) as at, random() as r from generate_series(1, $5)) g`,
    [tk[0]!.id, cu[0]!.id, team, days, days * perTeamPerDay],
  );
  await db.query(
    `insert into conversations (ticket_id, channel, customer_id, queue_id, team_id, state, language, created_at, last_message_at)
     select $1, 'webchat', $2, (select id from chat_queues where team_id = $3 order by random() limit 1), $3, 'queued', 'en', now() - g * interval '20 seconds', now()
     from generate_series(1, 5) g`,
    [tk[0]!.id, cu[0]!.id, team],
  );
}
await db.query('analyze');
const { rows: count } = await db.query<{ n: number }>('select count(*)::int as n from conversations');
console.log(`seeded ${count[0]!.n} conversations, 20 teams × 25 agents in ${Math.round(performance.now() - t0)} ms`);

// 1. The snapshot read.
const snapMs: number[] = [];
for (let i = 0; i < 200; i++) {
  const team = teams[i % teams.length]!;
  const s = performance.now();
  await boardSnapshot(db, team, new Date(), () => null);
  snapMs.push(performance.now() - s);
}

console.log(`snapshot: p50 ${round(q(snapMs, 0.5))} ms, p95 ${round(q(snapMs, 0.95))} ms`);

// 2. Change → pushed update on the lead's socket (presence changes through the real route).
const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db, chat: { sweepMs: 0 } });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const socket = new WebSocket(`ws://127.0.0.1:${port}/board/socket`);
type Update = { type: string; agents?: { id: string; presence: string }[] };
const waiters: ((m: Update) => void)[] = [];
socket.on('message', (data) => {
  const m = JSON.parse(String(data)) as Update;
  if (process.env.BENCH_DEBUG) console.log(`socket: ${String(data).slice(0, 200)}`);
  if (m.type === 'ready') socket.send(JSON.stringify({ type: 'watch', teamId: lead!.team }));
  for (const w of waiters.splice(0)) w(m);
});
await new Promise((r) => socket.once('open', r));
const next = (pred: (m: Update) => boolean) =>
  new Promise<void>((resolve) => {
    const wait = (m: Update) => (pred(m) ? resolve() : waiters.push(wait));
    waiters.push(wait);
  });
const snapshotSeen = next((m) => m.type === 'snapshot');
socket.send(JSON.stringify({ type: 'auth', token: lead!.token }));
await snapshotSeen;
const pushMs: number[] = [];
const agents = agentsOf.get(lead!.team)!;
for (let i = 0; i < 100; i++) {
  // Each agent goes on a break, then back: every POST is a real change.
  const agent = agents[Math.floor(i / 2) % agents.length]!;
  const presence = i % 2 === 0 ? 'break' : 'available';
  const seen = next((m) => m.type === 'update' && !!m.agents?.some((a) => a.id === agent.id && a.presence === presence));
  const s = performance.now();
  const res = await app.inject({ method: 'POST', url: '/presence', headers: { authorization: `Bearer ${agent.token}` }, payload: { presence } });
  if (res.statusCode !== 200) throw new Error(`presence: ${res.statusCode} ${res.body}`);
  await seen;
  pushMs.push(performance.now() - s);
  if (i % 20 === 19) console.log(`push: ${i + 1} changes, last ${round(pushMs.at(-1)!)} ms`);
  // Apart from each other: each change is its own push, not part of the previous one's coalescing window.
  await new Promise((r) => setTimeout(r, 250));
}
socket.close();
await app.close();
await db.close();

const result = {
  bench: 'board',
  conversations: count[0]!.n,
  teams: 20,
  agentsPerTeam: 25,
  days,
  snapshotMs: { p50: round(q(snapMs, 0.5)), p95: round(q(snapMs, 0.95)), max: round(Math.max(...snapMs)), n: snapMs.length },
  presenceToPushMs: { p50: round(q(pushMs, 0.5)), p95: round(q(pushMs, 0.95)), p99: round(q(pushMs, 0.99)), n: pushMs.length },
};
console.log(JSON.stringify(result));
