import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../core/tickets/scope';
import { AgentRoutingInput, type MyQueueState, type QueueCall, type VoiceQueue, VoiceQueueInput, type VoiceQueueList, queueRoutes as paths } from '../../core/wire/queues';
import type { AppContext } from '../http/context';
import { actorOf } from '../http/actor';
import { HttpError, forbidden, notFound, parseWith } from '../http/errors';
import { mayWatch } from '../board/hub';
import { type Dbish, QueueCallError, agentHangup, answer, decline, dispatchAll, expireOffers, expireWaits } from './dispatch';
import { queueFigures } from './figures';
import { pbxQueueRoutes } from './pbxRoutes';

export type QueueOptions = {
  now: () => number;
  /** How often offers that rang out, callers past the maximum wait and waiting calls are dealt with; 0: never (tests call `tick`). */
  tickMs: number;
  /** A queue's figures or an agent's presence changed (the wallboard refreshes those teams). */
  onTeamsChanged?: (teamIds: readonly string[]) => void;
};

export type QueueRuntime = { tick(): Promise<void> };

const CallParams = z.object({ callId: z.uuid('must be a call id') });
const TeamParams = z.object({ teamId: z.uuid('must be a team id') });
const AgentParams = TeamParams.extend({ userId: z.uuid('must be a user id') });

function leadsTeam(actor: Actor, teamId: string): void {
  if (actor.role === 'agent') throw forbidden('Only team leads and admins can do this.');
  if (!mayWatch(actor, teamId)) throw forbidden('You can only manage teams you lead.');
}

const httpOf = (e: unknown): unknown => (e instanceof QueueCallError ? (e.code === 'not-found' ? notFound(e.message) : new HttpError(409, 'conflict', e.message)) : e);

type CallRow = { id: string; queue_name: string; caller: string; callback: boolean; customer_id: string | null; customer_name: string | null; enqueued_at: Date; offer_expires_at: Date | null };
const toCall = (r: CallRow): QueueCall => ({
  callId: r.id,
  queueName: r.queue_name,
  caller: r.caller,
  callback: r.callback,
  customer: r.customer_id && r.customer_name !== null ? { id: r.customer_id, name: r.customer_name } : null,
  enqueuedAt: r.enqueued_at.getTime(),
  expiresAt: r.offer_expires_at?.getTime() ?? null,
});

/**
 * Voice queues: the agent's ringing queue call and its answer, decline and hang-up, the leads' queue numbers
 * and agents' skills, and the tick that moves offers on (server/queues/dispatch.ts does the work).
 */
export function queueRoutes(app: FastifyInstance, ctx: AppContext, opts: QueueOptions): QueueRuntime {
  const db = ctx.db as Dbish;
  const now = () => new Date(opts.now());
  const changed = (teamIds: readonly string[]) => {
    if (teamIds.length > 0) opts.onTeamsChanged?.([...new Set(teamIds)]);
  };

  // One tick at a time; a tick asked for while one runs runs again right after (a call that joined
  // meanwhile is offered at once, not on the next interval).
  async function teamsOfCall(callId: string): Promise<string[]> {
    return (await db.query<{ team_id: string }>('select team_id from queue_calls where id = $1', [callId])).rows.map((r) => r.team_id);
  }

  let ticking: Promise<void> | null = null;
  let again = false;
  async function tickOnce(): Promise<void> {
    const rang = await expireOffers(db, now());
    await expireWaits(db, now());
    const offers = await dispatchAll(db, now());
    if (rang.length > 0 || offers.length > 0) {
      const { rows } = await db.query<{ team_id: string }>('select distinct team_id from voice_queues where id = any($1::uuid[])', [offers.map((o) => o.queueId)]);
      changed([...rang.flatMap((r) => r.teamIds), ...rows.map((r) => r.team_id)]);
    }
  }
  function tick(): Promise<void> {
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = (async () => {
      try {
        do {
          again = false;
          await tickOnce();
        } while (again);
      } finally {
        ticking = null;
      }
    })();
    return ticking;
  }
  /** Something that can free an agent or add a caller happened: dispatch now rather than on the next interval. */
  const kick = (callId: string) => {
    void teamsOfCall(callId).then(changed, () => undefined);
    if (opts.tickMs > 0) void tick().catch((err: unknown) => app.log.warn(`[queues] tick: ${String(err)}`));
  };
  pbxQueueRoutes(app, ctx, opts.now, kick);
  if (opts.tickMs > 0) {
    const timer = setInterval(() => void tick().catch((err: unknown) => app.log.warn(`[queues] tick: ${String(err)}`)), opts.tickMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  const callSelect = `select c.id, q.name as queue_name, c.caller, c.callback, c.customer_id, cu.name as customer_name, c.enqueued_at, c.offer_expires_at
    from queue_calls c join voice_queues q on q.id = c.queue_id left join customers cu on cu.id = c.customer_id`;

  app.get(paths.mine, async (request): Promise<MyQueueState> => {
    const actor = await actorOf(ctx, request);
    const ringing = await db.query<CallRow>(`${callSelect} where c.offered_to = $1 and c.state = 'offered'`, [actor.userId]);
    const connected = await db.query<CallRow>(`${callSelect} where c.agent_id = $1 and c.state = 'connected'`, [actor.userId]);
    // Shown while the agent is still in the not-ready state the server put them in.
    const nr = await db.query<{ not_ready_queue: string; not_ready_at: Date }>(
      `select r.not_ready_queue, r.not_ready_at from agent_routing r join agent_presence p on p.user_id = r.user_id
       where r.user_id = $1 and r.not_ready_reason = 'rang-out' and p.presence = 'busy' and p.updated_at <= r.not_ready_at`,
      [actor.userId],
    );
    const n = nr.rows[0];
    return {
      ringing: ringing.rows[0] ? toCall(ringing.rows[0]) : null,
      connected: connected.rows[0] ? toCall(connected.rows[0]) : null,
      notReady: n ? { reason: 'rang-out', queueName: n.not_ready_queue, at: n.not_ready_at.getTime() } : null,
    };
  });


  app.post(paths.answer, async (request) => {
    const actor = await actorOf(ctx, request);
    const { callId } = parseWith(CallParams, request.params, 'path');
    await answer(db, callId, actor.userId, now()).catch((e: unknown) => Promise.reject(httpOf(e)));
    changed(await teamsOfCall(callId));
    const { rows } = await db.query<CallRow>(`${callSelect} where c.id = $1`, [callId]);
    return toCall(rows[0]!);
  });

  app.post(paths.decline, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { callId } = parseWith(CallParams, request.params, 'path');
    await decline(db, callId, actor.userId).catch((e: unknown) => Promise.reject(httpOf(e)));
    kick(callId);
    return reply.code(204).send();
  });

  app.post(paths.hangup, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { callId } = parseWith(CallParams, request.params, 'path');
    await agentHangup(db, callId, actor.userId, now()).catch((e: unknown) => Promise.reject(httpOf(e)));
    kick(callId);
    return reply.code(204).send();
  });

  app.get(paths.teamQueues, async (request): Promise<VoiceQueueList> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    return { queues: await listQueues(db, teamId, now()) };
  });

  app.post(paths.teamQueues, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    const input = parseWith(VoiceQueueInput, request.body);
    const taken = await db.query('select 1 from voice_queues where number = $1', [input.number]);
    if (taken.rows.length > 0) throw new HttpError(409, 'conflict', `The number ${input.number} is already a queue.`);
    const { rows } = await db.query<{ id: string }>(
      `insert into voice_queues (team_id, name, number, skills, language, strategy, ring_seconds, max_wait_seconds, on_max_wait, answer_target_seconds)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
      [teamId, input.name, input.number, [...new Set(input.skills)], input.language, input.strategy, input.ringSeconds, input.maxWaitSeconds, input.onMaxWait, input.answerTargetSeconds],
    );
    const made = (await listQueues(db, teamId, now())).find((q) => q.id === rows[0]!.id)!;
    return reply.code(201).send(made);
  });

  app.put(paths.agentRouting, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { teamId, userId } = parseWith(AgentParams, request.params, 'path');
    leadsTeam(actor, teamId);
    const input = parseWith(AgentRoutingInput, request.body);
    const member = await db.query('select 1 from team_members where team_id = $1 and user_id = $2', [teamId, userId]);
    if (member.rows.length === 0) throw notFound('This person is not in the team.');
    await db.query(
      `insert into agent_routing (user_id, skills, languages, idle_since) values ($1, $2, $3, $4)
       on conflict (user_id) do update set skills = excluded.skills, languages = excluded.languages`,
      [userId, [...new Set(input.skills)], [...new Set(input.languages)], now()],
    );
    return reply.code(204).send();
  });

  return { tick };
}

type QueueRow = {
  id: string; team_id: string; name: string; number: string; skills: string[]; language: VoiceQueue['language']; strategy: VoiceQueue['strategy'];
  ring_seconds: number; max_wait_seconds: number; on_max_wait: VoiceQueue['onMaxWait']; answer_target_seconds: number;
};

async function listQueues(db: Dbish, teamId: string, at: Date): Promise<VoiceQueue[]> {
  const { rows } = await db.query<QueueRow>('select * from voice_queues where team_id = $1 order by number', [teamId]);
  const figures = await queueFigures(db, teamId, at);
  return rows.map((q) => ({
    id: q.id,
    teamId: q.team_id,
    name: q.name,
    number: q.number,
    skills: q.skills,
    language: q.language,
    strategy: q.strategy,
    ringSeconds: q.ring_seconds,
    maxWaitSeconds: q.max_wait_seconds,
    onMaxWait: q.on_max_wait,
    answerTargetSeconds: q.answer_target_seconds,
    figures: figures.get(q.id) ?? { waiting: 0, oldestSince: null, answeredToday: 0, withinTargetToday: 0, abandonedToday: 0, callbacksWaiting: 0 },
  }));
}
