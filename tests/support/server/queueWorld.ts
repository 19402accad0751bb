import { randomUUID } from 'node:crypto';
import type { Locale } from '../../../core/locale';
import type { Presence } from '../../../core/presence';
import type { Db } from '../../../server/db/db';
import type { VoiceQueueRow } from '../../../server/queues/dispatch';

/**
 * Voice queue fixtures written straight into the tables (the routing tests and bench:queue drive
 * server/queues/dispatch.ts without HTTP): a team, agents with skills, languages, presence and idle time,
 * and queues.
 */
export type QueueAgent = { id: string; name: string };

export async function addTeam(db: Db, name: string): Promise<string> {
  const id = randomUUID();
  await db.query('insert into teams (id, name) values ($1, $2)', [id, name]);
  return id;
}

export async function addAgent(
  db: Db,
  teamId: string,
  name: string,
  opts: { skills?: string[]; languages?: Locale[]; presence?: Presence; idleSince?: Date; extension?: string } = {},
): Promise<QueueAgent> {
  const id = randomUUID();
  await db.query("insert into users (id, username, display_name, role, password_hash, extension) values ($1, $2, $2, 'agent', 'x', $3)", [id, name, opts.extension ?? null]);
  await db.query('insert into team_members (team_id, user_id) values ($1, $2)', [teamId, id]);
  await db.query('insert into agent_presence (user_id, presence, updated_at) values ($1, $2, now())', [id, opts.presence ?? 'available']);
  await db.query('insert into agent_routing (user_id, skills, languages, idle_since) values ($1, $2, $3, $4)', [id, opts.skills ?? [], opts.languages ?? ['en'], opts.idleSince ?? new Date(0)]);
  return { id, name };
}

export async function addQueue(db: Db, teamId: string, over: Partial<Omit<VoiceQueueRow, 'id' | 'team_id'>> & { number: string }): Promise<VoiceQueueRow> {
  const { rows } = await db.query<VoiceQueueRow>(
    `insert into voice_queues (team_id, name, number, skills, language, strategy, ring_seconds, max_wait_seconds, on_max_wait)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
    [teamId, over.name ?? `Queue ${over.number}`, over.number, over.skills ?? [], over.language ?? null, over.strategy ?? 'longest-idle', over.ring_seconds ?? 20, over.max_wait_seconds ?? 300, over.on_max_wait ?? 'callback'],
  );
  return rows[0]!;
}

export async function setAgentPresence(db: Db, userId: string, presence: Presence): Promise<void> {
  await db.query('update agent_presence set presence = $2, reason_id = null, updated_at = now() where user_id = $1', [userId, presence]);
}
