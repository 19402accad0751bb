import type { DBCore, DBCoreTable, Dexie } from 'dexie';

/** Test helper: records which index each read of `table` walks ('' is the primary key). Call before `open()`. */
export function recordIndexUse(db: Dexie, table: string): string[] {
  const seen: string[] = [];
  db.use({
    stack: 'dbcore',
    name: 'index-spy',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string): DBCoreTable {
        const t = down.table(name);
        if (name !== table) return t;
        return {
          ...t,
          query: (req) => (seen.push(req.query.index.name ?? ''), t.query(req)),
          openCursor: (req) => (seen.push(req.query.index.name ?? ''), t.openCursor(req)),
          count: (req) => (seen.push(req.query.index.name ?? ''), t.count(req)),
        };
      },
    }),
  });
  return seen;
}

let n = 0;
/** A fresh database name per test, so tests never see each other's rows. */
export const uniqueName = (prefix: string) => `${prefix}-${Date.now()}-${++n}`;
