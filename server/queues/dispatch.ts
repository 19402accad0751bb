import type { RoutingStrategy } from '../../core/queue/routing';
import type { Locale } from '../../core/locale';
import type { Actor } from '../../core/tickets/scope';
import type { Db, Queryable } from '../db/db';
import { recordContactEvent } from '../kpi/events';
import { writePresence } from '../presence/write';

/**
 * The server's side of voice queue routing (core/queue/routing.ts has the rules and the state diagram).
 * Every change of a call runs in one transaction that holds the call's row lock; an offer also holds the
 * agent's agent_routing row lock and sets its `call_id` in the same transaction, so:
 *   - a call is offered to one agent at a time (queue_calls.offered_to is one column);
 *   - an agent is offered one call at a time and never while on a call (agent_routing.call_id, locked
 *     with `for update skip locked`; PostgreSQL re-checks `call_id is null` on the newest row version, and
 *     the unique indexes of 0170 refuse a second offer or a second connected call outright);
 *   - the waiting order of a queue is kept: one dispatcher per queue at a time (an advisory lock on the
 *     queue), calls taken oldest first, and the round stops at the first call nobody can take.
 */

export type Dbish = Pick<Db, 'transaction'> & Queryable;

export type VoiceQueueRow = {
  id: string;
  team_id: string;
  name: string;
  number: string;
  skills: string[];
  language: Locale | null;
  strategy: RoutingStrategy;
  ring_seconds: number;
  max_wait_seconds: number;
  on_max_wait: 'callback' | 'voicemail';
  answer_target_seconds: number;
};

export type QueueCallState = 'waiting' | 'offered' | 'connected' | 'ended' | 'abandoned' | 'voicemail';

export type QueueCallRow = {
  id: string;
  queue_id: string;
  team_id: string;
  caller: string;
  customer_id: string | null;
  state: QueueCallState;
  callback: boolean;
  enqueued_at: Date;
  offered_to: string | null;
  offer_expires_at: Date | null;
  agent_id: string | null;
  answered_at: Date | null;
  ended_at: Date | null;
  declined_by: string[];
};

export class QueueCallError extends Error {
  override readonly name = 'QueueCallError';
  constructor(
    readonly code: 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** Queue locks live in their own advisory key space (chat routing uses 7600). */
const queueLockSpace = 7617;

async function event(tx: Queryable, call: QueueCallRow, kind: 'offered' | 'answered' | 'ended' | 'abandoned' | 'callback', at: Date, agentId: string | null, data: Record<string, number>): Promise<void> {
  await recordContactEvent(tx, {
    kind,
    at,
    teamId: call.team_id,
    agentId,
    customerId: call.customer_id,
    contactId: call.id,
    ticketId: null,
    channel: 'voice',
    data,
  } as Parameters<typeof recordContactEvent>[1]);
}

const waitedMs = (call: QueueCallRow, now: Date) => Math.max(0, now.getTime() - call.enqueued_at.getTime());

export async function loadQueueByNumber(q: Queryable, number: string): Promise<VoiceQueueRow | null> {
  const { rows } = await q.query<VoiceQueueRow>('select * from voice_queues where number = $1', [number]);
  return rows[0] ?? null;
}

/**
 * Whatever puts a call back in line takes its queue's lock first, then the call's row (the dispatcher's
 * order too, so they cannot deadlock): a dispatcher never offers a later call while an earlier one is
 * being put back.
 */
async function lockQueueOf(tx: Queryable, callId: string): Promise<void> {
  const { rows } = await tx.query<{ queue_id: string }>('select queue_id from queue_calls where id = $1', [callId]);
  if (!rows[0]) throw new QueueCallError('not-found', 'No such queued call.');
  await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [queueLockSpace, rows[0].queue_id]);
}

async function lockCall(tx: Queryable, callId: string): Promise<QueueCallRow> {
  const { rows } = await tx.query<QueueCallRow>('select * from queue_calls where id = $1 for update', [callId]);
  if (!rows[0]) throw new QueueCallError('not-found', 'No such queued call.');
  return rows[0];
}

/** A call joins its queue's line (the PBX's holder answered it); the KPI log sees it offered to the team. */
export async function enqueue(db: Dbish, queue: VoiceQueueRow, caller: string, customerId: string | null, now: Date): Promise<QueueCallRow> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<QueueCallRow>(
      `insert into queue_calls (queue_id, team_id, caller, customer_id, state, enqueued_at) values ($1, $2, $3, $4, 'waiting', $5) returning *`,
      [queue.id, queue.team_id, caller, customerId, now],
    );
    const call = rows[0]!;
    await event(tx, call, 'offered', now, null, {});
    return call;
  });
}

export type OfferMade = { callId: string; agentId: string; queueId: string };

/** The best free, skilled agent of the queue's team, locked; the one the call already rang out at only last. */
async function lockAgent(tx: Queryable, queue: VoiceQueueRow, call: QueueCallRow): Promise<string | null> {
  const order = queue.strategy === 'fewest-answered' ? "case when r.answered_day = current_date then r.answered_today else 0 end, r.idle_since" : 'r.idle_since';
  const { rows } = await tx.query<{ user_id: string }>(
    `select r.user_id from agent_routing r
     join agent_presence p on p.user_id = r.user_id and p.presence = 'available'
     join team_members m on m.user_id = r.user_id and m.team_id = $1
     join users u on u.id = r.user_id and not u.disabled and u.role in ('agent', 'lead')
     where r.call_id is null and r.skills @> $2::text[] and ($3::text is null or $3::text = any(r.languages))
     order by (r.user_id = any($4::uuid[])), ${order}, r.user_id
     limit 1
     for update of r, p skip locked`,
    [queue.team_id, queue.skills, queue.language, call.declined_by],
  );
  return rows[0]?.user_id ?? null;
}

/**
 * Offers a queue's waiting calls, oldest first, until one finds nobody free. One transaction per queue,
 * under the queue's advisory lock (another dispatcher of the same queue waits for it).
 */
export async function dispatchQueue(db: Dbish, queue: VoiceQueueRow, now: Date, limit = 50): Promise<OfferMade[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [queueLockSpace, queue.id]);
    const { rows: calls } = await tx.query<QueueCallRow>(
      "select * from queue_calls where queue_id = $1 and state = 'waiting' order by enqueued_at, id limit $2 for update",
      [queue.id, limit],
    );
    const made: OfferMade[] = [];
    for (const call of calls) {
      const agentId = await lockAgent(tx, queue, call);
      if (!agentId) break;
      await tx.query('update agent_routing set call_id = $2 where user_id = $1', [agentId, call.id]);
      await tx.query("update queue_calls set state = 'offered', offered_to = $2, offer_expires_at = $3 where id = $1", [call.id, agentId, new Date(now.getTime() + queue.ring_seconds * 1000)]);
      made.push({ callId: call.id, agentId, queueId: queue.id });
    }
    return made;
  });
}

/** Every queue with someone waiting, the queue whose caller has waited longest first. */
export async function dispatchAll(db: Dbish, now: Date): Promise<OfferMade[]> {
  const { rows } = await db.query<VoiceQueueRow>(
    `select q.* from voice_queues q join (select queue_id, min(enqueued_at) as oldest from queue_calls where state = 'waiting' group by queue_id) w on w.queue_id = q.id
     order by w.oldest, q.id`,
  );
  const made: OfferMade[] = [];
  for (const q of rows) made.push(...(await dispatchQueue(db, q, now)));
  return made;
}

/** The offered agent takes the call. */
export async function answer(db: Dbish, callId: string, agentId: string, now: Date): Promise<QueueCallRow> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, callId);
    // Someone else's call is "not found" to this caller (its existence is not theirs to know).
    if (call.offered_to !== agentId && call.agent_id !== agentId && !call.declined_by.includes(agentId)) throw new QueueCallError('not-found', 'No such queued call.');
    if (call.state !== 'offered' || call.offered_to !== agentId) throw new QueueCallError('conflict', 'This call is no longer ringing for you.');
    const { rows } = await tx.query<QueueCallRow>(
      "update queue_calls set state = 'connected', agent_id = $2, offered_to = null, offer_expires_at = null, answered_at = $3 where id = $1 returning *",
      [callId, agentId, now],
    );
    await tx.query(
      `update agent_routing set answered_today = case when answered_day = ($2::timestamptz)::date then answered_today + 1 else 1 end,
         answered_day = ($2::timestamptz)::date, not_ready_reason = null, not_ready_queue = null, not_ready_at = null where user_id = $1`,
      [agentId, now],
    );
    await event(tx, call, 'answered', now, agentId, { waitMs: waitedMs(call, now) });
    return rows[0]!;
  });
}

async function freeAgent(tx: Queryable, agentId: string | null, callId: string, now: Date): Promise<void> {
  if (agentId) await tx.query('update agent_routing set call_id = null, idle_since = $3 where user_id = $1 and call_id = $2', [agentId, callId, now]);
}

/** Back in line, at the same place; the agent is skipped for it while anyone else is free. */
async function requeue(tx: Queryable, call: QueueCallRow): Promise<void> {
  await tx.query("update queue_calls set state = 'waiting', offered_to = null, offer_expires_at = null, declined_by = array_append(declined_by, $2) where id = $1", [call.id, call.offered_to]);
  // Not idle since now: the agent did not take a call, so their place among idle agents is unchanged.
  await tx.query('update agent_routing set call_id = null where user_id = $1 and call_id = $2', [call.offered_to, call.id]);
}

export async function decline(db: Dbish, callId: string, agentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockQueueOf(tx, callId);
    const call = await lockCall(tx, callId);
    // Someone else's call is "not found" to this caller (its existence is not theirs to know).
    if (call.offered_to !== agentId && call.agent_id !== agentId && !call.declined_by.includes(agentId)) throw new QueueCallError('not-found', 'No such queued call.');
    if (call.state !== 'offered' || call.offered_to !== agentId) throw new QueueCallError('conflict', 'This call is no longer ringing for you.');
    await requeue(tx, call);
  });
}

export type RangOut = { callId: string; agentId: string; teamIds: string[]; queueName: string };

/**
 * Offers that rang out: the call goes back in line (and to the next agent on the next round), and the agent
 * is set not-ready (`busy`) with the reason their app shows. Each call in its own transaction, re-checked
 * under its lock, so an answer that won the race is kept.
 */
export async function expireOffers(db: Dbish, now: Date): Promise<RangOut[]> {
  const { rows } = await db.query<{ id: string }>("select id from queue_calls where state = 'offered' and offer_expires_at <= $1 order by offer_expires_at", [now]);
  const out: RangOut[] = [];
  for (const { id } of rows) {
    const done = await db.transaction(async (tx) => {
      await lockQueueOf(tx, id);
      const call = await lockCall(tx, id);
      if (call.state !== 'offered' || !call.offered_to || call.offer_expires_at! > now) return null;
      const agentId = call.offered_to;
      await requeue(tx, call);
      const { rows: who } = await tx.query<{ role: Actor['role']; team_ids: string[]; queue: string }>(
        `select u.role, array(select team_id from team_members where user_id = u.id order by team_id) as team_ids, (select name from voice_queues where id = $2) as queue
         from users u where u.id = $1`,
        [agentId, call.queue_id],
      );
      const w = who[0]!;
      await writePresence(tx, { userId: agentId, teamIds: w.team_ids, role: w.role }, 'busy', null, now, 'rang-out');
      await tx.query("update agent_routing set not_ready_reason = 'rang-out', not_ready_queue = $2, not_ready_at = $3 where user_id = $1", [agentId, w.queue, now]);
      return { callId: id, agentId, teamIds: w.team_ids, queueName: w.queue };
    });
    if (done) out.push(done);
  }
  return out;
}

/**
 * The caller hung up (or the holder lost them): unanswered → abandoned, unless they had asked for a
 * callback (then they keep their place); connected → ended, and the agent is idle from now.
 */
export async function callerGone(db: Dbish, callId: string, now: Date): Promise<QueueCallRow> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, callId);
    return finish(tx, call, now);
  });
}

async function finish(tx: Queryable, call: QueueCallRow, now: Date): Promise<QueueCallRow> {
  if (call.state === 'connected') {
    await freeAgent(tx, call.agent_id, call.id, now);
    await event(tx, call, 'ended', now, call.agent_id, { talkMs: Math.max(0, now.getTime() - call.answered_at!.getTime()) });
    return (await tx.query<QueueCallRow>("update queue_calls set state = 'ended', ended_at = $2 where id = $1 returning *", [call.id, now])).rows[0]!;
  }
  if ((call.state === 'waiting' || call.state === 'offered') && !call.callback) {
    if (call.offered_to) await tx.query('update agent_routing set call_id = null where user_id = $1 and call_id = $2', [call.offered_to, call.id]);
    await event(tx, call, 'abandoned', now, null, { waitMs: waitedMs(call, now) });
    return (await tx.query<QueueCallRow>("update queue_calls set state = 'abandoned', offered_to = null, offer_expires_at = null, ended_at = $2 where id = $1 returning *", [call.id, now])).rows[0]!;
  }
  return call;
}

/** The agent hung up a connected call (or finished a callback). */
export async function agentHangup(db: Dbish, callId: string, agentId: string, now: Date): Promise<QueueCallRow> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, callId);
    if (call.agent_id !== agentId && call.offered_to !== agentId) throw new QueueCallError('not-found', 'No such queued call.');
    if (call.state !== 'connected' || call.agent_id !== agentId) throw new QueueCallError('conflict', 'You are not on this call.');
    return finish(tx, call, now);
  });
}

/**
 * The caller asks to be called back (a key press in the holder, or the maximum wait passed): they may hang
 * up and keep their place; the agent who gets it sees a callback and dials the customer.
 */
export async function requestCallback(db: Dbish, callId: string, now: Date): Promise<QueueCallRow> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, callId);
    if ((call.state !== 'waiting' && call.state !== 'offered') || call.callback) throw new QueueCallError('conflict', 'This call is not waiting in line.');
    await event(tx, call, 'callback', now, null, { waitMs: waitedMs(call, now) });
    return (await tx.query<QueueCallRow>('update queue_calls set callback = true where id = $1 returning *', [call.id])).rows[0]!;
  });
}

export type MaxWaitOutcome = { callId: string; outcome: 'callback' | 'voicemail' };

/** Callers past their queue's maximum wait: a callback request (keeps the place) or voicemail. */
export async function expireWaits(db: Dbish, now: Date): Promise<MaxWaitOutcome[]> {
  const { rows } = await db.query<{ id: string; on_max_wait: 'callback' | 'voicemail' }>(
    `select c.id, q.on_max_wait from queue_calls c join voice_queues q on q.id = c.queue_id
     where c.state = 'waiting' and not c.callback and c.enqueued_at + make_interval(secs => q.max_wait_seconds) <= $1`,
    [now],
  );
  const out: MaxWaitOutcome[] = [];
  for (const r of rows) {
    if (r.on_max_wait === 'callback') {
      try {
        await requestCallback(db, r.id, now);
        out.push({ callId: r.id, outcome: 'callback' });
      } catch (e) {
        if (!(e instanceof QueueCallError)) throw e;
      }
      continue;
    }
    const done = await db.transaction(async (tx) => {
      const call = await lockCall(tx, r.id);
      if (call.state !== 'waiting') return false;
      await event(tx, call, 'abandoned', now, null, { waitMs: waitedMs(call, now) });
      await tx.query("update queue_calls set state = 'voicemail', ended_at = $2 where id = $1", [call.id, now]);
      return true;
    });
    if (done) out.push({ callId: r.id, outcome: 'voicemail' });
  }
  return out;
}
