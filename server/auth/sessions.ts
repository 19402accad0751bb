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
  | { ok: false; reason: 'unknown' | 'reused' | 'expired' | 'revoked' };

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
      return { ok: false, reason: 'reused' };
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
  return result;
}

async function revoke(q: Queryable, sessionId: string, reason: RevokeReason): Promise<void> {
  await q.query('update sessions set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null', [sessionId, reason]);
}

export function revokeSession(db: Db, sessionId: string, reason: RevokeReason): Promise<void> {
  return revoke(db, sessionId, reason);
}

/** True while the session is not revoked and its user is not disabled: checked on every request. */
/** Of these sessions, the ones still live (not revoked, user not disabled): one query for many sockets. */
export async function liveSessionIds(db: Db, sessionIds: readonly string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(
    `select s.id from sessions s join users u on u.id = s.user_id
     where s.id = any($1::uuid[]) and s.revoked_at is null and not u.disabled`,
    [[...new Set(sessionIds)]],
  );
  return new Set(rows.map((r) => r.id));
}

export async function isSessionLive(db: Db, sessionId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from sessions s join users u on u.id = s.user_id
     where s.id = $1 and s.user_id = $2 and s.revoked_at is null and not u.disabled`,
    [sessionId, userId],
  );
  return rows.length > 0;
}
