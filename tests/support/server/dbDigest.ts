import type { Db } from '../../../server/db/db';

/** One md5 per table over all its rows (row text, sorted): equal digests, equal contents. One round trip. */
export async function tableDigest(db: Db, tables: readonly string[]): Promise<Record<string, string>> {
  const columns = tables.map((t) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${t} x) as "${t}"`);
  const { rows } = await db.query<Record<string, string>>(`select ${columns.join(', ')}`);
  return rows[0]!;
}

export const changedTables = (before: Record<string, string>, after: Record<string, string>): string[] => Object.keys(before).filter((t) => before[t] !== after[t]);
