import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../db/db';

/**
 * Provisioning the embedded PBX from the server's accounts: Kamailio's auth_db reads a db_text table
 * `subscriber` that this module writes from `users` (extension + sip_password, 0009-sip-accounts.sql).
 *
 * Why a generated db_text file rather than auth_db over PostgreSQL: the embedded default runs on PGlite,
 * which Kamailio cannot reach (it is in this process), and db_text needs no extra Debian package. The
 * table has auth_db's own column names, so a deployment with real PostgreSQL (issue 16) can point
 * Kamailio's DBURL at a view over `users` with the same columns instead, and nothing else changes.
 *
 * Only HA1 digests (RFC 2617 §3.2.2.2: MD5(user:realm:password)) go into the file, never the clear
 * secret; the file is written 0600 and replaced atomically (rename), and Kamailio reloads it when its
 * mtime changes (db_text db_mode 1, server/pbx/kamailio.cfg).
 */

export type Subscriber = { username: string; password: string };

/** SIP user parts we write: db_text separates columns with ':' and rows with newlines, so nothing else gets in. */
const safeUser = /^[A-Za-z0-9_.+-]{1,64}$/;

export const ha1 = (user: string, realm: string, password: string): string => createHash('md5').update(`${user}:${realm}:${password}`).digest('hex');

export function subscriberTable(subscribers: readonly Subscriber[], realm: string): string {
  const rows = subscribers
    .filter((s) => safeUser.test(s.username))
    .map((s, i) => [i + 1, s.username, realm, ha1(s.username, realm, s.password), ha1(`${s.username}@${realm}`, realm, s.password)].join(':'));
  return ['id(int,auto) username(string) domain(string) ha1(string) ha1b(string)', ...rows, ''].join('\n');
}

/** Accounts with an extension and a SIP password, from the database. Disabled users are left out (they cannot register). */
export async function accountSubscribers(db: Queryable): Promise<Subscriber[]> {
  const { rows } = await db.query<{ extension: string; sip_password: string }>(
    'select extension, sip_password from users where extension is not null and sip_password is not null and not disabled order by extension',
  );
  return rows.map((r) => ({ username: r.extension, password: r.sip_password }));
}

/** Writes `dir/subscriber` when its content changed; returns whether it did. */
export function writeSubscriberTable(dir: string, table: string): boolean {
  const file = join(dir, 'subscriber');
  if (existsSync(file) && readFileSync(file, 'utf8') === table) return false;
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, table, { mode: 0o600 });
  renameSync(tmp, file);
  return true;
}
