import pg from 'pg';
import { type Db, DbError, type Queryable, type Row } from './db';

const int8Oid = 20;

/**
 * A real PostgreSQL server through a `pg` pool. bigint columns are parsed to numbers, as PGlite does,
 * so both implementations return the same row shapes (our bigints are counters and versions, far below 2^53).
 */
export async function openPostgres(databaseUrl: string): Promise<Db> {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === int8Oid ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, types, max: 10 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  let host: string;
  try {
    const client = await pool.connect();
    host = `${client.host}:${client.port}/${client.database ?? ''}`;
    client.release();
  } catch (err) {
    await pool.end();
    throw new DbError(`cannot connect to DATABASE_URL: ${(err as Error).message}`);
  }
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<T>(sql, params as unknown[]);
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    location: host,
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const value = await fn(wrap(client));
        await client.query('commit');
        return value;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
