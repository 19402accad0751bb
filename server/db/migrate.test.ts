import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoPassword, seedDemo } from '../seed/seed';
import { verifyPassword } from '../auth/password';
import type { Db } from './db';
import { DbError } from './db';
import { migrate, readMigrations } from './migrate';
import { openPglite } from './pglite';

let db: Db;
beforeAll(async () => {
  db = await openPglite('memory://');
});
afterAll(async () => {
  await db?.close();
});

describe('migrations', () => {
  test('the first run applies every migration in order; a second run applies none and changes nothing', async () => {
    const all = readMigrations().map((m) => m.version);
    expect(all.slice(0, 2)).toEqual(['0001-accounts', '0002-tickets']);
    const first = await migrate(db);
    expect(first).toEqual({ applied: all, fresh: true });
    const second = await migrate(db);
    expect(second).toEqual({ applied: [], fresh: false });
    const { rows } = await db.query<{ version: string }>('select version from schema_migrations order by version');
    expect(rows.map((r) => r.version)).toEqual(all);
  });

  test('an applied migration whose file changed is refused', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(db, edited)).rejects.toThrow(DbError);
    await expect(migrate(db, edited)).rejects.toThrow(/0001-accounts was changed/);
  });

  test('a failing migration rolls back and is not recorded', async () => {
    const broken = [...readMigrations(), { version: '9999-broken', sql: 'create table half_done (a int); select * from no_such_table;', checksum: 'x' }];
    await expect(migrate(db, broken)).rejects.toThrow(/9999-broken failed/);
    const { rows } = await db.query(`select 1 from information_schema.tables where table_name = 'half_done'`);
    expect(rows).toHaveLength(0);
    expect((await db.query(`select 1 from schema_migrations where version = '9999-broken'`)).rows).toHaveLength(0);
  });

  test('the schema refuses values outside the domain', async () => {
    await expect(db.query(`insert into customers (name, phone) values ('x', '0049 30 1234')`)).rejects.toThrow();
    await expect(db.query(`insert into tickets (subject, channel, status) values ('x', 'email', 'escalated')`)).rejects.toThrow();
  });
});

describe('demo seed', () => {
  const now = new Date('2025-06-01T08:00:00Z');

  test('creates the demo accounts, teams, tickets and quick replies', async () => {
    const report = await seedDemo(db, { now });
    expect(report).toMatchObject({ users: 7, tickets: 300, quickReplies: 30 });
    const users = await db.query<{ username: string; role: string; language: string; password_hash: string }>(
      'select username, role, language, password_hash from users order by username',
    );
    expect(users.rows.map((u) => `${u.username}:${u.role}:${u.language}`)).toEqual([
      'admin:admin:en', 'agent1:agent:zh-CN', 'agent2:agent:zh-TW', 'agent3:agent:en', 'agent4:agent:en', 'lead1:lead:zh-CN', 'lead2:lead:en',
    ]);
    expect(await verifyPassword(demoPassword, users.rows[0]!.password_hash)).toBe(true);
    const tickets = await db.query<{ n: number; min: number; max: number; langs: number }>(
      `select count(*)::int as n, min(number) as min, max(number) as max, count(distinct c.language)::int as langs
       from tickets t join customers c on c.id = t.customer_id
       where not exists (select 1 from conversations v where v.ticket_id = t.id)`,
    );
    expect(tickets.rows[0]).toEqual({ n: 300, min: 1001, max: 1300, langs: 3 });
    // KPI history (issue 14): the teams' zones, contacts up to now in both, presence with lunch breaks.
    const kpi = await db.query<{ name: string; time_zone: string; handled: number; last: Date; breaks: number }>(
      `select t.name, t.time_zone,
         (select count(*)::int from contact_events e where e.team_id = t.id and e.kind = 'ended' and e.agent_id is not null) as handled,
         (select max(at) from contact_events e where e.team_id = t.id) as last,
         (select count(*)::int from presence_log p where p.team_id = t.id and p.state = 'break' and p.reason = 'lunch') as breaks
       from teams t order by t.name`,
    );
    expect(kpi.rows.map((r) => [r.name, r.time_zone])).toEqual([['Team Berlin', 'Europe/Berlin'], ['Team Shanghai', 'Asia/Shanghai']]);
    for (const r of kpi.rows) {
      expect(r.handled).toBeGreaterThan(1000);
      expect(r.breaks).toBeGreaterThan(50);
      expect(r.last.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    // The chat demo's open conversations each come with their own ticket, numbered after the others.
    const chats = await db.query<{ n: number; min: number }>(
      `select count(*)::int as n, min(t.number) as min from tickets t join conversations v on v.ticket_id = t.id`,
    );
    expect(chats.rows[0]).toEqual({ n: 5, min: 1301 });
    const next = await db.query<{ number: number }>(`insert into tickets (subject, channel) values ('next', 'web') returning number`);
    expect(next.rows[0]!.number).toBe(1306);
    const phones = await db.query<{ bad: number }>(`select count(*)::int as bad from customers where phone !~ '^\\+[1-9][0-9]{6,14}$'`);
    expect(phones.rows[0]!.bad).toBe(0);
    const replies = await db.query<{ personal: number; team: number; everyone: number; zh: number }>(
      `select count(*) filter (where owner_id is not null)::int as personal, count(*) filter (where team_id is not null)::int as team,
              count(*) filter (where team_id is null and owner_id is null)::int as everyone,
              count(*) filter (where bodies ? 'zh-CN' and bodies ? 'zh-TW' and bodies ? 'en')::int as zh
       from quick_replies`,
    );
    expect(replies.rows[0]).toEqual({ personal: 6, team: 14, everyone: 10, zh: 30 });
  });

  test('does nothing on a database that already has users', async () => {
    const count = async () => (await db.query<{ n: number }>('select count(*)::int as n from tickets')).rows[0]!.n;
    const before = await count();
    expect(await seedDemo(db, { now })).toBeNull();
    expect(await count()).toBe(before);
  });
});
