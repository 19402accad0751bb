// The inside of bench/kpi.mjs (run with tsx, DATABASE_URL set): generate, then measure. See bench/kpi.mjs.
import { buildServer } from '../../server/app';
import { createSession } from '../../server/auth/sessions';
import { createTokenService } from '../../server/auth/tokens';
import { makeConfig } from '../../server/config';
import { migrate } from '../../server/db/migrate';
import { openPostgres } from '../../server/db/postgres';
import { loadTeam, todaySums } from '../../server/kpi/report';
import { defaultMaterialise, materialiseAhead } from '../../server/kpi/materialise';
import { boundsOf, liveCountersSql } from '../../server/kpi/rollup';
import { addDays } from '../../core/kpi/periods';

const contacts = Number(process.argv[2] ?? 5_000_000);
const runs = Number(process.argv[3] ?? 60);
const teams = 20;
const agentsPerTeam = 25;
const days = 90;
const secret = 'bench-kpi-secret-that-is-long-enough-0123456789';

const db = await openPostgres(process.env.DATABASE_URL!);
await migrate(db);
/** Valid version-4 UUIDs (the wire schemas check the version) numbered by `expr`, one prefix per kind. */
const hexId = (prefix: string, expr: string) => `('${prefix.repeat(8)}-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;
const log = (line: string) => console.log(`[bench:kpi] ${line}`);
const since = performance.now();
const timed = async (what: string, sql: string) => {
  const t0 = performance.now();
  await db.query(sql);
  log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
};

// Teams (half Shanghai, half Berlin), agents, one lead of team 0.
await db.query(`insert into teams (id, name, time_zone)
  select ${hexId('d', 'i')}, 'Team ' || i, case when i % 2 = 0 then 'Asia/Shanghai' else 'Europe/Berlin' end from generate_series(0, ${teams - 1}) i`);
await db.query(`insert into users (id, username, display_name, role, password_hash)
  select ${hexId('e', 'i')}, 'agent' || i, 'Agent ' || i, 'agent', 'x' from generate_series(0, ${teams * agentsPerTeam - 1}) i`);
await db.query(`insert into team_members (team_id, user_id) select ${hexId('d', `i / ${agentsPerTeam}`)}, ${hexId('e', 'i')} from generate_series(0, ${teams * agentsPerTeam - 1}) i`);
const leadId = '10000000-0000-4000-8000-000000000001';
await db.query(`insert into users (id, username, display_name, role, password_hash) values ($1, 'lead', 'Lead', 'lead', 'x')`, [leadId]);
await db.query(`insert into team_members (team_id, user_id) values (${hexId('d', '0')}, $1)`, [leadId]);

// Contacts: spread evenly over the 90 days up to now, team n % 20, each team's 25 agents in turn, the four
// channels, pseudo-random waits and talk times; every tenth contact is a repeat on the ticket of the
// contact 20 before it (same team, minutes earlier), so first-contact resolution has repeats to find.
const span = days * 86_400_000;
await timed(
  'contacts table',
  `create unlogged table bench_contacts as
   select n, ${hexId('c', 'n')} as contact_id, ${hexId('d', `n % ${teams}`)} as team_id,
     ${hexId('e', `(n % ${teams}) * ${agentsPerTeam} + (n / ${teams}) % ${agentsPerTeam}`)} as agent_id,
     now() - interval '${days} days' + (n::bigint * ${span} / ${contacts}) * interval '1 ms' as at,
     (array['webchat', 'messaging', 'email', 'voice'])[1 + (n / 7) % 4] as channel,
     (n::bigint * 7919) % 60000 as wait_ms,
     60000 + (n::bigint * 104729) % 540000 as talk_ms,
     case when (n / 7) % 4 = 3 then 15000 + (n::bigint * 31) % 60000 else 0 end as wrap_ms,
     case when n % 10 = 0 and n > 20 then n - 20 else n end as k
   from generate_series(1, ${contacts}) n`,
);
// Bulk load: no invalidation trigger (nothing is rolled up yet) and the indexes built once afterwards.
await db.query('alter table contact_events disable trigger contact_events_invalidate');
await db.query('drop index contact_events_team_at, contact_events_ticket_offered, contact_events_contact');
const cols = `at, team_id, agent_id, customer_id, contact_id, ticket_id, channel, kind, data`;
const base = `${hexId('a', 'k')}, contact_id, ${hexId('b', 'k')}, channel`;
await timed('offered', `insert into contact_events (${cols}) select at, team_id, null, ${base}, 'offered', '{}' from bench_contacts`);
await timed(
  'answered',
  `insert into contact_events (${cols}) select at + wait_ms * interval '1 ms', team_id, agent_id, ${base}, 'answered', jsonb_build_object('waitMs', wait_ms) from bench_contacts`,
);
await timed(
  'first_response',
  `insert into contact_events (${cols}) select at + (wait_ms + 20000) * interval '1 ms', team_id, agent_id, ${base}, 'first_response', jsonb_build_object('afterMs', wait_ms + 20000) from bench_contacts where channel <> 'voice'`,
);
await timed(
  'ended',
  `insert into contact_events (${cols}) select at + (wait_ms + talk_ms) * interval '1 ms', team_id, agent_id, ${base}, 'ended', jsonb_build_object('talkMs', talk_ms) from bench_contacts`,
);
await timed(
  'wrap_up',
  `insert into contact_events (${cols}) select at + (wait_ms + talk_ms + wrap_ms) * interval '1 ms', team_id, agent_id, ${base}, 'wrap_up', jsonb_build_object('wrapUpMs', wrap_ms) from bench_contacts where wrap_ms > 0`,
);
await timed(
  'surveys',
  `insert into contact_events (${cols})
   select at + (wait_ms + talk_ms) * interval '1 ms', team_id, agent_id, ${base}, 'survey', '{"answered": false}'::jsonb from bench_contacts where channel = 'webchat'
   union all
   select at + (wait_ms + talk_ms + 60000) * interval '1 ms', team_id, agent_id, ${base}, 'survey', jsonb_build_object('answered', true, 'score', 1 + n % 5) from bench_contacts where channel = 'webchat' and n % 10 < 6`,
);
await timed(
  'sla',
  `insert into contact_events (${cols}) select at + wait_ms * interval '1 ms', team_id, agent_id, ${base}, case when wait_ms < 45000 then 'sla_met' else 'sla_missed' end, '{"timer": "first_response"}' from bench_contacts`,
);
await timed(
  'indexes',
  `create index contact_events_team_at on contact_events (team_id, at);
   create index contact_events_ticket_offered on contact_events (ticket_id, at) where kind = 'offered';
   create index contact_events_contact on contact_events (contact_id, kind);`,
);
await db.query('alter table contact_events enable trigger contact_events_invalidate');
// Presence: each agent, each day, available 4 h, lunch break 1 h, available 4.5 h (in UTC hours; the time
// zone does not matter for the load).
await timed(
  'presence',
  `insert into presence_log (user_id, team_id, state, reason, started_at, ended_at)
   select ${hexId('e', 'a')}, ${hexId('d', `a / ${agentsPerTeam}`)}, s.state, s.reason, d + s.f * interval '1 hour', d + s.t * interval '1 hour'
   from generate_series(0, ${teams * agentsPerTeam - 1}) a,
        generate_series(date_trunc('day', now()) - interval '${days} days', date_trunc('day', now()) - interval '1 day', interval '1 day') d,
        (values ('available', null, 1.0, 5.0), ('break', 'lunch', 5.0, 6.0), ('available', null, 6.0, 10.5)) s(state, reason, f, t)`,
);
await timed('analyze', 'analyze');
const { rows: counts } = await db.query<{ n: string }>('select count(*)::text as n from contact_events');
const events = Number(counts[0]!.n);
log(`${contacts} contacts, ${events} events generated in ${((performance.now() - since) / 1000).toFixed(0)} s`);

const tokens = createTokenService(secret, 3600);
const { sessionId } = await createSession(db, leadId, 3600);
const token = await tokens.signAccess({ sub: leadId, role: 'lead', sid: sessionId });
// The background rollup job runs once below, timed, instead of on its own timer.
const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db, sync: { pruneEveryMs: 0 }, kpi: { materialiseEveryMs: 0 } });
const teamId = 'dddddddd-0000-4000-8000-000000000000';
const team = (await loadTeam(db, teamId, new Date()))!;
const lastMonth = addDays(`${team.today.slice(0, 7)}-01`, -1);

async function report(anchor: string): Promise<number> {
  const t0 = performance.now();
  const res = await app.inject({ method: 'GET', url: `/kpi/report?teamId=${teamId}&period=month&anchor=${anchor}`, headers: { authorization: `Bearer ${token}` } });
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`report ${res.statusCode}: ${res.body}`);
  return ms;
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const r = (v: number) => Math.round(v * 10) / 10;
  return { min: r(s[0]!), median: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1]!) };
};

// What the server's background job (server/kpi/materialise.ts) does after a start or a midnight: every
// team's ended days materialised ahead, so the first report below reads rollups.
const aheadT0 = performance.now();
const aheadDays = await materialiseAhead(db, { ...defaultMaterialise, now: () => Date.now() });
const aheadMs = performance.now() - aheadT0;
log(`background job: ${aheadDays} team-days materialised ahead in ${(aheadMs / 1000).toFixed(1)} s`);
const coldMs = await report(lastMonth);
log(`first 30-day report after the job: ${coldMs.toFixed(0)} ms`);
const coldCurrentMs = await report(team.today);
const closed: number[] = [];
const current: number[] = [];
const board: number[] = [];
for (let i = 0; i < runs; i++) {
  closed.push(await report(lastMonth));
  current.push(await report(team.today));
  const t0 = performance.now();
  await todaySums(db, team, new Date());
  board.push(performance.now() - t0);
}
const result = {
  bench: 'kpi',
  contacts,
  events,
  agents: teams * agentsPerTeam,
  teams,
  days,
  runs,
  materialiseAhead: { teamDays: aheadDays, ms: Math.round(aheadMs) },
  firstReportMs: Math.round(coldMs),
  coldCurrentMonthMs: Math.round(coldCurrentMs),
  report30DaysMs: stats(closed),
  reportCurrentMonthMs: stats(current),
  wallboardTodayMs: stats(board),
  goals: { report30DaysP95Under200ms: stats(closed).p95 < 200, wallboardP95Under50ms: stats(board).p95 < 50 },
};
log(`30-day report p95 ${result.report30DaysMs.p95} ms; current month p95 ${result.reportCurrentMonthMs.p95} ms; wallboard today p95 ${result.wallboardTodayMs.p95} ms`);
if (!result.goals.wallboardP95Under50ms || process.env.BENCH_KPI_EXPLAIN) {
  // What the live (today) counters cost, to see where the time goes.
  const [t0, t1] = await boundsOf(db, teamId, [team.today]);
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${liveCountersSql}`, [teamId, [team.today], t0, t1]);
  log(`today's counters plan:\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
}
await app.close();
await db.close();
console.log(JSON.stringify(result));
