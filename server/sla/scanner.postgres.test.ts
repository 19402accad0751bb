import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../tests/support/server/throwawayDatabase';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPostgres } from '../db/postgres';
import { scanOnce } from './scanner';

// Several server instances on one PostgreSQL: each alarm is raised by exactly one of them. Runs when
// DATABASE_URL is set (scripts/e2e.mjs and the unit step start a PostgreSQL and set it).
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log('server/sla/scanner.postgres.test.ts skipped: DATABASE_URL is not set (scripts/e2e.mjs starts a PostgreSQL and sets it)');

describe.skipIf(!baseUrl)('SLA scanner on real PostgreSQL', () => {
  let scratch: ThrowawayDatabase | undefined;
  const dbs: Db[] = [];
  const open = async () => {
    const db = await openPostgres(scratch!.url);
    dbs.push(db);
    return db;
  };

  beforeAll(async () => {
    scratch = await createThrowawayDatabase(baseUrl!, 'switchboard_sla');
    await migrate(await open());
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
    await scratch?.drop();
  });

  test('two instances scanning at the same moments raise each warning, breach and escalation exactly once; a restarted one raises nothing again', async () => {
    const [a, b] = [dbs[0]!, await open()];
    const now = Date.parse('2026-12-07T10:00:00Z');
    const { rows: team } = await a.query<{ id: string }>("insert into teams (name) values ('Team Berlin') returning id");
    const teamId = team[0]!.id;
    // 150 timers past their warning point, 150 past their due time, 100 breached 10 minutes ago unacknowledged.
    const timer = async (warnAgo: number, dueIn: number) => {
      const { rows } = await a.query<{ id: string }>("insert into tickets (subject, team_id, channel) values ('Chat', $1, 'chat') returning id", [teamId]);
      await a.query(
        `insert into sla_timers (ticket_id, team_id, kind, state, target_seconds, warn_percent, business_hours, escalate_after_seconds, started_at, due_at, warn_at)
         values ($1, $2, 'first_response', 'active', 60, 80, false, 120, $3, $4, $5)`,
        [rows[0]!.id, teamId, new Date(now - 60_000), new Date(now + dueIn), new Date(now - warnAgo)],
      );
    };
    for (let i = 0; i < 150; i += 1) await timer(1_000, 10_000);
    for (let i = 0; i < 150; i += 1) await timer(20_000, -1_000);

    const rounds = async (at: number, n: number) => {
      const raised: string[] = [];
      for (let i = 0; i < n; i += 1) {
        const [x, y] = await Promise.all([scanOnce(a, at), scanOnce(b, at)]);
        raised.push(...x.map((r) => `${r.id}:${r.level}`), ...y.map((r) => `${r.id}:${r.level}`));
      }
      return raised;
    };
    const first = await rounds(now, 4);
    expect(new Set(first).size).toBe(first.length);
    const count = async () =>
      Object.fromEntries((await a.query<{ level: string; n: string }>('select level, count(*) as n from sla_alarms group by level order by level')).rows.map((r) => [r.level, Number(r.n)]));
    expect(await count()).toEqual({ breach: 150, warning: 150 });
    expect(first.length).toBe(300);

    // Ten minutes on: the 150 unacknowledged breaches escalate and the 150 warned timers breach, each once;
    // a "restarted" instance (a new pool) finds nothing more.
    const later = now + 600_000;
    const second = await rounds(later, 3);
    expect(new Set(second).size).toBe(second.length);
    expect(second.filter((s) => s.endsWith(':escalation'))).toHaveLength(150);
    expect(second.filter((s) => s.endsWith(':breach'))).toHaveLength(150);
    expect(await count()).toEqual({ breach: 300, escalation: 150, warning: 150 });
    await b.close();
    dbs.splice(dbs.indexOf(b), 1);
    const restarted = await open();
    expect(await scanOnce(restarted, later)).toEqual([]);
    const { rows: dup } = await a.query<{ n: string }>('select count(*) as n from (select timer_id, level from sla_alarms group by 1, 2 having count(*) > 1) d');
    expect(Number(dup[0]!.n)).toBe(0);
  });
});
