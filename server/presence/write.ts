import type { Presence } from '../../core/presence';
import type { Actor } from '../../core/tickets/scope';
import type { Queryable } from '../db/db';
import { badRequest } from '../http/errors';
import { recordPresenceChange } from './history';

/**
 * The one writer of an agent's presence on the server (agent_presence). Validates the break reason,
 * keeps `updated_at` (the "since" of the wallboard's time in state) when nothing changed, and hands every
 * real change to the presence history (history.ts, the one call site) in the same transaction.
 *
 *   any ──(agent asks, POST /presence)──► any        break may carry one of the team's active reasons
 *   after-call ──(team's wrap-up limit passes, expireWrapUps)──► the team's `wrap_up_next`
 */
export type PresenceWrite = { presence: Presence; reasonId: string | null; since: number; changed: boolean };

/** Refuses a reason that is not one of the actor's teams' active break reasons, or a reason without `break`. */
export async function checkReason(q: Queryable, actor: Pick<Actor, 'teamIds' | 'role'>, presence: Presence, reasonId: string | null): Promise<void> {
  if (reasonId === null) return;
  if (presence !== 'break') throw badRequest(`Invalid body: reasonId: a reason goes only with "break", not with "${presence}"`);
  const { rows } = await q.query<{ active: boolean }>('select active from break_reasons where id = $1 and ($2::boolean or team_id = any($3::uuid[]))', [
    reasonId,
    actor.role === 'admin',
    actor.teamIds,
  ]);
  if (!rows[0]) throw badRequest("Invalid body: reasonId: not one of your team's break reasons");
  if (!rows[0].active) throw badRequest('Invalid body: reasonId: this break reason was retired by your team lead; pick another');
}

export async function writePresence(
  tx: Queryable,
  actor: Pick<Actor, 'userId' | 'teamIds' | 'role'>,
  presence: Presence,
  reasonId: string | null,
  at: Date,
  cause: string | null = null,
): Promise<PresenceWrite> {
  await checkReason(tx, actor, presence, reasonId);
  const before = await tx.query<{ presence: Presence; reason_id: string | null }>('select presence, reason_id from agent_presence where user_id = $1 for update', [actor.userId]);
  const was = before.rows[0];
  const changed = !was || was.presence !== presence || was.reason_id !== reasonId;
  const { rows } = await tx.query<{ updated_at: Date }>(
    `insert into agent_presence (user_id, presence, reason_id, updated_at) values ($1, $2, $3, $4)
     on conflict (user_id) do update set presence = excluded.presence, reason_id = excluded.reason_id,
       updated_at = case when agent_presence.presence = excluded.presence and agent_presence.reason_id is not distinct from excluded.reason_id
                         then agent_presence.updated_at else excluded.updated_at end
     returning updated_at`,
    [actor.userId, presence, reasonId, at],
  );
  if (changed) await recordPresenceChange(tx, { userId: actor.userId, teamIds: actor.teamIds, state: presence, reason: reasonId ?? cause, at });
  return { presence, reasonId, since: rows[0]!.updated_at.getTime(), changed };
}

/**
 * Ends after-call work that has run past its team's wrap-up limit: the agent goes to the team's
 * `wrap_up_next`. An agent in several teams gets the shortest limit of them. Returns who changed and their
 * teams (the wallboard is told). Each agent in its own transaction, re-checked under the row lock, so an
 * agent who left after-call meanwhile is left alone.
 */
export async function expireWrapUps(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> } & Queryable, at: Date): Promise<{ userId: string; teamIds: string[] }[]> {
  const { rows } = await db.query<{ user_id: string }>(
    `select p.user_id from agent_presence p
     where p.presence = 'after-call'
       and p.updated_at + make_interval(secs => (select min(s.wrap_up_limit_seconds) from team_members m join team_floor_settings s on s.team_id = m.team_id where m.user_id = p.user_id)) <= $1`,
    [at],
  );
  const out: { userId: string; teamIds: string[] }[] = [];
  for (const { user_id } of rows) {
    const done = await db.transaction(async (tx) => {
      const { rows: due } = await tx.query<{ role: Actor['role']; team_ids: string[]; next: Presence }>(
        `select u.role, array(select team_id from team_members where user_id = u.id order by team_id) as team_ids,
                (select s.wrap_up_next from team_members m join team_floor_settings s on s.team_id = m.team_id
                  where m.user_id = u.id and s.wrap_up_limit_seconds is not null order by s.wrap_up_limit_seconds, s.team_id limit 1) as next
         from agent_presence p join users u on u.id = p.user_id
         where p.user_id = $1 and p.presence = 'after-call'
           and p.updated_at + make_interval(secs => (select min(s.wrap_up_limit_seconds) from team_members m join team_floor_settings s on s.team_id = m.team_id where m.user_id = p.user_id)) <= $2
         for update of p`,
        [user_id, at],
      );
      const d = due[0];
      if (!d) return null;
      await writePresence(tx, { userId: user_id, teamIds: d.team_ids, role: d.role }, d.next, null, at, 'wrap-up-limit');
      return { userId: user_id, teamIds: d.team_ids };
    });
    if (done) out.push(done);
  }
  return out;
}
