import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { seedDemo } from './seed';

let db: Db;
beforeAll(async () => {
  db = await openPglite('memory://');
  await migrate(db);
  await seedDemo(db, { tickets: 20, customers: 10, kpiHistory: false });
});
afterAll(async () => {
  await db?.close();
});

describe('chat demo seed', () => {
  test('both teams have queues by language, agents have capacity 3, and the inbox has open chats with ordered messages', async () => {
    const queues = await db.query<{ team: string; language: string }>(
      'select t.name as team, q.language from chat_queues q join teams t on t.id = q.team_id order by t.name, q.language',
    );
    expect(queues.rows.map((q) => `${q.team}:${q.language}`)).toEqual(['Team Berlin:en', 'Team Berlin:en', 'Team Shanghai:zh-CN', 'Team Shanghai:zh-TW']);
    const capacity = await db.query<{ max_chats: number }>("select distinct max_chats from agent_capacity join users u on u.id = user_id where u.role = 'agent'");
    expect(capacity.rows).toEqual([{ max_chats: 3 }]);
    const open = await db.query<{ state: string; n: number }>("select state, count(*)::int as n from conversations group by state order by state");
    expect(open.rows).toEqual([{ state: 'active', n: 2 }, { state: 'queued', n: 3 }]);
    const gaps = await db.query<{ n: number }>(
      'select count(*)::int as n from conversations c where c.last_seq <> (select count(*) from chat_messages m where m.conversation_id = c.id)',
    );
    expect(gaps.rows[0]!.n).toBe(0);
  });
});
