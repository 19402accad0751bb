import type { Actor } from '../../core/tickets/scope';
import type { Alarm, AlarmLevel } from '../../core/wire/sla';
import type { Queryable } from '../db/db';

/**
 * Who an alarm is for, and how alarms are read. Warnings and breaches go to the ticket's assignee (when it
 * was raised) and the leads of the ticket's team, nobody else: another team's lead gets nothing. An
 * escalation goes to the policy's escalation contact, or to the admins when there is none, and shows in the
 * team's leads' list (they are the level it escalated from). An escalation to a contact that nobody
 * acknowledged either goes on to the admins (`escalation_admins`, when the policy sets a second delay).
 * Admins see every alarm in the list.
 */
export type AlarmRow = {
  id: string;
  level: AlarmLevel;
  timer_kind: Alarm['timerKind'];
  ticket_id: string;
  ticket_number: number | null;
  subject: string;
  team_id: string;
  team_name: string;
  time_zone: string;
  assignee_id: string | null;
  assignee_name: string | null;
  escalated_to: string | null;
  raised_at: Date;
  due_at: Date | null;
  target_seconds: number;
  warn_percent: number;
  acknowledged_at: Date | null;
  acknowledged_by_name: string | null;
};

const select = `select a.id, a.level, t.kind as timer_kind, a.ticket_id, tk.number as ticket_number, tk.subject, a.team_id, tm.name as team_name,
    tm.time_zone, a.assignee_id, u.display_name as assignee_name, a.escalated_to, a.raised_at, t.due_at, t.target_seconds, t.warn_percent,
    a.acknowledged_at, ab.display_name as acknowledged_by_name
  from sla_alarms a join sla_timers t on t.id = a.timer_id join tickets tk on tk.id = a.ticket_id join teams tm on tm.id = a.team_id
  left join users u on u.id = a.assignee_id left join users ab on ab.id = a.acknowledged_by`;

export function toAlarm(r: AlarmRow): Alarm {
  return {
    id: r.id,
    level: r.level,
    timerKind: r.timer_kind,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    subject: r.subject,
    teamId: r.team_id,
    teamName: r.team_name,
    teamTimeZone: r.time_zone,
    assigneeName: r.assignee_name,
    raisedAt: r.raised_at.getTime(),
    dueAt: r.due_at ? r.due_at.getTime() : null,
    targetSeconds: r.target_seconds,
    warnPercent: r.warn_percent,
    acknowledgedAt: r.acknowledged_at ? r.acknowledged_at.getTime() : null,
    acknowledgedByName: r.acknowledged_by_name,
  };
}

/** Where an alarm is delivered: users by id, leads of these teams, and (escalations without a contact) admins. */
export type Audience = { userIds: string[]; leadTeamIds: string[]; admins: boolean };

export function audienceOf(r: Pick<AlarmRow, 'level' | 'assignee_id' | 'team_id' | 'escalated_to'>): Audience {
  // The second level: the admins, and the contact it escalated from still sees it.
  if (r.level === 'escalation_admins') return { userIds: r.escalated_to ? [r.escalated_to] : [], leadTeamIds: [r.team_id], admins: true };
  if (r.level === 'escalation') return { userIds: r.escalated_to ? [r.escalated_to] : [], leadTeamIds: [r.team_id], admins: r.escalated_to === null };
  return { userIds: r.assignee_id ? [r.assignee_id] : [], leadTeamIds: [r.team_id], admins: false };
}

export function reaches(actor: Actor, a: Audience): boolean {
  return a.userIds.includes(actor.userId) || (actor.role === 'lead' && actor.teamIds.some((t) => a.leadTeamIds.includes(t))) || (a.admins && actor.role === 'admin');
}

/** Whether the caller may see (and acknowledge) an alarm: its audience, plus admins for every alarm. */
export const maySee = (actor: Actor, r: Pick<AlarmRow, 'level' | 'assignee_id' | 'team_id' | 'escalated_to'>) => actor.role === 'admin' || reaches(actor, audienceOf(r));

export async function loadAlarmRows(q: Queryable, ids: readonly string[]): Promise<AlarmRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<AlarmRow>(`${select} where a.id = any($1::uuid[]) order by a.raised_at`, [ids]);
  return rows;
}

/** The caller's alarms, newest first: the last 7 days, and anything older not yet acknowledged. */
export async function listAlarms(q: Queryable, actor: Actor, now: Date): Promise<Alarm[]> {
  const params: unknown[] = [new Date(now.getTime() - 7 * 86_400_000)];
  let scope = 'true';
  if (actor.role !== 'admin') {
    params.push(actor.userId, actor.role === 'lead' ? actor.teamIds : []);
    // An agent: alarms raised for them while in the team; a lead: everything of their teams; anyone: escalations to them.
    scope = `((a.level not in ('escalation', 'escalation_admins') and a.assignee_id = $2) or a.team_id = any($3::uuid[]) or a.escalated_to = $2)`;
  }
  const { rows } = await q.query<AlarmRow>(`${select} where (a.raised_at > $1 or a.acknowledged_at is null) and ${scope} order by a.raised_at desc limit 500`, params);
  return rows.filter((r) => maySee(actor, r)).map(toAlarm);
}
