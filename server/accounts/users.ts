import type { Locale } from '../../core/locale';
import type { Role, Team, TeamRoster, User } from '../../core/wire/auth';
import type { Queryable } from '../db/db';

/** Reads of the account tables (schema: 0001-accounts.sql), mapped to the wire shapes of core/wire/auth.ts. */

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  language: Locale;
  extension: string | null;
};

export type Credentials = { id: string; role: Role; passwordHash: string; disabled: boolean };

export async function findCredentials(db: Queryable, username: string): Promise<Credentials | null> {
  const { rows } = await db.query<{ id: string; role: Role; password_hash: string; disabled: boolean }>(
    'select id, role, password_hash, disabled from users where username = $1',
    [username.toLowerCase()],
  );
  const row = rows[0];
  return row ? { id: row.id, role: row.role, passwordHash: row.password_hash, disabled: row.disabled } : null;
}

export async function getUser(db: Queryable, userId: string): Promise<User | null> {
  const { rows } = await db.query<UserRow>('select id, username, display_name, role, language, extension from users where id = $1', [userId]);
  const row = rows[0];
  if (!row) return null;
  const teams = await db.query<Team>(
    'select t.id, t.name from teams t join team_members m on m.team_id = t.id where m.user_id = $1 order by t.name',
    [userId],
  );
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    teams: teams.rows.map((t) => ({ id: t.id, name: t.name })),
    language: row.language,
    extension: row.extension,
  };
}

export async function getTeam(db: Queryable, teamId: string): Promise<Team | null> {
  const { rows } = await db.query<Team>('select id, name from teams where id = $1', [teamId]);
  return rows[0] ? { id: rows[0].id, name: rows[0].name } : null;
}

export async function isTeamMember(db: Queryable, teamId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from team_members where team_id = $1 and user_id = $2', [teamId, userId]);
  return rows.length > 0;
}

export async function getRoster(db: Queryable, team: Team): Promise<TeamRoster> {
  const { rows } = await db.query<Pick<UserRow, 'id' | 'display_name' | 'role' | 'extension'>>(
    `select u.id, u.display_name, u.role, u.extension from users u join team_members m on m.user_id = u.id
     where m.team_id = $1 and not u.disabled order by u.role desc, u.display_name`,
    [team.id],
  );
  return { team, members: rows.map((r) => ({ id: r.id, displayName: r.display_name, role: r.role, extension: r.extension })) };
}
