import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { openPostgres } from '../db/postgres';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../tests/support/server/throwawayDatabase';
import { type QueueAgent, addAgent, addQueue, addTeam, setAgentPresence } from '../../tests/support/server/queueWorld';
import { agentHangup, answer, callerGone, decline, dispatchAll, enqueue, expireOffers, expireWaits, requestCallback, type QueueCallRow } from './dispatch';

/**
 * Issue 17, voice queue routing on the server: the rules of core/queue/routing.ts run in SQL under row
 * locks. The first block runs on PGlite (one connection); the last one runs many dispatchers, agents and
 * callers at once on a real PostgreSQL (DATABASE_URL), where the locks are what keep it right.
 */
const t0 = Date.parse('2026-03-02T09:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000);

const callOf = async (db: Db, id: string) => (await db.query<QueueCallRow>('select * from queue_calls where id = $1', [id])).rows[0]!;
const kinds = async (db: Db, id: string) => (await db.query<{ kind: string; data: unknown }>('select kind, data from contact_events where contact_id = $1 order by id', [id])).rows;

describe('voice queue routing on one server', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite('memory://');
    await migrate(db);
  });
  afterAll(async () => db?.close());

  test('the longest idle skilled agent rings; on a break, without the skill or the language never rings', async () => {
    const team = await addTeam(db, 'Billing line');
    const q = await addQueue(db, team, { number: '8001', skills: ['billing'], language: 'en' });
    const recent = await addAgent(db, team, 'recent', { skills: ['billing'], idleSince: at(-60) });
    const idle = await addAgent(db, team, 'idle', { skills: ['billing'], idleSince: at(-600) });
    const onBreak = await addAgent(db, team, 'onbreak', { skills: ['billing'], idleSince: at(-9000), presence: 'break' });
    const noSkill = await addAgent(db, team, 'noskill', { skills: ['sales'], idleSince: at(-9000) });
    const zhOnly = await addAgent(db, team, 'zhonly', { skills: ['billing'], languages: ['zh-CN'], idleSince: at(-9000) });

    const first = await enqueue(db, q, '+4930123', null, at(0));
    const second = await enqueue(db, q, '+4930124', null, at(1));
    const third = await enqueue(db, q, '+4930125', null, at(2));
    const offers = await dispatchAll(db, at(3));
    expect(offers.map((o) => [o.callId, o.agentId])).toEqual([
      [first.id, idle.id],
      [second.id, recent.id],
    ]);
    expect((await callOf(db, third.id)).state).toBe('waiting');
    for (const never of [onBreak, noSkill, zhOnly]) {
      const { rows } = await db.query('select 1 from queue_calls where offered_to = $1 or agent_id = $1', [never.id]);
      expect(rows).toEqual([]);
    }

    await answer(db, first.id, idle.id, at(8));
    await callerGone(db, second.id, at(9));
    // The second caller hung up while it rang: abandoned, and its agent is free for the third.
    expect((await dispatchAll(db, at(10))).map((o) => [o.callId, o.agentId])).toEqual([[third.id, recent.id]]);
    await agentHangup(db, first.id, idle.id, at(68));
    expect(await kinds(db, first.id)).toEqual([
      { kind: 'offered', data: {} },
      { kind: 'answered', data: { waitMs: 8000 } },
      { kind: 'ended', data: { talkMs: 60_000 } },
    ]);
    expect(await kinds(db, second.id)).toEqual([
      { kind: 'offered', data: {} },
      { kind: 'abandoned', data: { waitMs: 8000 } },
    ]);
  });

  test('a ring-out goes to the next agent and sets the first not-ready with the reason; a decline only moves on', async () => {
    const team = await addTeam(db, 'Sales line');
    const q = await addQueue(db, team, { number: '8002', skills: ['sales'], ring_seconds: 15 });
    const a = await addAgent(db, team, 'sa', { skills: ['sales'], idleSince: at(-600) });
    const b = await addAgent(db, team, 'sb', { skills: ['sales'], idleSince: at(-300) });
    const call = await enqueue(db, q, '1099', null, at(0));
    expect((await dispatchAll(db, at(0))).map((o) => o.agentId)).toEqual([a.id]);
    expect(await expireOffers(db, at(14))).toEqual([]);
    const rang = await expireOffers(db, at(15));
    expect(rang).toEqual([{ callId: call.id, agentId: a.id, teamIds: [team], queueName: 'Queue 8002' }]);
    const { rows: ar } = await db.query<{ presence: string; not_ready_reason: string; not_ready_queue: string }>(
      'select p.presence, r.not_ready_reason, r.not_ready_queue from agent_presence p join agent_routing r using (user_id) where user_id = $1',
      [a.id],
    );
    expect(ar[0]).toEqual({ presence: 'busy', not_ready_reason: 'rang-out', not_ready_queue: 'Queue 8002' });
    expect((await dispatchAll(db, at(15))).map((o) => o.agentId)).toEqual([b.id]);
    await decline(db, call.id, b.id);
    // b declined and is the only one free: it rings at b again rather than waiting for nobody.
    expect((await dispatchAll(db, at(16))).map((o) => o.agentId)).toEqual([b.id]);
    const { rows: br } = await db.query<{ presence: string }>('select presence from agent_presence where user_id = $1', [b.id]);
    expect(br[0]!.presence).toBe('available');
  });

  test('a callback request keeps the place after the caller hangs up; the maximum wait asks for one or sends to voicemail', async () => {
    const team = await addTeam(db, 'Support line');
    const q = await addQueue(db, team, { number: '8003', max_wait_seconds: 60 });
    const vm = await addQueue(db, team, { number: '8004', max_wait_seconds: 60, on_max_wait: 'voicemail' });
    const early = await enqueue(db, q, '+861012345', null, at(0));
    const late = await enqueue(db, q, '+861012346', null, at(5));
    const toVm = await enqueue(db, vm, '+861012347', null, at(0));
    await requestCallback(db, early.id, at(20));
    await callerGone(db, early.id, at(21));
    expect(await expireWaits(db, at(59))).toEqual([]);
    const outcomes = await expireWaits(db, at(65));
    expect(outcomes.sort((x, y) => x.outcome.localeCompare(y.outcome))).toEqual([
      { callId: late.id, outcome: 'callback' },
      { callId: toVm.id, outcome: 'voicemail' },
    ]);
    expect((await callOf(db, early.id)).state).toBe('waiting');
    const agent = await addAgent(db, team, 'cb', { idleSince: at(0) });
    const offers = await dispatchAll(db, at(70));
    expect(offers.map((o) => o.callId)).toEqual([early.id]);
    expect((await callOf(db, early.id)).callback).toBe(true);
    expect((await kinds(db, early.id)).map((k) => k.kind)).toEqual(['offered', 'callback']);
    await answer(db, early.id, agent.id, at(71));
    expect((await callOf(db, toVm.id)).state).toBe('voicemail');
  });
});

// The many-at-once test needs a real PostgreSQL: PGlite has one connection, so nothing ever runs at once.
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log('server/queues/dispatch.test.ts "many at once" skipped: DATABASE_URL is not set (the unit step starts a PostgreSQL and sets it)');

describe.skipIf(!baseUrl)('voice queue routing, many calls, agents and dispatchers at once (real PostgreSQL)', () => {
  let scratch: ThrowawayDatabase | undefined;
  const dbs: Db[] = [];
  beforeAll(async () => {
    scratch = await createThrowawayDatabase(baseUrl!, 'switchboard_queues');
    for (let i = 0; i < 4; i += 1) dbs.push(await openPostgres(scratch.url));
    await migrate(dbs[0]!);
  });
  afterAll(async () => {
    for (const d of dbs) await d.close();
    await scratch?.drop();
  });

  test('never offered to two agents, never to a busy one, waiting order kept', { timeout: 120_000 }, async () => {
    const db = dbs[0]!;
    // An audit trigger sees every offer inside the offering transaction: whether the agent was free and
    // available, and whether an earlier call of the same queue was still waiting.
    await db.exec(`
      create table offer_audit (seq bigserial primary key, call_id uuid, agent_id uuid, agent_busy boolean, agent_unavailable boolean, earlier_waiting boolean);
      create function audit_offer() returns trigger language plpgsql as $$
      begin
        if new.state = 'offered' and old.state <> 'offered' then
          insert into offer_audit (call_id, agent_id, agent_busy, agent_unavailable, earlier_waiting) values (new.id, new.offered_to,
            exists (select 1 from queue_calls c where c.id <> new.id and (c.offered_to = new.offered_to or (c.agent_id = new.offered_to and c.state = 'connected'))),
            not exists (select 1 from agent_presence p where p.user_id = new.offered_to and p.presence = 'available'),
            exists (select 1 from queue_calls c where c.queue_id = new.queue_id and c.state = 'waiting' and (c.enqueued_at, c.id) < (new.enqueued_at, new.id)));
        end if;
        return new;
      end $$;
      create trigger queue_calls_audit after update on queue_calls for each row execute function audit_offer();`);
    const team = await addTeam(db, 'Floor');
    const queues = [
      await addQueue(db, team, { number: '8101', skills: ['billing'], ring_seconds: 5 }),
      await addQueue(db, team, { number: '8102', skills: ['sales'], language: 'zh-CN', ring_seconds: 5 }),
      await addQueue(db, team, { number: '8103', ring_seconds: 5, strategy: 'fewest-answered' }),
    ];
    const skillSets = [['billing'], ['sales'], ['billing', 'sales'], []];
    const agents: QueueAgent[] = [];
    for (let i = 0; i < 30; i += 1) {
      agents.push(await addAgent(db, team, `agent${i}`, { skills: skillSets[i % 4]!, languages: i % 3 === 0 ? ['en', 'zh-CN'] : ['en'], idleSince: at(-i) }));
    }
    let seed = 17;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

    let clock = 0;
    const now = () => at((clock += 0.05));
    const calls: string[] = [];
    const errors: unknown[] = [];
    const tolerate = (e: unknown) => {
      // A caller or agent acting on a call that moved on meanwhile is normal; anything else is a failure.
      if ((e as Error).name !== 'QueueCallError') errors.push(e);
    };
    let running = true;

    const dispatcher = async (d: Db) => {
      while (running) {
        await dispatchAll(d, now()).catch(tolerate);
        await expireOffers(d, now()).catch(tolerate);
      }
    };
    const callers = async (d: Db) => {
      for (let i = 0; i < 100; i += 1) {
        calls.push((await enqueue(d, pick(queues), `+49${1000 + calls.length}`, null, now())).id);
        if (rand() < 0.15) await callerGone(d, pick(calls), now()).catch(tolerate);
        if (rand() < 0.05) await requestCallback(d, pick(calls), now()).catch(tolerate);
      }
    };
    const floor = async (d: Db) => {
      for (let i = 0; i < 600; i += 1) {
        const a = pick(agents);
        const { rows } = await d.query<{ id: string; state: string }>("select id, state from queue_calls where (offered_to = $1 and state = 'offered') or (agent_id = $1 and state = 'connected')", [a.id]);
        const c = rows[0];
        const r = rand();
        if (c?.state === 'offered') await (r < 0.7 ? answer(d, c.id, a.id, now()) : decline(d, c.id, a.id)).catch(tolerate);
        else if (c?.state === 'connected') await agentHangup(d, c.id, a.id, now()).catch(tolerate);
        else if (r < 0.1) await setAgentPresence(d, a.id, pick(['available', 'available', 'break', 'busy'] as const));
      }
    };
    const work = Promise.all([callers(dbs[1]!), floor(dbs[2]!), floor(dbs[3]!)]);
    const dispatchers = Promise.all([dispatcher(dbs[0]!), dispatcher(dbs[1]!), dispatcher(dbs[3]!)]);
    await work;
    running = false;
    await dispatchers;

    expect(errors).toEqual([]);
    const audit = (await db.query<{ agent_busy: boolean; agent_unavailable: boolean; earlier_waiting: boolean }>('select * from offer_audit')).rows;
    expect(audit.length).toBeGreaterThan(100);
    expect(audit.filter((r) => r.agent_busy)).toEqual([]);
    expect(audit.filter((r) => r.agent_unavailable)).toEqual([]);
    expect(audit.filter((r) => r.earlier_waiting)).toEqual([]);
    // The agents' own marks agree with the calls.
    const { rows: drift } = await db.query(
      `select r.user_id from agent_routing r left join queue_calls c on c.id = r.call_id
       where (r.call_id is not null and (c.state not in ('offered', 'connected') or coalesce(c.offered_to, c.agent_id) <> r.user_id))
          or (r.call_id is null and exists (select 1 from queue_calls x where (x.offered_to = r.user_id) or (x.agent_id = r.user_id and x.state = 'connected')))`,
    );
    expect(drift).toEqual([]);
  });
});
