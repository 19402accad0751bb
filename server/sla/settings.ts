import { type TeamSlaSettings, toClock, toMinutes } from '../../core/sla/policy';
import type { TeamSlaSettingsView } from '../../core/wire/sla';
import type { Db, Queryable } from '../db/db';
import { badRequest } from '../http/errors';
import { type PolicyRow, loadCalendar, retimeRunning } from './timers';

/** A team's SLA settings as the policy editor shows them. */
export async function loadSettings(q: Queryable, teamId: string): Promise<TeamSlaSettingsView | null> {
  const { rows: teams } = await q.query<{ name: string; time_zone: string }>('select name, time_zone from teams where id = $1', [teamId]);
  const team = teams[0];
  if (!team) return null;
  const { rows: hours } = await q.query<{ weekday: number; start_minute: number; end_minute: number }>(
    'select weekday, start_minute, end_minute from team_business_hours where team_id = $1 order by weekday, start_minute',
    [teamId],
  );
  const { rows: holidays } = await q.query<{ day: string; name: string }>("select to_char(day, 'YYYY-MM-DD') as day, name from team_holidays where team_id = $1 order by day", [teamId]);
  const { rows: policies } = await q.query<PolicyRow & { updated_at: Date }>('select * from sla_policies where team_id = $1 order by channel, priority', [teamId]);
  const updated = policies.map((p) => p.updated_at.getTime());
  return {
    teamId,
    teamName: team.name,
    timeZone: team.time_zone,
    hours: hours.map((h) => ({ weekday: h.weekday, start: toClock(h.start_minute), end: toClock(h.end_minute) })),
    holidays: holidays.map((h) => ({ date: h.day, name: h.name })),
    policies: policies.map((p) => ({
      channel: p.channel,
      priority: p.priority,
      firstResponseSeconds: p.first_response_seconds,
      nextResponseSeconds: p.next_response_seconds,
      resolutionSeconds: p.resolution_seconds,
      warnPercent: p.warn_percent,
      businessHours: p.business_hours,
      escalateAfterSeconds: p.escalate_after_seconds,
      escalationUserId: p.escalation_user_id,
      escalateAgainAfterSeconds: p.escalate_again_after_seconds,
    })),
    updatedAt: updated.length > 0 ? Math.max(...updated) : null,
  };
}

/**
 * Replaces a team's time zone, hours, holidays and policies in one transaction: either all of the new
 * settings hold or none. Timers already running are re-timed to the new policies in the same transaction
 * (timers.ts retimeRunning: the business time they have used is kept). Returns the tickets whose due times moved.
 */
/** `inTx` runs last in the same transaction (the admin audit line of the change, issue 16). */
export async function saveSettings(db: Db, teamId: string, s: TeamSlaSettings, by: string, now: Date, inTx?: (tx: Queryable) => Promise<void>): Promise<string[]> {
  return db.transaction(async (tx) => {
    const before = await loadCalendar(tx, teamId);
    if (s.policies.some((p) => p.escalationUserId)) {
      const ids = [...new Set(s.policies.map((p) => p.escalationUserId).filter((u): u is string => u !== null))];
      const { rows } = await tx.query<{ id: string }>("select id from users where id = any($1::uuid[]) and not disabled and role in ('lead', 'admin')", [ids]);
      const known = new Set(rows.map((r) => r.id));
      const unknown = ids.find((u) => !known.has(u));
      if (unknown) throw badRequest(`Invalid body: escalation contact ${unknown} is not an active lead or admin`);
    }
    await tx.query('update teams set time_zone = $2 where id = $1', [teamId, s.timeZone]);
    await tx.query('delete from team_business_hours where team_id = $1', [teamId]);
    for (const h of s.hours) {
      await tx.query('insert into team_business_hours (team_id, weekday, start_minute, end_minute) values ($1, $2, $3, $4)', [teamId, h.weekday, toMinutes(h.start), toMinutes(h.end)]);
    }
    await tx.query('delete from team_holidays where team_id = $1', [teamId]);
    for (const h of s.holidays) await tx.query('insert into team_holidays (team_id, day, name) values ($1, $2, $3)', [teamId, h.date, h.name]);
    await tx.query('delete from sla_policies where team_id = $1', [teamId]);
    for (const p of s.policies) {
      await tx.query(
        `insert into sla_policies (team_id, channel, priority, first_response_seconds, next_response_seconds, resolution_seconds, warn_percent,
           business_hours, escalate_after_seconds, escalation_user_id, escalate_again_after_seconds, updated_at, updated_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $13, $11, $12)`,
        [teamId, p.channel, p.priority, p.firstResponseSeconds, p.nextResponseSeconds, p.resolutionSeconds, p.warnPercent, p.businessHours, p.escalateAfterSeconds, p.escalationUserId, now, by, p.escalateAgainAfterSeconds ?? null],
      );
    }
    const retimed = await retimeRunning(tx, teamId, before, now);
    await inTx?.(tx);
    return retimed;
  });
}
