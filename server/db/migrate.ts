import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, DbError } from './db';

export const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

/** Arbitrary but fixed: every Switchboard server takes this lock while it migrates. */
const migrationLockKey = 760_001;

export type Migration = { version: string; sql: string; checksum: string };

export type MigrationReport = {
  applied: string[];
  /** True when the database had no migrations before: a brand-new database. */
  fresh: boolean;
};

export function readMigrations(dir: string = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}-[a-z0-9-]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      // Line endings are normalized so a Windows checkout (autocrlf) does not look like an edited migration.
      const sql = readFileSync(join(dir, name), 'utf8').replace(/\r\n/g, '\n');
      return { version: name.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the numbered migrations that are not yet recorded, each in its own transaction, in order.
 * Each transaction first takes a transaction-scoped advisory lock and only then looks at
 * schema_migrations, so two servers starting at once on one PostgreSQL apply each migration once:
 * the second waits, then sees it recorded. Editing an applied migration is refused (write a new one).
 */
export async function migrate(db: Db, migrations: readonly Migration[] = readMigrations()): Promise<MigrationReport> {
  const applied: string[] = [];
  let fresh = false;
  for (const [index, migration] of migrations.entries()) {
    await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [migrationLockKey]);
      await tx.exec(`create table if not exists schema_migrations (
        version text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
      const { rows } = await tx.query<{ version: string; checksum: string }>('select version, checksum from schema_migrations order by version');
      if (index === 0 && rows.length === 0) fresh = true;
      const done = rows.find((r) => r.version === migration.version);
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new DbError(`migration ${migration.version} was changed after it was applied; add a new migration instead`);
        }
        return;
      }
      try {
        await tx.exec(migration.sql);
      } catch (err) {
        throw new DbError(`migration ${migration.version} failed: ${(err as Error).message}`);
      }
      await tx.query('insert into schema_migrations (version, checksum) values ($1, $2)', [migration.version, migration.checksum]);
      applied.push(migration.version);
    });
  }
  return { applied, fresh };
}
