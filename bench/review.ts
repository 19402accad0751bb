// bench/review: review search over 1 million conversations on PostgreSQL, through the real route
// (GET /review/conversations: scope check, audit insert, keyset query). Seeded with generate_series: 4 teams
// of 20 agents, 250 000 tickets, 1 000 000 conversations over the last 400 days, a survey on 30 %.
// Usage: npm run bench:review [-- conversations queries]   (default 1000000, 400).
// Uses DATABASE_URL when set (a throwaway database is created and dropped), else starts its own cluster on
// BENCH_PG_PORT (default 55450). Ends with one JSON line. Goal (issue 19): p95 under 300 ms.
import pg from 'pg';
import { buildServer } from '../server/app';
import { createSession } from '../server/auth/sessions';
import { createTokenService } from '../server/auth/tokens';
import { makeConfig } from '../server/config';
import { migrate } from '../server/db/migrate';
import { openPostgres } from '../server/db/postgres';
import { startPostgres } from '../scripts/postgres.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
const queries = Number(process.argv[3] ?? 400);
const secret = 'bench-review-secret-that-is-long-enough-0123456789';

type Cluster = { url: string; stop(): void };
const cluster: Cluster | null = process.env.DATABASE_URL ? null : (startPostgres({ port: Number(process.env.BENCH_PG_PORT ?? 55450) }) as Cluster);
const base = process.env.DATABASE_URL ?? cluster!.url;
const name = `bench_review_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`create database ${name}`);
const u = new URL(base);
u.pathname = `/${name}`;
const db = await openPostgres(u.toString());
try {
  await migrate(db);
  const t0 = performance.now();
  await db.exec(`
    insert into teams (id, name) select ('00000000-0000-4000-8000-' || lpad(to_hex(t), 12, '0'))::uuid, 'Team ' || t from generate_series(1, 4) t;
    insert into users (id, username, display_name, role, password_hash)
      select ('00000000-0000-4000-9000-' || lpad(to_hex(a), 12, '0'))::uuid, 'agent' || a, 'Agent ' || a, 'agent', 'x' from generate_series(1, 80) a;
    insert into team_members (team_id, user_id)
      select ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (a - 1) / 20), 12, '0'))::uuid, ('00000000-0000-4000-9000-' || lpad(to_hex(a), 12, '0'))::uuid from generate_series(1, 80) a;
    insert into chat_queues (id, name, team_id) select ('00000000-0000-4000-a000-' || lpad(to_hex(t), 12, '0'))::uuid, 'Q' || t, ('00000000-0000-4000-8000-' || lpad(to_hex(t), 12, '0'))::uuid from generate_series(1, 4) t;
    insert into customers (id, name, email) select ('00000000-0000-4000-b000-' || lpad(to_hex(c), 12, '0'))::uuid, 'Customer ' || c, 'c' || c || '@example.com' from generate_series(1, 100000) c;
  `);
  const tickets = Math.max(1, Math.floor(total / 4));
  await db.query(
    `insert into tickets (id, number, subject, status, customer_id, team_id, assignee_id, tags, channel, created_at, updated_at)
     select ('00000000-0000-4000-c000-' || lpad(to_hex(k), 12, '0'))::uuid, 100000 + k, 'Subject ' || k, 'solved',
            ('00000000-0000-4000-b000-' || lpad(to_hex(1 + k % 100000), 12, '0'))::uuid,
            ('00000000-0000-4000-8000-' || lpad(to_hex(1 + k % 4), 12, '0'))::uuid,
            ('00000000-0000-4000-9000-' || lpad(to_hex(1 + (k % 4) * 20 + (k / 4) % 20), 12, '0'))::uuid,
            case when k % 50 = 0 then array['refund'] when k % 7 = 0 then array['billing'] else '{}' end,
            'chat', now() - (k % 400) * interval '1 day', now()
       from generate_series(1, $1::int) k`,
    [tickets],
  );
  // Conversation k belongs to ticket 1 + k % tickets: the same team and customer as its ticket.
  await db.query(
    `insert into conversations (id, ticket_id, channel, customer_id, queue_id, team_id, assignee_id, state, language, created_at, last_message_at, closed_at)
     select ('00000000-0000-4000-d000-' || lpad(to_hex(k), 12, '0'))::uuid, t.id,
            (array['webchat', 'messaging', 'email', 'voice'])[1 + k % 4], t.customer_id,
            ('00000000-0000-4000-a000-' || lpad(to_hex(1 + tk % 4), 12, '0'))::uuid, t.team_id, t.assignee_id, 'closed', 'en',
            now() - (k::float / $1) * interval '400 days', now(), now()
       from generate_series(1, $1::int) k
       cross join lateral (select 1 + k % $2::int as tk) x
       join tickets t on t.id = ('00000000-0000-4000-c000-' || lpad(to_hex(x.tk), 12, '0'))::uuid`,
    [total, tickets],
  );
  await db.query(
    `insert into survey_responses (conversation_id, ticket_id, liked, disliked, improve, score, created_at)
     select c.id, c.ticket_id, '', '', '', 1 + (hashtext(c.id::text) & 1023) % 5, c.created_at from conversations c where (hashtext(c.id::text) & 1023) < 307`,
  );
  await db.exec('analyze');
  const seedMs = Math.round(performance.now() - t0);

  const team = '00000000-0000-4000-8000-000000000002';
  const lead = '00000000-0000-4000-9000-0000000000ff';
  await db.query("insert into users (id, username, display_name, role, password_hash) values ($1, 'lead', 'Lead', 'lead', 'x')", [lead]);
  await db.query('insert into team_members (team_id, user_id) values ($1, $2)', [team, lead]);
  const adminId = '00000000-0000-4000-9000-0000000000fe';
  await db.query("insert into users (id, username, display_name, role, password_hash) values ($1, 'admin', 'Admin', 'admin', 'x')", [adminId]);
  const tokens = createTokenService(secret, 3600);
  const bearer = async (id: string, role: 'lead' | 'admin') => `Bearer ${await tokens.signAccess({ sub: id, role, sid: (await createSession(db, id, 3600)).sessionId })}`;
  const leadAuth = await bearer(lead, 'lead');
  const adminAuth = await bearer(adminId, 'admin');
  const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db });
  await app.ready();

  const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
  const agent = (n: number) => `00000000-0000-4000-9000-${(20 + n).toString(16).padStart(12, '0')}`;
  // What a lead asks: the team's latest, an agent's last month, a customer, a tag, low CSAT, a ticket, a channel and period, page 5, the admin's everything.
  const shapes: ((i: number) => { url: string; auth: string })[] = [
    () => ({ url: `/review/conversations?teamId=${team}`, auth: leadAuth }),
    (i) => ({ url: `/review/conversations?teamId=${team}&agentId=${agent(1 + (i % 20))}&from=${day(60)}&to=${day(30)}`, auth: leadAuth }),
    (i) => ({ url: `/review/conversations?customer=c${2 + 4 * (i % 20000)}@example.com`, auth: leadAuth }),
    () => ({ url: `/review/conversations?teamId=${team}&tag=refund`, auth: leadAuth }),
    () => ({ url: `/review/conversations?teamId=${team}&csatMax=1&from=${day(90)}`, auth: leadAuth }),
    (i) => ({ url: `/review/conversations?ticket=${100001 + 4 * (i % 60000)}`, auth: leadAuth }),
    () => ({ url: `/review/conversations?teamId=${team}&channel=voice&from=${day(200)}&to=${day(100)}`, auth: leadAuth }),
    () => ({ url: `/review/conversations?from=${day(30)}`, auth: adminAuth }),
  ];
  const times: number[] = [];
  const perShape = shapes.map(() => [] as number[]);
  let nextKey: string | null = null;
  for (let i = 0; i < queries + 16; i++) {
    const s = i % (shapes.length + 1);
    let req: { url: string; auth: string };
    // Every ninth query pages on from the previous team page (keyset).
    if (s === shapes.length) req = { url: `/review/conversations?teamId=${team}${nextKey ? `&after=${nextKey}` : ''}`, auth: leadAuth };
    else req = shapes[s]!(i);
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url: req.url, headers: { authorization: req.auth } });
    const ms = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`${req.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (s === shapes.length) nextKey = (res.json() as { next: string | null }).next;
    if (i < 16) continue; // warm-up
    times.push(ms);
    if (s < shapes.length) perShape[s]!.push(ms);
  }
  await app.close();
  const pct = (xs: number[], p: number) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
  };
  const labels = ['team', 'agent+month', 'customer', 'tag', 'lowCsat', 'ticket', 'channel+period', 'admin'];
  console.log(
    JSON.stringify({
      bench: 'review',
      db: 'postgres',
      conversations: total,
      queries: times.length,
      seedMs,
      p50Ms: pct(times, 50),
      p95Ms: pct(times, 95),
      maxMs: pct(times, 100),
      p95ByShapeMs: Object.fromEntries(labels.map((l, i) => [l, pct(perShape[i]!, 95)])),
      goalP95Ms: 300,
    }),
  );
} finally {
  await db.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  cluster?.stop();
}
