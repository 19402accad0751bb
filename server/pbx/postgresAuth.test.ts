import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerStatus } from '../../tests/support/e2e/sipRegister';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../tests/support/server/throwawayDatabase';
import { createPerson, rotateSipPassword, updatePerson } from '../admin/people';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPostgres } from '../db/postgres';
import { sipProvisioner } from './provisioner';

/**
 * Issue 16 on PostgreSQL: a real Kamailio (db_postgres + auth_db) reads the server's sip_subscriber view
 * (0150-admin.sql). A person created with an extension registers with the SIP password the server made;
 * a rotation signs the old registration out (kamcmd ul.rm over the ctl socket) and the old password is
 * refused at once; a deactivated person's password is refused. Runs when DATABASE_URL is set and Debian's
 * kamailio and kamailio-postgres-modules are installed (scripts/ensure.mjs, test packages).
 */
const baseUrl = process.env.DATABASE_URL;
const modules = '/usr/lib/x86_64-linux-gnu/kamailio/modules/db_postgres.so';
const why = !baseUrl ? 'DATABASE_URL is not set' : !existsSync(modules) ? 'kamailio-postgres-modules is not installed' : null;
if (why) console.log(`server/pbx/postgresAuth.test.ts skipped: ${why}`);

const cfg = join(dirname(fileURLToPath(import.meta.url)), 'kamailio.cfg');
const sipPort = 17_761;

describe.skipIf(why !== null)('Kamailio auth_db over the server\'s PostgreSQL', () => {
  let scratch: ThrowawayDatabase | undefined;
  let db: Db;
  let kamailio: ChildProcess | undefined;
  let dir: string;
  const ctl = () => `unix:${join(dir, 'kamailio_ctl')}`;
  const registered = (ext: string) => spawnSync('kamcmd', ['-s', ctl(), 'ul.lookup', 'location', `s:${ext}`], { encoding: 'utf8' }).stdout.includes('Contact');
  const actor = { userId: null, label: 'test' };

  beforeAll(async () => {
    scratch = await createThrowawayDatabase(baseUrl!, 'switchboard_sip');
    db = await openPostgres(scratch.url);
    await migrate(db);
    dir = mkdtempSync(join(tmpdir(), 'kam-pg-'));
    const u = new URL(scratch.url);
    // Kamailio's db_postgres URL: postgres://user[:password]@host:port/database.
    const dbUrl = `postgres://${u.username}${u.password ? `:${u.password}` : ''}@${u.hostname}:${u.port || 5432}${u.pathname}`;
    kamailio = spawn('kamailio', [
      '-f', cfg, '-DD', '-E', '-m', '32', '-M', '8', '-Y', dir, '-P', join(dir, 'k.pid'),
      '-A', `SIP_PORT=${sipPort}`, '-A', `WS_PORT=${sipPort + 1}`, '-A', 'WITH_POSTGRES', '-A', `DBURL="${dbUrl}"`, '-A', 'AUTH_TABLE="sip_subscriber"', '-A', `CTL_SOCK="${ctl()}"`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    kamailio.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const end = Date.now() + 10_000;
    while (!existsSync(join(dir, 'kamailio_ctl'))) {
      if (Date.now() > end || kamailio.exitCode !== null) throw new Error(`Kamailio did not start:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    kamailio?.kill('SIGTERM');
    await db?.close();
    await scratch?.drop();
  });

  test('provisioned, rotated (old registration signed out, old password refused), deactivated', async () => {
    const { person } = await db.transaction((tx) =>
      createPerson(tx, actor, { username: 'pg.agent', displayName: 'PG Agent', role: 'agent', language: 'en', extension: '3501', teamIds: [], skills: [], languages: [], maxChats: null, passwordHash: 'sso-only' }),
    );
    const secret = async () => (await db.query<{ sip_password: string }>('select sip_password from users where id = $1', [person.id])).rows[0]!.sip_password;
    const first = await secret();
    expect(await registerStatus({ port: sipPort, user: '3501', password: first, expires: 300 })).toBe(200);
    expect(registered('3501')).toBe(true);
    expect(await registerStatus({ port: sipPort, user: '3501', password: 'not-the-password' })).toBe(401);

    const sip = sipProvisioner(undefined, (line) => console.log(line), ctl());
    const { secret: rotated, after } = await db.transaction((tx) => rotateSipPassword(tx, actor, person.id));
    await sip.changed(after.signOut);
    expect(registered('3501')).toBe(false);
    expect(await registerStatus({ port: sipPort, user: '3501', password: first })).toBe(401);
    expect(await registerStatus({ port: sipPort, user: '3501', password: rotated })).toBe(200);

    const off = await db.transaction((tx) => updatePerson(tx, actor, person.id, { active: false }));
    await sip.changed(off.after.signOut);
    expect(await registerStatus({ port: sipPort, user: '3501', password: rotated })).toBe(401);
  });
});
