import type { Db, Queryable } from '../db/db';
import { badRequest } from '../http/errors';

/**
 * Sets a team's first-contact-resolution window (days). Every rolled-up day of the team is recomputed on
 * the next report, since each day's FCR depends on the window. One transaction.
 */
export async function setFcrWindow(db: Db, teamId: string, days: number): Promise<void> {
  await db.transaction((tx) => setFcrWindowIn(tx, teamId, days));
}

/**
 * The same inside the caller's transaction (the floor editor's one save). Returns false for no such team.
 * Saving the window it already has changes nothing, so the rollups stay.
 */
export async function setFcrWindowIn(tx: Queryable, teamId: string, days: number): Promise<boolean> {
  if (!Number.isInteger(days) || days < 1 || days > 90) throw badRequest('The first-contact resolution window is 1 to 90 days.');
  const { rows } = await tx.query<{ kpi_fcr_days: number }>('select kpi_fcr_days from teams where id = $1', [teamId]);
  if (!rows[0]) return false;
  if (rows[0].kpi_fcr_days === days) return true;
  // The rollup lock (0100-contact-events.sql): no day is being materialised with the old window meanwhile.
  await tx.query('select pg_advisory_xact_lock(7601, hashtext($1::text))', [teamId]);
  await tx.query('update teams set kpi_fcr_days = $2 where id = $1', [teamId, days]);
  await tx.query('delete from kpi_rollup_days where team_id = $1', [teamId]);
  return true;
}
