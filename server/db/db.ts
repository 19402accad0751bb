/**
 * The one data layer: the server talks to PostgreSQL through this, whether it is the embedded PGlite
 * (default, zero setup) or a real server (DATABASE_URL). Both speak the same SQL dialect, so callers
 * write plain parameterized SQL ($1, $2 …) and never know which one they have.
 */

export type Row = Record<string, unknown>;

export type Queryable = {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
};

export type DbKind = 'pglite' | 'postgres';

export type Db = Queryable & {
  readonly kind: DbKind;
  /** Where the data lives, for the start-up line: a folder, 'memory' or the server's host. */
  readonly location: string;
  /** Runs fn in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export class DbError extends Error {
  override readonly name = 'DbError';
}
