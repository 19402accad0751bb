import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/db';
import type { IdTokenClaims } from './oidc';

/** Tables of 0011-sso.sql: one-time values and which company identity is which agent. */

/**
 * Records a one-time value (an authorization code, an ID-token nonce) and says whether this was its first
 * presentation. One INSERT … ON CONFLICT, so two concurrent presentations cannot both win.
 */
export async function consumeOnce(db: Queryable, kind: 'code' | 'nonce', value: string, ttlSeconds: number): Promise<boolean> {
  const digest = createHash('sha256').update(`${kind}:${value}`).digest('hex');
  await db.query('delete from sso_consumed where expires_at < now()');
  const { rows } = await db.query(
    `insert into sso_consumed (digest, expires_at) values ($1, now() + make_interval(secs => $2))
     on conflict (digest) do nothing returning digest`,
    [digest, ttlSeconds],
  );
  return rows.length === 1;
}

export type SsoMatch =
  | { userId: string; disabled: boolean; linked: boolean }
  | { userId: null; looked: string; /** The identity names a lead or admin that has no administrator's link. */ privileged: boolean };

/** The command an administrator runs to link a person to a lead or admin account. */
export const linkSsoCommand = 'npx tsx server/auth/linkSso.ts <username> <subject>';

/** A claim's value as text, or null when it is absent or not a string. */
function claimText(claims: IdTokenClaims, name: string): string | null {
  const value = claims[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * The agent a company identity signs in as: the account already linked to (issuer, sub), otherwise the
 * account whose username equals the configured claim. An e-mail claim counts only when the provider says
 * it is verified, or anyone who can set an unverified address would pick whose account to enter.
 *
 * Only plain agents are linked by the claim. A lead or admin (read now, so a promotion counts at once)
 * signs in only through a link an administrator made (linkSsoIdentity): whoever can choose their
 * preferred_username at the provider (self-service profiles, a guest account, a second tenant) must not
 * become `admin` by naming it. Agents keep the zero-touch first sign-in, the point of SSO for a large team;
 * their reach is one agent's queue, and a wrong link is visible to that agent at their next sign-in.
 */
export async function findSsoUser(db: Queryable, claims: IdTokenClaims, usernameClaim: string): Promise<SsoMatch> {
  const linked = await db.query<{ user_id: string; disabled: boolean; role: string; linked_by: string; username: string }>(
    `select i.user_id, u.disabled, u.role, i.linked_by, u.username from sso_identities i join users u on u.id = i.user_id
      where i.issuer = $1 and i.subject = $2`,
    [claims.iss, claims.sub],
  );
  const link = linked.rows[0];
  if (link) {
    if (link.role !== 'agent' && link.linked_by !== 'admin') {
      return { userId: null, looked: `${link.username} is a ${link.role}, and its link to this identity was made by name, not by an administrator`, privileged: true };
    }
    return { userId: link.user_id, disabled: link.disabled, linked: true };
  }
  const name = claimText(claims, usernameClaim);
  if (name === null) return { userId: null, looked: `the ID token has no "${usernameClaim}" claim`, privileged: false };
  if (usernameClaim === 'email' && claims.email_verified !== true) return { userId: null, looked: 'the e-mail address is not verified by the identity provider', privileged: false };
  const { rows } = await db.query<{ id: string; disabled: boolean; role: string }>('select id, disabled, role from users where username = $1', [name.toLowerCase()]);
  if (!rows[0]) return { userId: null, looked: `no agent has the username ${JSON.stringify(name)}`, privileged: false };
  if (rows[0].role !== 'agent') {
    return { userId: null, looked: `${JSON.stringify(name)} is a ${rows[0].role}; leads and admins are linked only by an administrator`, privileged: true };
  }
  return { userId: rows[0].id, disabled: rows[0].disabled, linked: false };
}

/** Links the identity on first sign-in (a second identity for the same agent is allowed: another issuer, a re-created IdP account). */
export async function recordSsoSignIn(db: Queryable, claims: IdTokenClaims, userId: string): Promise<void> {
  await db.query(
    `insert into sso_identities (issuer, subject, user_id) values ($1, $2, $3)
     on conflict (issuer, subject) do update set last_sign_in_at = now()`,
    [claims.iss, claims.sub, userId],
  );
}

/**
 * An administrator's link of a company identity (issuer, subject) to an account, any role; it replaces
 * whatever that identity was linked to before. False when there is no such username.
 */
export async function linkSsoIdentity(db: Queryable, link: { username: string; issuer: string; subject: string }): Promise<boolean> {
  const { rows } = await db.query(
    `insert into sso_identities (issuer, subject, user_id, linked_by)
       select $1, $2, id, 'admin' from users where username = $3
     on conflict (issuer, subject) do update set user_id = excluded.user_id, linked_by = 'admin'
     returning user_id`,
    [link.issuer, link.subject, link.username.toLowerCase()],
  );
  return rows.length === 1;
}

/**
 * When the teams claim is present, the agent's team memberships become the teams it names (unknown team
 * names are reported, not created: a typo at the provider must not invent a queue). Absent claim: no change.
 */
export async function syncTeamsFromClaim(db: Db, claims: IdTokenClaims, teamsClaim: string, userId: string): Promise<{ changed: boolean; unknown: string[] }> {
  const raw = claims[teamsClaim];
  if (raw === undefined) return { changed: false, unknown: [] };
  const names = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; name: string }>('select id, name from teams where name = any($1::text[])', [names]);
    const known = new Set(rows.map((r) => r.name));
    await tx.query('delete from team_members where user_id = $1 and not (team_id = any($2::uuid[]))', [userId, rows.map((r) => r.id)]);
    for (const team of rows) await tx.query('insert into team_members (team_id, user_id) values ($1, $2) on conflict do nothing', [team.id, userId]);
    return { changed: true, unknown: names.filter((n) => !known.has(n)) };
  });
}
