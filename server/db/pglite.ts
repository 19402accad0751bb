import { PGlite } from '@electric-sql/pglite';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { memoryDataDir } from '../config';
import { type Db, DbError, type Queryable, type Row } from './db';

/**
 * PGlite (PostgreSQL compiled to WASM) in this process. One process may own a data folder at a time:
 * two servers on one NodeFS folder would corrupt it, so a pid lock file guards it (PGlite has none).
 */
export async function openPglite(dataDir: string): Promise<Db> {
  const inMemory = dataDir === memoryDataDir;
  const pgdata = inMemory ? memoryDataDir : join(dataDir, 'pgdata');
  const releaseLock = inMemory ? () => {} : lockFolder(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(pgdata);
  } catch (err) {
    releaseLock();
    throw new DbError(`cannot open the embedded database at ${pgdata}: ${(err as Error).message}`);
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<T>(sql, params as unknown[]);
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    location: inMemory ? 'memory' : pgdata,
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async close() {
      try {
        if (!pg.closed) await pg.close();
      } finally {
        releaseLock();
      }
    },
  };
}

function lockFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new DbError(`the data folder ${dataDir} is in use by another Switchboard server (pid ${owner}); stop it or set SWITCHBOARD_DATA_DIR`);
      }
      // A lock left by a crashed server: its process is gone, so the folder is free.
      rmSync(path, { force: true });
    }
  }
  throw new DbError(`cannot lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
