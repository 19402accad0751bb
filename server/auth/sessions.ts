import type { Role } from '../../core/wire/auth';
import type { Db, Queryable } from '../db/db';
import { hashRefreshToken, newRefreshToken } from './tokens';

/** Login sessions and their refresh-token family (schema: 0001-accounts.sql). */

export type RevokeReason = 'logout' | 'refresh-reuse' | 'admin';

export async function createSession(db: Db, userId: string, refreshTtl: number): Promise<{ sessionId: string; refreshToken: string }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>('insert into sessions (user_id) values ($1) returning id', [userId]);
    const sessionId = rows[0]!.id;
    return { sessionId, refreshToken: await issueRefreshToken(tx, sessionId, refreshTtl) };
  });
}

async function issueRefreshToken(tx: Queryable, sessionId: string, refreshTtl: number): Promise<string> {
  const token = newRefreshToken();
  await tx.query(`insert into refresh_tokens (token_hash, session_id, expires_at) values ($1, $2, now() + make_interval(secs => $3))`, [
    hashRefreshToken(token),
    sessionId,
    refreshTtl,
  ]);
  return token;
}

export type RotateResult =
  | { ok: true; sessionId: string; userId: string; role: Role; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' }
  | { ok: false; reason: 'reused'; sessionId: string };

/**
 * Consumes a refresh token and issues its successor. The consume is one conditional UPDATE, so two
 * concurrent refreshes with the same token cannot both win: the loser sees it as reused, which revokes
 * the session. That is deliberate (RFC 9700 §4.14.2): a client must never send one token twice.
 */
export async function rotateRefreshToken(db: Db, token: string, refreshTtl: number): Promise<RotateResult> {
  const tokenHash = hashRefreshToken(token);
  const result = await db.transaction(async (tx): Promise<RotateResult> => {
    const consumed = await tx.query<{ session_id: string; expired: boolean }>(
      `update refresh_tokens set used_at = now() where token_hash = $1 and used_at is null
       returning session_id, expires_at <= now() as expired`,
      [tokenHash],
    );
    const row = consumed.rows[0];
    if (!row) {
      const known = await tx.query<{ session_id: string }>('select session_id from refresh_tokens where token_hash = $1', [tokenHash]);
      const reused = known.rows[0];
      if (!reused) return { ok: false, reason: 'unknown' };
      await revoke(tx, reused.session_id, 'refresh-reuse');
      return { ok: false, reason: 'reused', sessionId: reused.session_id };
    }
    if (row.expired) return { ok: false, reason: 'expired' };
    const session = await tx.query<{ user_id: string; role: Role }>(
      `update sessions s set last_used_at = now() from users u
       where s.id = $1 and s.revoked_at is null and u.id = s.user_id and not u.disabled
       returning s.user_id, u.role`,
      [row.session_id],
    );
    const live = session.rows[0];
    if (!live) return { ok: false, reason: 'revoked' };
    const refreshToken = await issueRefreshToken(tx, row.session_id, refreshTtl);
    return { ok: true, sessionId: row.session_id, userId: live.user_id, role: live.role, refreshToken };
  });
  // Told after the commit: a listener that re-reads the session must see it revoked.
  if (!result.ok && result.reason === 'reused') tellSessionEnded(db, { sessionId: result.sessionId, reason: 'refresh-reuse' });
  return result;
}

async function revoke(q: Queryable, sessionId: string, reason: RevokeReason): Promise<void> {
  await q.query('update sessions set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null', [sessionId, reason]);
}

export async function revokeSession(db: Db, sessionId: string, reason: RevokeReason): Promise<void> {
  await revoke(db, sessionId, reason);
  tellSessionEnded(db, { sessionId, reason });
}

/**
 * What a live session may do right now: its user's CURRENT role and teams (not the access token's
 * claims, which hold for up to the token's lifetime after a demotion or a team change). Null when the
 * session is revoked, belongs to another user or its user is disabled. One query joining session, user
 * and memberships, so checking scope costs what checking the session alone did.
 */
export type SessionScope = { sessionId: string; userId: string; role: Role; teamIds: string[] };

export async function sessionScopes(db: Queryable, sessionIds: readonly string[]): Promise<Map<string, SessionScope>> {
  const out = new Map<string, SessionScope>();
  if (sessionIds.length === 0) return out;
  const { rows } = await db.query<{ id: string; user_id: string; role: Role; team_ids: string[] }>(
    `select s.id, s.user_id, u.role, coalesce(array_agg(m.team_id) filter (where m.team_id is not null), '{}') as team_ids
     from sessions s join users u on u.id = s.user_id left join team_members m on m.user_id = u.id
     where s.id = any($1::uuid[]) and s.revoked_at is null and not u.disabled
     group by s.id, s.user_id, u.role`,
    [[...new Set(sessionIds)]],
  );
  for (const r of rows) out.set(r.id, { sessionId: r.id, userId: r.user_id, role: r.role, teamIds: [...r.team_ids].sort() });
  return out;
}

export async function loadSessionScope(db: Queryable, sessionId: string, userId: string): Promise<SessionScope | null> {
  const scope = (await sessionScopes(db, [sessionId])).get(sessionId);
  return scope && scope.userId === userId ? scope : null;
}

/**
 * Sessions ended in this process (logout, refresh-token reuse, an admin's revoke), told to listeners at
 * once so the realtime hub closes the session's sockets without waiting for its next heartbeat. Keyed by
 * the Db, so two servers in one process (tests) hear only their own.
 */
export type SessionEnded = { sessionId: string; reason: RevokeReason };
const endedListeners = new WeakMap<Db, Set<(ended: SessionEnded) => void>>();

export function onSessionEnded(db: Db, listener: (ended: SessionEnded) => void): () => void {
  let set = endedListeners.get(db);
  if (!set) endedListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function tellSessionEnded(db: Db, ended: SessionEnded): void {
  for (const listener of endedListeners.get(db) ?? []) listener(ended);
}
