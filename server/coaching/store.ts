import type { CoachMode } from '../../core/coaching/modes';
import type { AuditSession } from '../../core/coaching/wire';
import type { Queryable } from '../db/db';

/** SQL for coaching sessions and their audit events (migration 0010-coaching.sql). */

export type SessionRow = { id: string; lead_id: string; agent_id: string; team_id: string; call_id: string; ended_at: Date | null };

/** The team (one, if several) that `leadId` leads and `agentId` belongs to; null when there is none. */
export async function sharedTeam(db: Queryable, leadId: string, agentId: string): Promise<string | null> {
  const { rows } = await db.query<{ team_id: string }>(
    `select a.team_id from team_members a
       join team_members l on l.team_id = a.team_id and l.user_id = $1
       join users lu on lu.id = l.user_id and lu.role = 'lead' and not lu.disabled
       join users au on au.id = a.user_id and au.role = 'agent' and not au.disabled
     where a.user_id = $2 order by a.team_id limit 1`,
    [leadId, agentId],
  );
  return rows[0]?.team_id ?? null;
}

export async function insertSession(
  db: Queryable,
  s: { id: string; leadId: string; agentId: string; teamId: string; callId: string; expiresAt: number },
): Promise<void> {
  await db.query(
    `insert into coaching_sessions (id, lead_id, agent_id, team_id, call_id, grant_expires_at) values ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0))`,
    [s.id, s.leadId, s.agentId, s.teamId, s.callId, s.expiresAt],
  );
  await addEvent(db, s.id, 'granted', null, s.leadId);
}

/** Marks the grant used; false when it already was (a replay) or the session is unknown. */
export async function consumeGrant(db: Queryable, sessionId: string): Promise<boolean> {
  const { rows } = await db.query('update coaching_sessions set consumed_at = now() where id = $1 and consumed_at is null returning id', [sessionId]);
  return rows.length > 0;
}

export async function getSession(db: Queryable, id: string): Promise<SessionRow | null> {
  const { rows } = await db.query<SessionRow>('select id, lead_id, agent_id, team_id, call_id, ended_at from coaching_sessions where id = $1', [id]);
  return rows[0] ?? null;
}

export async function addEvent(db: Queryable, sessionId: string, kind: string, mode: CoachMode | null, byId: string | null): Promise<void> {
  await db.query('insert into coaching_events (session_id, kind, mode, by_id) values ($1, $2, $3, $4)', [sessionId, kind, mode, byId]);
}

/** Both ends report the start (whichever gets through); the first one counts, later ones are dropped. */
export async function markStarted(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query('update coaching_sessions set started_at = now() where id = $1 and started_at is null returning id', [id]);
  return rows.length > 0;
}

/** Ends a session once: the first reason (lead or agent, whoever reports first) stands. */
export async function markEnded(db: Queryable, id: string, reason: string): Promise<boolean> {
  const { rows } = await db.query('update coaching_sessions set ended_at = now(), end_reason = $2 where id = $1 and ended_at is null returning id', [id, reason]);
  return rows.length > 0;
}

export async function displayName(db: Queryable, userId: string): Promise<string> {
  const { rows } = await db.query<{ display_name: string }>('select display_name from users where id = $1', [userId]);
  return rows[0]?.display_name ?? '';
}

export type OpenChat = { id: string; customerName: string };

/** Each agent's live chats in the team, oldest first. */
export async function openChatsByAgent(db: Queryable, teamId: string): Promise<Map<string, OpenChat[]>> {
  const { rows } = await db.query<{ id: string; assignee_id: string; customer_name: string }>(
    `select c.id, c.assignee_id, cu.name as customer_name from conversations c join customers cu on cu.id = c.customer_id
      where c.team_id = $1 and c.state = 'active' and c.assignee_id is not null order by c.created_at`,
    [teamId],
  );
  const out = new Map<string, OpenChat[]>();
  for (const r of rows) out.set(r.assignee_id, [...(out.get(r.assignee_id) ?? []), { id: r.id, customerName: r.customer_name }]);
  return out;
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

export async function auditSessions(db: Queryable, teamIds: readonly string[] | 'all', limit: number): Promise<AuditSession[]> {
  const { rows } = await db.query<{
    id: string; lead_id: string; lead_name: string; agent_id: string; agent_name: string; team_id: string; call_id: string;
    granted_at: Date; started_at: Date | null; ended_at: Date | null; end_reason: string | null;
  }>(
    `select s.id, s.lead_id, l.display_name as lead_name, s.agent_id, a.display_name as agent_name, s.team_id, s.call_id,
            s.granted_at, s.started_at, s.ended_at, s.end_reason
       from coaching_sessions s join users l on l.id = s.lead_id join users a on a.id = s.agent_id
      where ($1::boolean or s.team_id = any($2::uuid[]))
      order by s.granted_at desc limit $3`,
    [teamIds === 'all', teamIds === 'all' ? [] : teamIds, limit],
  );
  if (rows.length === 0) return [];
  const events = await db.query<{ session_id: string; at: Date; kind: string; mode: CoachMode | null; by_id: string | null }>(
    'select session_id, at, kind, mode, by_id from coaching_events where session_id = any($1::uuid[]) order by id',
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => ({
    id: r.id,
    lead: { id: r.lead_id, displayName: r.lead_name },
    agent: { id: r.agent_id, displayName: r.agent_name },
    teamId: r.team_id,
    callId: r.call_id,
    grantedAt: r.granted_at.getTime(),
    startedAt: ms(r.started_at),
    endedAt: ms(r.ended_at),
    endReason: r.end_reason,
    events: events.rows.filter((e) => e.session_id === r.id).map((e) => ({ at: e.at.getTime(), kind: e.kind, mode: e.mode, byId: e.by_id })),
  }));
}
