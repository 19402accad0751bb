import type { Presence } from '../../core/presence';
import type { BoardAgent, BoardQueue, BoardSnapshot } from '../../core/wire/board';
import type { Queryable } from '../db/db';
import { defaultMaxChats } from '../chat/routing';
import { loadFloor } from '../presence/settings';
import { todayFigures } from './today';
import { boardVoiceQueues } from '../queues/figures';

/** What the server's live board (server/coaching/live.ts) knows about an agent's app: its current call and whether it still reports. */
export type LiveLookup = (userId: string) => { call: BoardAgent['call']; connected: boolean } | null;

const hourMs = 3_600_000;

/**
 * One team's wallboard, read in four queries whatever the number of watchers (it is computed once per
 * team and change, then sent to every socket watching that team).
 *
 * Queue figures (per routing queue, see core/wire/board.ts for what a queue is):
 *   waiting          open and not answered yet (queued, or offered to an agent who has not accepted)
 *   oldestSince      when the longest-waiting of those arrived
 *   answeredHour     first answered in the last 60 minutes; withinTargetHour: within the answer target
 *   abandonedHour    the customer left unanswered in the last 60 minutes
 */
export async function boardSnapshot(db: Queryable, teamId: string, at: Date, live: LiveLookup): Promise<BoardSnapshot | null> {
  const team = await db.query<{ id: string; name: string }>('select id, name from teams where id = $1', [teamId]);
  if (!team.rows[0]) return null;
  const floor = await loadFloor(db, teamId);
  const [chatQueues, voiceQueues, agents, today] = await Promise.all([
    queueFigures(db, teamId, at, floor.answerTargetSeconds),
    boardVoiceQueues(db, teamId, at),
    agentStates(db, teamId, live),
    todayFigures(db, teamId, at),
  ]);
  if (!today) return null;
  const queues = [...chatQueues, ...voiceQueues];
  return {
    team: { ...team.rows[0], timeZone: floor.timeZone },
    answerTargetSeconds: floor.answerTargetSeconds,
    wrapUpLimitSeconds: floor.wrapUpLimitSeconds,
    at: at.getTime(),
    queues,
    agents,
    today,
  };
}

async function queueFigures(db: Queryable, teamId: string, at: Date, targetSeconds: number): Promise<BoardQueue[]> {
  const { rows } = await db.query<{ id: string; name: string; waiting: number; oldest: Date | null; answered: number; within: number; abandoned: number }>(
    `select q.id, q.name,
       count(c.id) filter (where c.state in ('queued', 'offered'))::int as waiting,
       min(c.created_at) filter (where c.state in ('queued', 'offered')) as oldest,
       count(c.id) filter (where c.answered_at > $2)::int as answered,
       count(c.id) filter (where c.answered_at > $2 and c.answered_at - c.created_at <= make_interval(secs => $3))::int as within,
       count(c.id) filter (where c.abandoned_at > $2)::int as abandoned
     from chat_queues q
     left join conversations c on c.queue_id = q.id and c.team_id = $1
       and (c.state in ('queued', 'offered') or c.answered_at > $2 or c.abandoned_at > $2)
     where q.team_id = $1
     group by q.id, q.name, q.created_at
     order by q.created_at, q.name`,
    [teamId, new Date(at.getTime() - hourMs), targetSeconds],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    waiting: r.waiting,
    oldestSince: r.oldest ? r.oldest.getTime() : null,
    answeredHour: r.answered,
    withinTargetHour: r.within,
    abandonedHour: r.abandoned,
  }));
}

const stateOrder: Record<Presence, number> = { available: 0, busy: 1, 'after-call': 2, break: 3, offline: 4 };

async function agentStates(db: Queryable, teamId: string, live: LiveLookup): Promise<BoardAgent[]> {
  const { rows } = await db.query<{
    id: string; display_name: string; role: BoardAgent['role']; extension: string | null; presence: Presence | null; since: Date | null;
    reason_id: string | null; code: string | null; label_en: string | null; label_zh_cn: string | null; label_zh_tw: string | null;
    chats: number; max_chats: number;
  }>(
    `select u.id, u.display_name, u.role, u.extension, p.presence, p.updated_at as since,
            r.id as reason_id, r.code, r.label_en, r.label_zh_cn, r.label_zh_tw,
            (select count(*)::int from conversations c where c.assignee_id = u.id and c.state = 'active') as chats,
            coalesce(cap.max_chats, $2::int) as max_chats
     from team_members m join users u on u.id = m.user_id and not u.disabled and u.role in ('agent', 'lead')
     left join agent_presence p on p.user_id = u.id
     left join break_reasons r on r.id = p.reason_id
     left join agent_capacity cap on cap.user_id = u.id
     where m.team_id = $1`,
    [teamId, defaultMaxChats],
  );
  return rows
    .map((r): BoardAgent => {
      const app = live(r.id);
      return {
        id: r.id,
        displayName: r.display_name,
        role: r.role,
        extension: r.extension,
        presence: r.presence ?? 'offline',
        reason: r.reason_id ? { id: r.reason_id, code: r.code!, labels: { en: r.label_en!, 'zh-CN': r.label_zh_cn!, 'zh-TW': r.label_zh_tw! } } : null,
        since: r.since ? r.since.getTime() : null,
        chats: r.chats,
        maxChats: r.max_chats,
        call: app?.call ?? null,
        connected: app?.connected ?? false,
      };
    })
    .sort((a, b) => stateOrder[a.presence] - stateOrder[b.presence] || a.displayName.localeCompare(b.displayName));
}
