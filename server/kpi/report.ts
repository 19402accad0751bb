import { type ContactChannel, ContactChannel as ChannelSchema } from '../../core/kpi/contactEvents';
import { type KpiSums, addSums, emptySums } from '../../core/kpi/figures';
import { type DayRange, type KpiPeriod, comparableRange, daysOf, periodRange, previousRange, trendRange, yearBeforeRange } from '../../core/kpi/periods';
import type { KpiBlock, KpiReport } from '../../core/kpi/wire';
import type { Db, Queryable } from '../db/db';
import { type CounterColumn, type CounterRow, type StaffedRow, ensureRollups, liveCounters, liveStaffed, noAgent, rolledByAgent, rolledCounters, rolledStaffed } from './rollup';

const columnOf: Record<CounterColumn, keyof KpiSums> = {
  offered: 'offered',
  answered: 'answered',
  answered_within: 'answeredWithin',
  abandoned: 'abandoned',
  wait_ms: 'waitMs',
  handled: 'handled',
  talk_ms: 'talkMs',
  wrap_ms: 'wrapMs',
  fcr_eligible: 'fcrEligible',
  fcr_resolved: 'fcrResolved',
  transfers: 'transfers',
  surveys_asked: 'surveysAsked',
  surveys_answered: 'surveysAnswered',
  csat_sum: 'csatSum',
  csat_satisfied: 'csatSatisfied',
  sla_met: 'slaMet',
  sla_missed: 'slaMissed',
};

export function sumsOfRow(row: CounterRow): KpiSums {
  const s = emptySums();
  for (const [col, key] of Object.entries(columnOf) as [CounterColumn, keyof KpiSums][]) s[key] = Number(row[col]);
  return s;
}

/** A team as reports need it; `todayBounds` are the instants its current local day starts and ends. */
export type TeamInfo = { id: string; name: string; timeZone: string; fcrWindowDays: number; today: string; todayBounds: readonly [Date, Date] };

export async function loadTeam(db: Queryable, teamId: string, now: Date): Promise<TeamInfo | null> {
  const { rows } = await db.query<{ id: string; name: string; time_zone: string; kpi_fcr_days: number; today: string; t0: Date; t1: Date }>(
    `select id, name, time_zone, kpi_fcr_days, d::text as today, (d::timestamp at time zone time_zone) as t0, ((d + 1)::timestamp at time zone time_zone) as t1
     from (select *, (($2::timestamptz) at time zone time_zone)::date as d from teams where id = $1) t`,
    [teamId, now],
  );
  const r = rows[0];
  return r ? { id: r.id, name: r.name, timeZone: r.time_zone, fcrWindowDays: r.kpi_fcr_days, today: r.today, todayBounds: [r.t0, r.t1] } : null;
}

/** Per day: per channel sums, and staffed time (not per channel). */
type DayData = Map<string, { channels: Map<ContactChannel, KpiSums>; staffedMs: number }>;

function dayEntry(data: DayData, day: string) {
  let e = data.get(day);
  if (!e) {
    e = { channels: new Map(), staffedMs: 0 };
    data.set(day, e);
  }
  return e;
}

function addCounters(data: DayData, rows: readonly CounterRow[]) {
  for (const row of rows) {
    const parsed = ChannelSchema.safeParse(row.channel);
    if (!parsed.success) continue;
    const e = dayEntry(data, row.day);
    e.channels.set(parsed.data, addSums(e.channels.get(parsed.data) ?? emptySums(), sumsOfRow(row)));
  }
}

function addStaffed(data: DayData, rows: readonly StaffedRow[]) {
  for (const row of rows) dayEntry(data, row.day).staffedMs += Number(row.staffed_ms);
}

function blockOf(data: DayData, range: DayRange): KpiBlock {
  let total = emptySums();
  const byChannel: Partial<Record<ContactChannel, KpiSums>> = {};
  for (const day of daysOf(range)) {
    const e = data.get(day);
    if (!e) continue;
    for (const [channel, sums] of e.channels) {
      byChannel[channel] = addSums(byChannel[channel] ?? emptySums(), sums);
      total = addSums(total, sums);
    }
    total.staffedMs += e.staffedMs;
  }
  return { total, byChannel };
}

export type ReportRequest = { team: TeamInfo; agentId: string | null; period: KpiPeriod; anchor: string; now: Date };

/**
 * A team's (or one agent's in it) KPI sums for a period, the period before (环比), the same period a year
 * before (同比), the daily trend, and (team view) each agent's. Ended days come from the rollups
 * (materialised here if missing); the team's current day is computed from the log.
 */
export async function buildReport(db: Db, req: ReportRequest): Promise<KpiReport> {
  const { team, agentId, period, anchor, now } = req;
  const current = periodRange(period, anchor);
  const ranges = {
    current,
    previous: comparableRange(current, previousRange(period, anchor), team.today),
    yearBefore: comparableRange(current, yearBeforeRange(period, anchor), team.today),
  };
  // The trend stops at today: days still to come are not zeros.
  const trendAll = trendRange(period, anchor);
  const trend = { from: trendAll.from, to: trendAll.to < team.today ? trendAll.to : team.today };
  const wanted = [...new Set([...daysOf(ranges.current), ...daysOf(ranges.previous), ...daysOf(ranges.yearBefore), ...daysOf(trend)])].filter((d) => d <= team.today).sort();
  const closed = wanted.filter((d) => d < team.today);
  const open = wanted.filter((d) => d === team.today);
  await ensureRollups(db, team.id, closed, now);

  // Every read at once (the pool has several connections): the period sums, and the team view's per agent.
  const currentDays = daysOf(ranges.current).filter((d) => d <= team.today);
  const currentClosed = currentDays.filter((d) => d < team.today);
  const currentOpen = new Set(currentDays.filter((d) => d === team.today));
  const perAgent = agentId
    ? null
    : Promise.all([
        rolledByAgent(db, team.id, currentClosed),
        rolledStaffed(db, team.id, currentClosed, null, true),
        db.query<{ id: string; display_name: string }>(
          `select u.id, u.display_name from users u join team_members m on m.user_id = u.id and m.team_id = $1 where u.role in ('agent', 'lead') order by u.display_name`,
          [team.id],
        ),
      ]);
  // Awaited below; if the period reads fail first, its own failure must not go unhandled.
  perAgent?.catch(() => undefined);
  const [rolled, staffed, live, liveStaff] = await Promise.all([
    rolledCounters(db, team.id, closed, agentId),
    rolledStaffed(db, team.id, closed, agentId),
    liveCounters(db, team.id, open, team.todayBounds),
    liveStaffed(db, team.id, open, now),
  ]);
  const data: DayData = new Map();
  addCounters(data, rolled);
  addCounters(data, agentId ? live.filter((r) => r.agent_id === agentId) : live);
  addStaffed(data, staffed);
  addStaffed(data, agentId ? liveStaff.filter((r) => r.agent_id === agentId) : liveStaff);

  let agents: KpiReport['agents'] = [];
  let agent: KpiReport['agent'] = null;
  if (agentId) {
    const { rows } = await db.query<{ id: string; display_name: string }>('select id, display_name from users where id = $1', [agentId]);
    agent = { id: agentId, displayName: rows[0]?.display_name ?? '' };
  } else {
    const [byAgent, staffByAgent, members] = await perAgent!;
    const per = new Map<string, KpiSums>();
    const bump = (id: string, s: KpiSums) => per.set(id, addSums(per.get(id) ?? emptySums(), s));
    for (const r of byAgent) bump(r.agent_id, sumsOfRow(r));
    for (const r of live) if (currentOpen.has(r.day) && r.agent_id !== noAgent) bump(r.agent_id, sumsOfRow(r));
    for (const r of [...staffByAgent, ...liveStaff.filter((x) => currentOpen.has(x.day))]) {
      const s = emptySums();
      s.staffedMs = Number(r.staffed_ms);
      bump(r.agent_id, s);
    }
    const names = new Map(members.rows.map((m) => [m.id, m.display_name]));
    const unknown = [...per.keys()].filter((id) => !names.has(id));
    if (unknown.length) {
      const { rows } = await db.query<{ id: string; display_name: string }>('select id, display_name from users where id = any($1::uuid[])', [unknown]);
      for (const r of rows) names.set(r.id, r.display_name);
    }
    agents = [...names.entries()]
      .map(([id, displayName]) => ({ id, displayName, total: per.get(id) ?? emptySums() }))
      .sort((a, b) => b.total.handled - a.total.handled || a.displayName.localeCompare(b.displayName));
  }

  return {
    team: { id: team.id, name: team.name, timeZone: team.timeZone, fcrWindowDays: team.fcrWindowDays },
    agent,
    period,
    ranges,
    current: blockOf(data, ranges.current),
    previous: blockOf(data, ranges.previous),
    yearBefore: blockOf(data, ranges.yearBefore),
    trend: (trend.from <= trend.to ? daysOf(trend) : []).map((day) => ({ day, total: blockOf(data, { from: day, to: day }).total })),
    agents,
    generatedAt: now.getTime(),
  };
}

/**
 * Today's figures of a team from the log alone (no rollup): what the wallboard shows. One query for the
 * counters and one for staffed time, over the team's current local day.
 */
export async function todaySums(db: Queryable, team: TeamInfo, now: Date): Promise<KpiBlock> {
  const [live, staffed] = await Promise.all([liveCounters(db, team.id, [team.today], team.todayBounds), liveStaffed(db, team.id, [team.today], now)]);
  const data: DayData = new Map();
  addCounters(data, live);
  addStaffed(data, staffed);
  return blockOf(data, { from: team.today, to: team.today });
}
