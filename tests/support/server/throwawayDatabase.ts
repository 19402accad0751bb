import pg from 'pg';

/**
 * A database of its own on the real PostgreSQL that `baseUrl` names (the unit step's DATABASE_URL): created
 * for one test file and dropped after it, so the database the URL names is left untouched.
 */
export type ThrowawayDatabase = { url: string; drop(): Promise<void> };

export async function createThrowawayDatabase(baseUrl: string, prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    },
  };
}
