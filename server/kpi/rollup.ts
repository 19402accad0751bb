import { addDays } from '../../core/kpi/periods';
import { defaultFloor } from '../presence/settings';
import type { Queryable, Db } from '../db/db';

/**
 * The KPI counters of team-local days, in SQL from the event log (contact_events) and the presence history
 * (presence_log), and their rollups (kpi_agent_day, kpi_staffed_day, marked done in kpi_rollup_days; see
 * 0100-contact-events.sql for how a late event invalidates a day). Days are calendar days of the team's
 * time zone: `day::timestamp at time zone tz` is local midnight as an instant, so a daylight-saving day of
 * 23 or 25 hours is bucketed whole.
 */

const defaultAnswerTargetSeconds = defaultFloor.answerTargetSeconds;

/** Events without an agent (offered, still queued) roll up under this id. */
export const noAgent = '00000000-0000-0000-0000-000000000000';

export const counterColumns = [
  'offered',
  'answered',
  'answered_within',
  'abandoned',
  'wait_ms',
  'handled',
  'talk_ms',
  'wrap_ms',
  'fcr_eligible',
  'fcr_resolved',
  'transfers',
  'surveys_asked',
  'surveys_answered',
  'csat_sum',
  'csat_satisfied',
  'sla_met',
  'sla_missed',
] as const;
export type CounterColumn = (typeof counterColumns)[number];

/**
 * $1 team, $2 date[] of local days, $3 / $4 the instants the first day starts and the day after the last
 * begins (boundsOf). The bounds come as values, not from a join, so the planner sees the time range and
 * takes the (team_id, at) index for it (a join-derived range made it scan the whole team: seconds at 27
 * million events). One row per (day, agent, channel).
 */
const eventCountersSql = `
with t as (
  select time_zone as tz, kpi_fcr_days as fcr,
    -- Answers recorded before events carried their target (0130) count against the team's current one.
    coalesce((select answer_target_seconds from team_floor_settings where team_id = $1), ${defaultAnswerTargetSeconds}) * 1000 as target_ms
  from teams where id = $1),
ev as materialized (
  -- Materialized: \`resolved\` is read twice below and its lookup must run once per contact.
  select (e.at at time zone t.tz)::date as day, coalesce(e.agent_id, '${noAgent}'::uuid) as agent_id, e.channel, e.kind, e.data, t.target_ms,
    case when e.kind = 'ended' and e.agent_id is not null and e.ticket_id is not null then
      not exists (
        select 1 from contact_events n
        where n.ticket_id = e.ticket_id and n.kind = 'offered' and n.at > e.at and n.at <= e.at + make_interval(days => t.fcr)
          and n.contact_id <> e.contact_id and n.customer_id is not distinct from e.customer_id)
    end as resolved
  from contact_events e, t
  where e.team_id = $1 and e.at >= $3::timestamptz and e.at < $4::timestamptz
)
select day, agent_id, channel,
  count(*) filter (where kind = 'offered')::int as offered,
  count(*) filter (where kind = 'answered')::int as answered,
  count(*) filter (where kind = 'answered' and (data->>'waitMs')::bigint <= coalesce((data->>'targetMs')::bigint, target_ms))::int as answered_within,
  count(*) filter (where kind = 'abandoned')::int as abandoned,
  coalesce(sum((data->>'waitMs')::bigint) filter (where kind = 'answered'), 0)::bigint as wait_ms,
  count(*) filter (where kind = 'ended' and agent_id <> '${noAgent}')::int as handled,
  coalesce(sum((data->>'talkMs')::bigint) filter (where kind = 'ended' and agent_id <> '${noAgent}'), 0)::bigint as talk_ms,
  coalesce(sum((data->>'wrapUpMs')::bigint) filter (where kind = 'wrap_up'), 0)::bigint as wrap_ms,
  count(*) filter (where resolved is not null)::int as fcr_eligible,
  count(*) filter (where resolved)::int as fcr_resolved,
  count(*) filter (where kind = 'transferred')::int as transfers,
  count(*) filter (where kind = 'survey' and data->>'answered' = 'false')::int as surveys_asked,
  count(*) filter (where kind = 'survey' and data->>'answered' = 'true')::int as surveys_answered,
  coalesce(sum((data->>'score')::int) filter (where kind = 'survey' and data->>'answered' = 'true'), 0)::int as csat_sum,
  count(*) filter (where kind = 'survey' and data->>'answered' = 'true' and (data->>'score')::int >= 4)::int as csat_satisfied,
  count(*) filter (where kind = 'sla_met')::int as sla_met,
  count(*) filter (where kind = 'sla_missed')::int as sla_missed
from ev
where day = any($2::date[])
group by day, agent_id, channel`;

/**
 * $1 team, $2 date[] of local days, $3 now (the end of a stretch still open). Staffed = presence
 * available, busy or after-call (core/kpi/contactEvents.ts staffedPresences), clipped to each local day.
 */
const staffedSql = `
with t as (select time_zone as tz from teams where id = $1),
d as (select day, (day::timestamp at time zone t.tz) as t0, ((day + 1)::timestamp at time zone t.tz) as t1 from unnest($2::date[]) day, t)
select d.day, p.user_id as agent_id,
  sum(extract(epoch from (least(coalesce(p.ended_at, $3::timestamptz), d.t1) - greatest(p.started_at, d.t0))) * 1000)::bigint as staffed_ms
from d join presence_log p
  on p.team_id = $1 and p.state in ('available', 'busy', 'after-call')
 and p.started_at < d.t1 and coalesce(p.ended_at, $3::timestamptz) > d.t0
group by d.day, p.user_id`;

/** The counters query as liveCounters runs it ($1 team, $2 days, $3 / $4 bounds), for EXPLAIN in bench/kpi. */
export const liveCountersSql = `select day::text as day, agent_id, channel, ${counterColumns.join(', ')} from (${eventCountersSql}) x`;

export type CounterRow = { day: string; agent_id: string; channel: string } & Record<CounterColumn, number | string>;
export type StaffedRow = { day: string; agent_id: string; staffed_ms: number | string };

/** The instants a team's local days span: the first day's midnight and the midnight after the last. */
export async function boundsOf(q: Queryable, teamId: string, days: readonly string[]): Promise<[Date, Date]> {
  const { rows } = await q.query<{ t0: Date; t1: Date }>(
    `select (min(d)::timestamp at time zone t.time_zone) as t0, ((max(d) + 1)::timestamp at time zone t.time_zone) as t1
     from unnest($2::date[]) d, teams t where t.id = $1 group by t.time_zone`,
    [teamId, days],
  );
  return [rows[0]!.t0, rows[0]!.t1];
}

/** Counters of days computed now from the log (today, or days not yet materialised). */
export async function liveCounters(q: Queryable, teamId: string, days: readonly string[], bounds?: readonly [Date, Date]): Promise<CounterRow[]> {
  if (days.length === 0) return [];
  const [t0, t1] = bounds ?? (await boundsOf(q, teamId, days));
  return (await q.query<CounterRow>(liveCountersSql, [teamId, days, t0, t1])).rows;
}

export async function liveStaffed(q: Queryable, teamId: string, days: readonly string[], now: Date): Promise<StaffedRow[]> {
  if (days.length === 0) return [];
  return (await q.query<StaffedRow>(`select day::text as day, agent_id, staffed_ms from (${staffedSql}) x`, [teamId, days, now])).rows;
}

/** Sorted days split into runs of consecutive days. */
export function runsOf(days: readonly string[]): string[][] {
  const runs: string[][] = [];
  for (const day of [...days].sort()) {
    const last = runs.at(-1);
    if (last && addDays(last.at(-1)!, 1) === day) last.push(day);
    else runs.push([day]);
  }
  return runs;
}

/** The lock the invalidation triggers take too (0100-contact-events.sql). */
const lockTeam = (tx: Queryable, teamId: string) => tx.query('select pg_advisory_xact_lock(7601, hashtext($1::text))', [teamId]);

/**
 * Materialises the given ended days of a team that are not materialised yet (or were invalidated), in one
 * transaction. Returns how many days it computed.
 */
export async function ensureRollups(db: Db, teamId: string, closedDays: readonly string[], now: Date, opts: { skipLocked?: boolean } = {}): Promise<number> {
  if (closedDays.length === 0) return 0;
  const missing = await db.query<{ day: string }>(
    `select d::text as day from unnest($2::date[]) d where not exists (select 1 from kpi_rollup_days r where r.team_id = $1 and r.day = d)`,
    [teamId, closedDays],
  );
  if (missing.rows.length === 0) return 0;
  return db.transaction(async (tx) => {
    if (opts.skipLocked) {
      // The background job (materialise.ts) does not wait: a team another instance (or a report) is
      // materialising right now is skipped, as `for update skip locked` skips a locked row.
      const { rows: got } = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock(7601, hashtext($1::text)) as ok', [teamId]);
      if (!got[0]?.ok) return 0;
    } else await lockTeam(tx, teamId);
    // Under the lock: another report may have done some of them meanwhile.
    const { rows } = await tx.query<{ day: string }>(
      `select d::text as day from unnest($2::date[]) d where not exists (select 1 from kpi_rollup_days r where r.team_id = $1 and r.day = d)`,
      [teamId, missing.rows.map((r) => r.day)],
    );
    const days = rows.map((r) => r.day);
    if (days.length === 0) return 0;
    await tx.query('delete from kpi_agent_day where team_id = $1 and day = any($2::date[])', [teamId, days]);
    await tx.query('delete from kpi_staffed_day where team_id = $1 and day = any($2::date[])', [teamId, days]);
    // One statement per run of consecutive days: a month and the same month a year before are two short
    // scans, not one over the year between.
    for (const run of runsOf(days)) {
      const [t0, t1] = await boundsOf(tx, teamId, run);
      await tx.query(
        `insert into kpi_agent_day (team_id, day, agent_id, channel, ${counterColumns.join(', ')})
         select $1, day, agent_id, channel, ${counterColumns.join(', ')} from (${eventCountersSql}) x`,
        [teamId, run, t0, t1],
      );
    }
    await tx.query(`insert into kpi_staffed_day (team_id, day, agent_id, staffed_ms) select $1, day, agent_id, staffed_ms from (${staffedSql}) x`, [teamId, days, now]);
    await tx.query('insert into kpi_rollup_days (team_id, day, computed_at) select $1, d, $3 from unnest($2::date[]) d', [teamId, days, now]);
    return days.length;
  });
}

/** Rolled-up counters of materialised days, summed over agents unless one is named: one row per (day, channel). */
export async function rolledCounters(q: Queryable, teamId: string, days: readonly string[], agentId: string | null): Promise<CounterRow[]> {
  if (days.length === 0) return [];
  const sums = counterColumns.map((c) => `sum(${c})::bigint as ${c}`).join(', ');
  const { rows } = await q.query<CounterRow>(
    `select day::text as day, ${agentId ? 'agent_id' : `'${noAgent}'::uuid as agent_id`}, channel, ${sums}
     from kpi_agent_day where team_id = $1 and day = any($2::date[]) ${agentId ? 'and agent_id = $3' : ''}
     group by day, channel${agentId ? ', agent_id' : ''}`,
    agentId ? [teamId, days, agentId] : [teamId, days],
  );
  return rows;
}

/** Rolled-up counters of materialised days per agent (the team report's agent table). */
export async function rolledByAgent(q: Queryable, teamId: string, days: readonly string[]): Promise<CounterRow[]> {
  if (days.length === 0) return [];
  const sums = counterColumns.map((c) => `sum(${c})::bigint as ${c}`).join(', ');
  const { rows } = await q.query<CounterRow>(
    `select '' as day, agent_id, '' as channel, ${sums} from kpi_agent_day where team_id = $1 and day = any($2::date[]) and agent_id <> '${noAgent}' group by agent_id`,
    [teamId, days],
  );
  return rows;
}

export async function rolledStaffed(q: Queryable, teamId: string, days: readonly string[], agentId: string | null, perAgent = false): Promise<StaffedRow[]> {
  if (days.length === 0) return [];
  const { rows } = await q.query<StaffedRow>(
    perAgent
      ? `select '' as day, agent_id, sum(staffed_ms)::bigint as staffed_ms from kpi_staffed_day where team_id = $1 and day = any($2::date[]) group by agent_id`
      : `select day::text as day, '${noAgent}' as agent_id, sum(staffed_ms)::bigint as staffed_ms from kpi_staffed_day
         where team_id = $1 and day = any($2::date[]) ${agentId ? 'and agent_id = $3' : ''} group by day`,
    agentId && !perAgent ? [teamId, days, agentId] : [teamId, days],
  );
  return rows;
}
