// bench/sla/alarms: breach moment → alarm on the lead's socket, through the real scanner (server/sla/scanner.ts,
// default 500 ms interval) and the realtime hub, with a large table of running timers that are not due
// (the scanner's queries must stay cheap however many tickets are open). PostgreSQL when DATABASE_URL is set
// (a throwaway database is created and dropped), else embedded PGlite.
// Usage: npm run bench:sla [-- breaches backgroundTimers]   (default 200 breaches over 20 s, 100000 timers).
// Ends with one JSON line. Goal (issue 14): p99 under 2 s.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { WebSocket } from 'ws';
import { buildServer } from '../../server/app';
import { createSession } from '../../server/auth/sessions';
import { createTokenService } from '../../server/auth/tokens';
import { makeConfig } from '../../server/config';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';

const breaches = Number(process.argv[2] ?? 200);
const background = Number(process.argv[3] ?? 100_000);
const windowMs = 20_000;
const secret = 'bench-sla-secret-that-is-long-enough-0123456789';

async function openDb(): Promise<{ db: Db; kind: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) return { db: await openPglite('memory://'), kind: 'pglite', drop: async () => {} };
  const name = `bench_sla_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    db: await openPostgres(u.toString()),
    kind: 'postgres',
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const { db, kind, drop } = await openDb();
await migrate(db);
const teamId = randomUUID();
await db.query("insert into teams (id, name, time_zone) values ($1, 'Team Berlin', 'Europe/Berlin')", [teamId]);
const leadId = randomUUID();
await db.query("insert into users (id, username, display_name, role, password_hash) values ($1, 'lead', 'Lead', 'lead', 'x')", [leadId]);
await db.query('insert into team_members (team_id, user_id) values ($1, $2)', [teamId, leadId]);
const { sessionId } = await createSession(db, leadId, 3600);
const token = await createTokenService(secret, 3600).signAccess({ sub: leadId, role: 'lead', sid: sessionId });

// Background: open tickets whose timers are days from due (what a busy team has running at any moment).
const t0 = Date.now();
await db.query(
  `with t as (insert into tickets (subject, team_id, channel) select 'Background ' || g, $1, 'email' from generate_series(1, $2) g returning id)
   insert into sla_timers (ticket_id, team_id, kind, state, target_seconds, warn_percent, business_hours, escalate_after_seconds, started_at, due_at, warn_at)
   select id, $1, 'resolution', 'active', 172800, 80, true, 3600, now(), now() + interval '2 days', now() + interval '1 day' from t`,
  [teamId, background],
);
console.log(`[bench] ${background} running timers in ${Date.now() - t0} ms (${kind})`);

const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

const due = new Map<string, number>();
const latencies: number[] = [];
const socket = new WebSocket(`ws://127.0.0.1:${port}/sla/socket`);
await new Promise((r) => socket.once('open', r));
const ready = new Promise<void>((resolve) => {
  socket.on('message', (data) => {
    const m = JSON.parse(String(data)) as { type: string; alarm?: { level: string; ticketId: string } };
    if (m.type === 'ready') resolve();
    if (m.type === 'alarm' && m.alarm?.level === 'breach') {
      const at = due.get(m.alarm.ticketId);
      if (at !== undefined) latencies.push(Date.now() - at);
    }
  });
});
socket.send(JSON.stringify({ type: 'auth', token }));
await ready;

// Breaches spread over the window, each due at a known moment. The timers are inserted far from due first,
// then given their due times in one statement, so a slow insert cannot eat into the measured latency.
const ids: string[] = [];
for (let i = 0; i < breaches; i += 1) {
  const ticketId = randomUUID();
  ids.push(ticketId);
  await db.query("insert into tickets (id, subject, team_id, channel) values ($1, 'Chat', $2, 'chat')", [ticketId, teamId]);
  await db.query(
    `insert into sla_timers (ticket_id, team_id, kind, state, target_seconds, warn_percent, business_hours, escalate_after_seconds, started_at, due_at, warn_at)
     values ($1, $2, 'first_response', 'active', 60, 80, false, 3600, now(), now() + interval '1 day', now() + interval '1 day')`,
    [ticketId, teamId],
  );
}
const start = Date.now() + 1_000;
const dues = ids.map((id, i) => {
  const at = start + Math.round((i * windowMs) / breaches);
  due.set(id, at);
  return new Date(at);
});
await db.query(
  `update sla_timers s set due_at = d.at, warn_at = d.at - interval '12 seconds'
   from unnest($1::uuid[], $2::timestamptz[]) as d(ticket_id, at) where s.ticket_id = d.ticket_id`,
  [ids, dues],
);
const deadline = start + windowMs + 10_000;
while (latencies.length < breaches && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
socket.close();
await app.close();
await db.close();
await drop();

const s = [...latencies].sort((a, b) => a - b);
const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? null;
const result = { bench: 'sla-alarms', db: kind, breaches, received: s.length, backgroundTimers: background, scanIntervalMs: 500, breachToSocketMs: { median: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) ?? null } };
console.log(JSON.stringify(result));
process.exit(s.length === breaches ? 0 : 1);
