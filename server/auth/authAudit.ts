import type { Queryable } from '../db/db';

/**
 * The audit trail of refused sign-ins (table auth_audit, 0080-auth-audit.sql). Each refusal is one row,
 * buffered and written in one multi-row INSERT about once a second: a flood of refused requests must not
 * become a flood of database writes, which would slow every other request on the same database. Past
 * `maxBuffered` rows per batch, further refusals are counted into one `refusals-dropped` row instead.
 */
export type AuthAuditEvent = 'login-failed' | 'login-throttled' | 'login-busy' | 'login-disabled' | 'sso-refused';
export type AuthRefusal = { event: AuthAuditEvent; username: string | null; address: string | null; detail: string | null };

export type AuthAudit = {
  record(refusal: AuthRefusal): void;
  /** Writes what is buffered now (on close, and in tests). */
  flush(): Promise<void>;
};

export function createAuthAudit(
  db: Queryable,
  { flushAfterMs = 1000, maxBuffered = 500, onError = (_err: unknown) => {} }: { flushAfterMs?: number; maxBuffered?: number; onError?: (err: unknown) => void } = {},
): AuthAudit {
  let buffer: { at: Date; refusal: AuthRefusal }[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    clearTimeout(timer);
    timer = undefined;
    const rows: unknown[][] = buffer.map(({ at, refusal: r }) => [at, r.event, r.username?.slice(0, 100) ?? null, r.address, r.detail]);
    if (dropped > 0) rows.push([new Date(), 'refusals-dropped', null, null, `${dropped} more refusals in this second were not written one by one`]);
    buffer = [];
    dropped = 0;
    if (rows.length === 0) return;
    const values = rows.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`);
    await db.query(`insert into auth_audit (at, event, username, address, detail) values ${values.join(', ')}`, rows.flat());
  };
  const flush = () => {
    writing = writing.then(write).catch(onError);
    return writing;
  };

  return {
    record(refusal) {
      if (buffer.length < maxBuffered) buffer.push({ at: new Date(), refusal });
      else dropped++;
      // unref: a pending batch must not keep a test run or a stopping server alive; close() flushes it.
      timer ??= setTimeout(() => void flush(), flushAfterMs).unref();
    },
    flush,
  };
}
