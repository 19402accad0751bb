import type { TodayFigures } from '../../core/wire/board';
import type { Queryable } from '../db/db';
import { loadTeam, todaySums } from '../kpi/report';

/**
 * The wallboard's "today's KPIs" panel: the team's figures since midnight in the team's time zone, read from
 * the contact event log by the KPI report's own `todaySums`, so the wallboard and the KPI page's Day view can
 * never disagree (server/board/board.test.ts holds them side by side). Definitions: core/kpi/figures.ts.
 *
 *   offered     contacts that entered the team's queue today (a transfer back to a queue offers again)
 *   answered    taken by an agent today; answeredWithinTarget: within the team's answer target of the moment
 *   handled     ended today with an agent
 *   abandoned   the customer left today before anyone answered
 */
export async function todayFigures(db: Queryable, teamId: string, at: Date): Promise<TodayFigures | null> {
  const team = await loadTeam(db, teamId, at);
  if (!team) return null;
  const { total } = await todaySums(db, team, at);
  return {
    date: team.today,
    offered: total.offered,
    answered: total.answered,
    answeredWithinTarget: total.answeredWithin,
    handled: total.handled,
    abandoned: total.abandoned,
    averageAnswerSeconds: total.answered === 0 ? null : Math.round(total.waitMs / total.answered / 100) / 10,
  };
}
