import type { Queryable } from '../db/db';

/**
 * Demo SLA settings, inside the demo seed's transaction: each team on its own clock (Shanghai and Berlin),
 * Monday to Friday business hours with a lunch break in Shanghai, a few real public holidays, and policies
 * per channel. Chats and calls count around the clock (the queue is staffed while it is open); email and
 * tickets count business hours.
 */
const teams = {
  shanghai: {
    timeZone: 'Asia/Shanghai',
    hours: [1, 2, 3, 4, 5].flatMap((weekday) => [[weekday, 9 * 60, 12 * 60], [weekday, 13 * 60, 18 * 60]]),
    holidays: [['2026-10-01', '国庆节'], ['2026-10-02', '国庆节'], ['2027-01-01', '元旦'], ['2027-02-08', '春节'], ['2027-02-09', '春节']],
  },
  berlin: {
    timeZone: 'Europe/Berlin',
    hours: [1, 2, 3, 4, 5].map((weekday) => [weekday, 8 * 60, 18 * 60]),
    holidays: [['2026-10-03', 'Tag der Deutschen Einheit'], ['2026-12-25', '1. Weihnachtstag'], ['2026-12-26', '2. Weihnachtstag'], ['2027-01-01', 'Neujahr']],
  },
} as const;

//            channel      priority  first   next    resolution  warn  business  escalate
const policies: [string, string, number, number | null, number | null, number, boolean, number][] = [
  ['chat', 'any', 120, 180, 24 * 3600, 80, false, 300],
  ['messaging', 'any', 15 * 60, 30 * 60, 24 * 3600, 80, false, 900],
  ['voice', 'any', 60, null, 8 * 3600, 80, false, 300],
  ['email', 'urgent', 3600, 4 * 3600, 8 * 3600, 75, true, 1800],
  ['email', 'any', 4 * 3600, 8 * 3600, 48 * 3600, 80, true, 3600],
  ['any', 'any', 8 * 3600, null, 48 * 3600, 80, true, 3600],
];

export async function seedSlaDemo(tx: Queryable, teamIds: ReadonlyMap<string, string>): Promise<void> {
  for (const [key, t] of Object.entries(teams)) {
    const teamId = teamIds.get(key)!;
    await tx.query('update teams set time_zone = $2 where id = $1', [teamId, t.timeZone]);
    for (const [weekday, start, end] of t.hours) {
      await tx.query('insert into team_business_hours (team_id, weekday, start_minute, end_minute) values ($1, $2, $3, $4)', [teamId, weekday, start, end]);
    }
    for (const [day, name] of t.holidays) await tx.query('insert into team_holidays (team_id, day, name) values ($1, $2, $3)', [teamId, day, name]);
    for (const [channel, priority, first, next, resolution, warn, business, escalate] of policies) {
      await tx.query(
        `insert into sla_policies (team_id, channel, priority, first_response_seconds, next_response_seconds, resolution_seconds, warn_percent, business_hours, escalate_after_seconds)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [teamId, channel, priority, first, next, resolution, warn, business, escalate],
      );
    }
  }
}
