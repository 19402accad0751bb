import { randomBytes } from 'node:crypto';
import type { AdminPerson, PersonPatch } from '../../core/admin/wire';
import type { Locale } from '../../core/locale';
import type { Role } from '../../core/wire/auth';
import type { Queryable } from '../db/db';
import { conflict } from '../chat/errors';
import { badRequest, notFound } from '../http/errors';
import { audit, type AuditActor } from './audit';

/**
 * People as the admin console, the CSV import and SCIM change them: one set of writes, each inside the
 * caller's transaction and audited there. A write reports what must happen after the commit (sessions to
 * end, SIP registrations to sign out), so nothing outside the database happens for a change that rolls back.
 */

/** password_hash for a person with password sign-in off: verifyPassword refuses anything not scrypt$… */
export const ssoOnlyHash = 'sso-only';

export type AfterCommit = { endSessionsOf: string[]; signOut: string[]; sipChanged: boolean };
export const nothingAfter = (): AfterCommit => ({ endSessionsOf: [], signOut: [], sipChanged: false });

type PersonRow = {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  language: Locale;
  extension: string | null;
  team_ids: string[];
  skills: string[];
  languages: Locale[];
  max_chats: number | null;
  disabled: boolean;
  password_hash: string;
  scim_provider: string | null;
  external_id: string | null;
};

const selectPeople = `
  select u.id, u.username, u.display_name, u.role, u.language, u.extension, u.skills, u.languages, u.disabled,
         u.password_hash, u.scim_provider, u.external_id, c.max_chats,
         coalesce(array_agg(m.team_id::text order by m.team_id) filter (where m.team_id is not null), '{}') as team_ids
  from users u left join team_members m on m.user_id = u.id left join agent_capacity c on c.user_id = u.id`;

export const toPerson = (r: PersonRow): AdminPerson => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  language: r.language,
  extension: r.extension,
  teamIds: [...r.team_ids],
  skills: [...r.skills],
  languages: [...r.languages],
  maxChats: r.max_chats,
  active: !r.disabled,
  ssoOnly: r.password_hash === ssoOnlyHash,
  managedBy: r.scim_provider,
});

export type PersonRecord = AdminPerson & { externalId: string | null };

export async function loadPeople(q: Queryable, where: { ids?: readonly string[]; teamIds?: readonly string[]; username?: string; externalId?: string } = {}): Promise<PersonRecord[]> {
  const { rows } = await q.query<PersonRow>(
    `${selectPeople}
     where ($1::uuid[] is null or u.id = any($1::uuid[]))
       and ($2::uuid[] is null or exists (select 1 from team_members t where t.user_id = u.id and t.team_id = any($2::uuid[])))
       and ($3::text is null or u.username = $3)
       and ($4::text is null or u.external_id = $4)
     group by u.id, c.max_chats order by u.username`,
    [where.ids ? [...where.ids] : null, where.teamIds ? [...where.teamIds] : null, where.username ?? null, where.externalId ?? null],
  );
  return rows.map((r) => ({ ...toPerson(r), externalId: r.external_id }));
}

export async function loadPerson(q: Queryable, id: string): Promise<PersonRecord> {
  const person = (await loadPeople(q, { ids: [id] }))[0];
  if (!person) throw notFound('No such person.');
  return person;
}

/** The audit's view of a person: everything the console shows, and never a secret. */
const audited = (p: PersonRecord) => ({ ...p });

async function assertFree(q: Queryable, { username, extension, self }: { username?: string; extension?: string | null; self?: string }): Promise<void> {
  if (username !== undefined) {
    const { rows } = await q.query<{ id: string }>('select id from users where username = $1 and ($2::uuid is null or id <> $2)', [username, self ?? null]);
    if (rows[0]) throw conflict(`The username "${username}" is already taken.`);
  }
  if (extension) {
    const { rows } = await q.query<{ username: string }>('select username from users where extension = $1 and ($2::uuid is null or id <> $2)', [extension, self ?? null]);
    if (rows[0]) throw conflict(`Extension ${extension} is already ${rows[0].username}'s.`);
  }
}

async function assertTeams(q: Queryable, teamIds: readonly string[]): Promise<void> {
  if (teamIds.length === 0) return;
  const { rows } = await q.query<{ id: string }>('select id::text from teams where id = any($1::uuid[])', [[...teamIds]]);
  const known = new Set(rows.map((r) => r.id));
  const unknown = teamIds.filter((t) => !known.has(t));
  if (unknown.length) throw badRequest(`Unknown team: ${unknown.join(', ')}`);
}

/** A SIP digest secret for a new or rotated extension: 144 random bits, URL-safe so any phone can take it. */
export const newSipPassword = (): string => randomBytes(18).toString('base64url');

export type NewPerson = {
  username: string;
  displayName: string;
  role: Role;
  language: Locale;
  extension: string | null;
  teamIds: readonly string[];
  skills: readonly string[];
  languages: readonly Locale[];
  maxChats: number | null;
  /** An scrypt hash (server/auth/password.ts), or ssoOnlyHash. */
  passwordHash: string;
  externalId?: string | null;
  scimProvider?: string | null;
};

export async function createPerson(tx: Queryable, actor: AuditActor, p: NewPerson): Promise<{ person: PersonRecord; after: AfterCommit }> {
  await assertFree(tx, { username: p.username, extension: p.extension });
  await assertTeams(tx, p.teamIds);
  const { rows } = await tx.query<{ id: string }>(
    `insert into users (username, display_name, role, language, extension, sip_password, password_hash, skills, languages, external_id, scim_provider)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [p.username, p.displayName, p.role, p.language, p.extension, p.extension ? newSipPassword() : null, p.passwordHash, [...p.skills], [...p.languages], p.externalId ?? null, p.scimProvider ?? null],
  );
  const id = rows[0]!.id;
  for (const teamId of new Set(p.teamIds)) await tx.query('insert into team_members (team_id, user_id) values ($1, $2)', [teamId, id]);
  if (p.maxChats !== null) await tx.query('insert into agent_capacity (user_id, max_chats) values ($1, $2)', [id, p.maxChats]);
  const person = await loadPerson(tx, id);
  await audit(tx, actor, 'person.create', 'person', id, null, audited(person));
  return { person, after: { ...nothingAfter(), sipChanged: p.extension !== null } };
}

export type PersonChange = PersonPatch & { username?: string; externalId?: string | null; active?: boolean };

export async function updatePerson(tx: Queryable, actor: AuditActor, id: string, patch: PersonChange): Promise<{ person: PersonRecord; after: AfterCommit }> {
  // Row lock first: two admins editing one person apply one after the other, each audit's "before" is true.
  const locked = await tx.query('select 1 from users where id = $1 for update', [id]);
  if (!locked.rows[0]) throw notFound('No such person.');
  const before = await loadPerson(tx, id);
  await assertFree(tx, { username: patch.username, extension: patch.extension, self: id });
  if (patch.teamIds) await assertTeams(tx, patch.teamIds);
  const after = nothingAfter();
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (patch.username !== undefined) set('username', patch.username);
  if (patch.displayName !== undefined) set('display_name', patch.displayName);
  if (patch.role !== undefined) set('role', patch.role);
  if (patch.language !== undefined) set('language', patch.language);
  if (patch.skills !== undefined) set('skills', [...patch.skills]);
  if (patch.languages !== undefined) set('languages', [...patch.languages]);
  if (patch.externalId !== undefined) set('external_id', patch.externalId);
  if (patch.extension !== undefined && patch.extension !== before.extension) {
    set('extension', patch.extension);
    // A new extension gets a new secret: the old one was handed to a phone registered as another number.
    set('sip_password', patch.extension ? newSipPassword() : null);
    after.sipChanged = true;
    if (before.extension) after.signOut.push(before.extension);
  }
  if (patch.active !== undefined && patch.active !== before.active) {
    set('disabled', !patch.active);
    after.sipChanged = after.sipChanged || before.extension !== null;
    if (!patch.active) {
      after.endSessionsOf.push(id);
      if (before.extension && !after.signOut.includes(before.extension)) after.signOut.push(before.extension);
    }
  }
  if (sets.length) await tx.query(`update users set ${sets.join(', ')} where id = $1`, params);
  if (patch.teamIds) {
    await tx.query('delete from team_members where user_id = $1', [id]);
    for (const teamId of new Set(patch.teamIds)) await tx.query('insert into team_members (team_id, user_id) values ($1, $2)', [teamId, id]);
  }
  if (patch.maxChats !== undefined) {
    if (patch.maxChats === null) await tx.query('delete from agent_capacity where user_id = $1', [id]);
    else await tx.query('insert into agent_capacity (user_id, max_chats) values ($1, $2) on conflict (user_id) do update set max_chats = excluded.max_chats', [id, patch.maxChats]);
  }
  const person = await loadPerson(tx, id);
  const action = patch.active === false && before.active ? 'person.deactivate' : patch.active === true && !before.active ? 'person.reactivate' : 'person.update';
  await audit(tx, actor, action, 'person', id, audited(before), audited(person));
  return { person, after };
}

/** A new password (already hashed) or password sign-in off; either way the person's sessions end. */
export async function resetPassword(tx: Queryable, actor: AuditActor, id: string, passwordHash: string): Promise<AfterCommit> {
  const before = await loadPerson(tx, id);
  await tx.query('update users set password_hash = $2 where id = $1', [id, passwordHash]);
  const person = await loadPerson(tx, id);
  // The hash is a secret too: the audit says that it changed, and to what kind.
  await audit(tx, actor, 'person.reset-password', 'person', id, { ssoOnly: before.ssoOnly, password: '(set)' }, { ssoOnly: person.ssoOnly, password: person.ssoOnly ? null : '(set)' });
  return { ...nothingAfter(), endSessionsOf: [id] };
}

/** A new SIP secret for the person's extension, returned once; the phone registered with the old one is signed out. */
export async function rotateSipPassword(tx: Queryable, actor: AuditActor, id: string): Promise<{ secret: string; after: AfterCommit }> {
  const person = await loadPerson(tx, id);
  if (!person.extension) throw badRequest('This person has no extension.');
  const secret = newSipPassword();
  await tx.query('update users set sip_password = $2 where id = $1', [id, secret]);
  await audit(tx, actor, 'person.rotate-sip', 'person', id, { extension: person.extension, sipPassword: '(set)' }, { extension: person.extension, sipPassword: '(rotated)' });
  return { secret, after: { ...nothingAfter(), sipChanged: true, signOut: [person.extension] } };
}

export async function deletePerson(tx: Queryable, actor: AuditActor, id: string): Promise<AfterCommit> {
  const before = await loadPerson(tx, id);
  // Deleting a person who owns tickets or chat history would cascade into the record of who did what: the
  // person is deactivated and their identity-provider link cleared instead (RFC 7644 §3.6 lets a provider do so).
  await tx.query("update users set disabled = true, external_id = null, scim_provider = null where id = $1", [id]);
  const person = await loadPerson(tx, id);
  await audit(tx, actor, 'person.delete', 'person', id, audited(before), audited(person));
  return { endSessionsOf: [id], signOut: before.extension ? [before.extension] : [], sipChanged: before.extension !== null };
}
