import { createThrowawayDatabase, type ThrowawayDatabase } from '../../tests/support/server/throwawayDatabase';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LoginResponse } from '../../core/wire/auth';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { demoPassword, seedDemo } from '../seed/seed';
import type { Db } from './db';
import { migrate, readMigrations } from './migrate';
import { openPostgres } from './postgres';

// Runs against a real PostgreSQL when DATABASE_URL is set (the e2e runner starts one). Each run creates
// and drops its own throwaway database, so the one DATABASE_URL names is left untouched.
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log('server/db/postgres.test.ts skipped: DATABASE_URL is not set (scripts/e2e.mjs starts a PostgreSQL and sets it)');

describe.skipIf(!baseUrl)('real PostgreSQL', () => {
  let scratch: ThrowawayDatabase | undefined;
  let url: string;
  const dbs: Db[] = [];

  beforeAll(async () => {
    scratch = await createThrowawayDatabase(baseUrl!, 'switchboard_test');
    url = scratch.url;
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
    await scratch?.drop();
  });

  const open = async () => {
    const db = await openPostgres(url);
    dbs.push(db);
    return db;
  };

  test('two servers migrating at once apply each migration exactly once', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const reports = await Promise.all([migrate(a), migrate(b)]);
    const all = readMigrations().map((m) => m.version);
    expect([...reports[0].applied, ...reports[1].applied].sort()).toEqual(all);
    expect((await migrate(a)).applied).toEqual([]);
  });

  test('seed, login and a session check work the same as on PGlite', async () => {
    const db = dbs[0]!;
    const report = await seedDemo(db, { tickets: 50, customers: 20 });
    expect(report?.tickets).toBe(50);
    const { rows } = await db.query<{ version: unknown; tags: unknown }>('select version, tags from tickets where number = 1001');
    expect(typeof rows[0]!.version).toBe('number');
    expect(Array.isArray(rows[0]!.tags)).toBe(true);
    const app = buildServer(makeConfig({ tokenSecret: 'x'.repeat(40), logLevel: 'silent' }), { db });
    const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'lead1', password: demoPassword } });
    expect(login.statusCode).toBe(200);
    const { accessToken, user } = LoginResponse.parse(login.json());
    const roster = await app.inject({ method: 'GET', url: `/teams/${user.teams[0]!.id}/roster`, headers: { authorization: `Bearer ${accessToken}` } });
    expect(roster.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health' })).json().db).toBe('postgres');
    await app.close();
  });
});
