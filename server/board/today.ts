import type { TodayFigures } from '../../core/wire/board';
import type { Queryable } from '../db/db';
import { loadFloor } from '../presence/settings';

/**
 * THE SEAM for the wallboard's "today's KPIs" panel: the team's figures since midnight in the team's time
 * zone. Computed here from the chat tables (conversations.answered_at / abandoned_at / closed_at); at merge
 * the kpi module (the contact event log and its rollups) backs this same function, and the wallboard does
 * not change.
 *
 *   offered   conversations that arrived today
 *   answered  first answered by an agent today; answeredWithinTarget: within the team's answer target
 *   handled   answered, and ended today
 *   abandoned the customer left today before anyone answered
 */
export async function todayFigures(db: Queryable, teamId: string, at: Date): Promise<TodayFigures> {
  const floor = await loadFloor(db, teamId);
  const { rows } = await db.query<{
    day: string; offered: number; answered: number; within: number; handled: number; abandoned: number; asa: number | null;
  }>(
    `with bounds as (
       select (date_trunc('day', $2::timestamptz at time zone $3) at time zone $3) as start,
              to_char($2::timestamptz at time zone $3, 'YYYY-MM-DD') as day)
     select b.day,
       (select count(*)::int from conversations c where c.team_id = $1 and c.created_at >= b.start and c.created_at <= $2) as offered,
       (select count(*)::int from conversations c where c.team_id = $1 and c.answered_at >= b.start and c.answered_at <= $2) as answered,
       (select count(*)::int from conversations c where c.team_id = $1 and c.answered_at >= b.start and c.answered_at <= $2
          and c.answered_at - c.created_at <= make_interval(secs => $4)) as within,
       (select count(*)::int from conversations c where c.team_id = $1 and c.state = 'closed' and c.answered_at is not null
          and c.closed_at >= b.start and c.closed_at <= $2) as handled,
       (select count(*)::int from conversations c where c.team_id = $1 and c.abandoned_at >= b.start and c.abandoned_at <= $2) as abandoned,
       (select avg(extract(epoch from c.answered_at - c.created_at))::float8 from conversations c
          where c.team_id = $1 and c.answered_at >= b.start and c.answered_at <= $2) as asa
     from bounds b`,
    [teamId, at, floor.timeZone, floor.answerTargetSeconds],
  );
  const r = rows[0]!;
  return {
    date: r.day,
    offered: r.offered,
    answered: r.answered,
    answeredWithinTarget: r.within,
    handled: r.handled,
    abandoned: r.abandoned,
    averageAnswerSeconds: r.asa === null ? null : Math.round(r.asa * 10) / 10,
  };
}
