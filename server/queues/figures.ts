import type { BoardQueue } from '../../core/wire/board';
import type { VoiceQueueFigures } from '../../core/wire/queues';
import type { Queryable } from '../db/db';

/**
 * A team's voice queue figures: who waits now (queue_calls), and today's answered, answered within the
 * queue's target, and abandoned calls, counted from the contact event log (contact_id = the call), so the
 * wallboard and the KPI reports read the same events. "Today" is the team's day (teams.time_zone), or
 * from `since` (the wallboard's last hour).
 */
export async function queueFigures(db: Queryable, teamId: string, at: Date, since: Date | null = null): Promise<Map<string, VoiceQueueFigures>> {
  const { rows } = await db.query<{
    id: string; waiting: number; oldest: Date | null; callbacks: number; answered: number; within: number; abandoned: number;
  }>(
    `with day as (select coalesce($3::timestamptz, date_trunc('day', $2::timestamptz at time zone t.time_zone) at time zone t.time_zone) as start from teams t where t.id = $1),
     live as (
       select queue_id, count(*) filter (where state in ('waiting', 'offered'))::int as waiting,
              min(enqueued_at) filter (where state in ('waiting', 'offered')) as oldest,
              count(*) filter (where state in ('waiting', 'offered') and callback)::int as callbacks
       from queue_calls where team_id = $1 and state in ('waiting', 'offered') group by queue_id),
     today as (
       select c.queue_id,
              count(*) filter (where e.kind = 'answered')::int as answered,
              count(*) filter (where e.kind = 'answered' and (e.data->>'waitMs')::bigint <= q.answer_target_seconds * 1000)::int as within,
              count(*) filter (where e.kind = 'abandoned')::int as abandoned
       from contact_events e join queue_calls c on c.id = e.contact_id join voice_queues q on q.id = c.queue_id
       where e.team_id = $1 and e.channel = 'voice' and e.kind in ('answered', 'abandoned') and e.at >= (select start from day) and e.at <= $2
       group by c.queue_id)
     select q.id, coalesce(l.waiting, 0) as waiting, l.oldest, coalesce(l.callbacks, 0) as callbacks,
            coalesce(t.answered, 0) as answered, coalesce(t.within, 0) as within, coalesce(t.abandoned, 0) as abandoned
     from voice_queues q left join live l on l.queue_id = q.id left join today t on t.queue_id = q.id
     where q.team_id = $1`,
    [teamId, at, since],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        waiting: r.waiting,
        oldestSince: r.oldest ? r.oldest.getTime() : null,
        answeredToday: r.answered,
        withinTargetToday: r.within,
        abandonedToday: r.abandoned,
        callbacksWaiting: r.callbacks,
      },
    ]),
  );
}

/** The wallboard's rows for a team's voice queues (core/wire/board.ts BoardQueue, kind `voice`): the last hour. */
export async function boardVoiceQueues(db: Queryable, teamId: string, at: Date): Promise<BoardQueue[]> {
  const { rows } = await db.query<{ id: string; name: string; number: string }>('select id, name, number from voice_queues where team_id = $1 order by number', [teamId]);
  if (rows.length === 0) return [];
  const figures = await queueFigures(db, teamId, at, new Date(at.getTime() - 3_600_000));
  return rows.map((q) => {
    const f = figures.get(q.id)!;
    return {
      id: q.id,
      name: q.name,
      kind: 'voice',
      number: q.number,
      waiting: f.waiting,
      oldestSince: f.oldestSince,
      answeredHour: f.answeredToday,
      withinTargetHour: f.withinTargetToday,
      abandonedHour: f.abandonedToday,
      callbacksWaiting: f.callbacksWaiting,
    };
  });
}
