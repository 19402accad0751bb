import type { Db } from '../db/db';
import { badRequest } from '../http/errors';

/**
 * Sets a team's first-contact-resolution window (days). Every rolled-up day of the team is recomputed on
 * the next report, since each day's FCR depends on the window. One transaction.
 */
export async function setFcrWindow(db: Db, teamId: string, days: number): Promise<void> {
  if (!Number.isInteger(days) || days < 1 || days > 90) throw badRequest('The first-contact resolution window is 1 to 90 days.');
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7601, hashtext($1::text))', [teamId]);
    await tx.query('update teams set kpi_fcr_days = $2 where id = $1', [teamId, days]);
    await tx.query('delete from kpi_rollup_days where team_id = $1', [teamId]);
  });
}
