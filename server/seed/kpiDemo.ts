import type { Queryable } from '../db/db';
import type { TeamKey } from './demoData';

/**
 * KPI history for the demo (issue 14): the last 70 days and the same weeks a year before (days 330-400 back) (so 同比 has
 * something to compare), for each demo team's agents and lead, made inside the database with
 * generate_series (one statement per event kind, milliseconds even on PGlite). Deterministic: a hash of
 * (day, agent, slot) stands in for randomness. Working days 09:00-18:00 in the team's zone with a lunch
 * break; Team Berlin's customers answer fewer surveys, so its CSAT shows the "not valid" mark on some
 * periods. Customers here are synthetic ids (the log has no foreign keys); a repeat contact reuses the
 * ticket of the same customer within the week, which is what first-contact resolution counts.
 */
const timeZones: Record<TeamKey, string> = { shanghai: 'Asia/Shanghai', berlin: 'Europe/Berlin' };
const surveyAnswerPercent: Record<TeamKey, number> = { shanghai: 68, berlin: 47 };

export async function seedKpiDemo(tx: Queryable, o: { now: Date; teamIds: Map<TeamKey, string>; staffByTeam: Map<TeamKey, string[]> }): Promise<void> {
  for (const [key, teamId] of o.teamIds) {
    await tx.query('update teams set time_zone = $2 where id = $1', [teamId, timeZones[key]]);
    const agents = o.staffByTeam.get(key) ?? [];
    if (agents.length === 0) continue;
    await tx.query(
      `create temp table kpi_demo on commit drop as
       with days as (
         select d, ((current_date_local - d)) as day
         from (select (($1::timestamptz) at time zone $2)::date as current_date_local) c,
              (select generate_series(0, 69) as d union all select generate_series(330, 400)) g
       ),
       slots as (
         select day, a, agent_id, k,
           hashtext($4 || ':' || day::text || ':' || a || ':' || k)::bigint & 2147483647 as h
         from days, unnest($3::uuid[]) with ordinality as ag(agent_id, a), generate_series(0, 19) k
         where extract(isodow from day) < 6 or k < 4
       )
       select day, agent_id, h,
         ((day + time '09:00' + (k * 26 + h % 20) * interval '1 minute')::timestamp at time zone $2) as at,
         (array['webchat', 'webchat', 'messaging', 'email', 'voice', 'voice'])[1 + h % 6] as channel,
         (h % 55000) + 3000 as wait_ms,
         240000 + (h / 7) % 600000 as talk_ms,
         case when h % 6 >= 4 then 20000 + (h / 11) % 70000 else 0 end as wrap_ms,
         md5('demo-customer:' || $4 || ':' || (h / 13) % 900)::uuid as customer_id,
         md5('demo-ticket:' || $4 || ':' || (h / 13) % 900 || ':' || (day - date '2000-01-03') / 7)::uuid as ticket_id,
         md5('demo-contact:' || $4 || ':' || day || ':' || h)::uuid as contact_id
       from slots
       where k < 15 + h % 6`,
      [o.now, timeZones[key], agents, key],
    );
    // Only contacts wholly in the past (today's are those finished by now).
    await tx.query("delete from kpi_demo where at + (wait_ms + talk_ms + wrap_ms + 90000) * interval '1 ms' > $1", [o.now]);
    const cols = 'at, team_id, agent_id, customer_id, contact_id, ticket_id, channel, kind, data';
    const ids = 'customer_id, contact_id, ticket_id, channel';
    await tx.query(
      `insert into contact_events (${cols})
       select at, $1::uuid, null, ${ids}, 'offered', '{}'::jsonb from kpi_demo
       union all select at + wait_ms * interval '1 ms', $1::uuid, agent_id, ${ids}, 'answered', jsonb_build_object('waitMs', wait_ms) from kpi_demo
       union all select at + (wait_ms + 25000) * interval '1 ms', $1::uuid, agent_id, ${ids}, 'first_response', jsonb_build_object('afterMs', wait_ms + 25000) from kpi_demo where channel <> 'voice'
       union all select at + (wait_ms + talk_ms / 2) * interval '1 ms', $1::uuid, agent_id, ${ids}, 'transferred', jsonb_build_object('toTeamId', $1::text) from kpi_demo where h % 100 < 5
       union all select at + (wait_ms + talk_ms) * interval '1 ms', $1::uuid, agent_id, ${ids}, 'ended', jsonb_build_object('talkMs', talk_ms) from kpi_demo
       union all select at + (wait_ms + talk_ms + wrap_ms) * interval '1 ms', $1::uuid, agent_id, ${ids}, 'wrap_up', jsonb_build_object('wrapUpMs', wrap_ms) from kpi_demo where wrap_ms > 0
       union all select at + (wait_ms + talk_ms) * interval '1 ms', $1::uuid, agent_id, ${ids}, 'survey', '{"answered": false}'::jsonb from kpi_demo where channel = 'webchat'
       union all select at + (wait_ms + talk_ms + 90000) * interval '1 ms', $1::uuid, agent_id, ${ids}, 'survey', jsonb_build_object('answered', true, 'score', case when h % 10 < 6 then 5 when h % 10 < 8 then 4 else 1 + h % 3 end)
         from kpi_demo where channel = 'webchat' and (h / 3) % 100 < $2::int
       union all select at + wait_ms * interval '1 ms', $1::uuid, agent_id, ${ids}, case when wait_ms < 40000 then 'sla_met' else 'sla_missed' end, '{"timer": "first_response"}'::jsonb from kpi_demo`,
      [teamId, surveyAnswerPercent[key]],
    );
    // Presence: available 09:00-12:00 and 13:00-18:00, lunch break between, on the days with contacts.
    await tx.query(
      `insert into presence_log (user_id, team_id, state, reason, started_at, ended_at)
       select agent_id, $1, s.state, s.reason, ((day + s.f)::timestamp at time zone $2), ((day + s.t)::timestamp at time zone $2)
       from (select distinct day, agent_id from kpi_demo) w,
            (values ('available', null, time '09:00', time '12:00'), ('break', 'lunch', time '12:00', time '13:00'), ('available', null, time '13:00', time '18:00')) s(state, reason, f, t)
       where ((day + s.t)::timestamp at time zone $2) <= $3`,
      [teamId, timeZones[key], o.now],
    );
    await tx.query('drop table kpi_demo');
  }
}
