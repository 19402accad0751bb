import type { FastifyInstance } from 'fastify';
import { PbxQueueCallEvent, PbxQueueCallRef, PbxQueueCallStart, type PbxQueueCallStatus, queueRoutes as paths } from '../../core/wire/queues';
import { e164Of } from '../chat/calls';
import { readSignedWebhook } from '../chat/inboundDelivery';
import type { AppContext } from '../http/context';
import { HttpError, badRequest, notFound } from '../http/errors';
import { type Dbish, QueueCallError, agentHangup, answer, callerGone, enqueue, loadQueueByNumber, requestCallback } from './dispatch';

/**
 * The PBX side of voice queues: the PBX that holds a queue call (music, announcement, position message)
 * tells the server the call joined, asks where it stands (its place; the agent extension to ring now), and
 * reports the caller hanging up or asking for a callback and the agent answering. The PBX bridges the
 * caller to the agent itself (a B2BUA: Asterisk Dial, FreeSWITCH bridge), so the caller keeps hearing the
 * music while an agent's phone rings, and when the server moves the call to the next agent after a
 * ring-out the PBX cancels the old leg and rings the new one: the caller never hears silence.
 *
 * Every request is signed with the PBX connector's secret (pbx_connectors, as the chat providers' webhooks).
 */
export function pbxQueueRoutes(app: FastifyInstance, ctx: AppContext, now: () => number, onChanged: (callId: string) => void): void {
  const db = ctx.db as Dbish;

  async function status(callId: string): Promise<PbxQueueCallStatus> {
    const { rows } = await db.query<{
      id: string; queue_name: string; state: PbxQueueCallStatus['state']; callback: boolean; position: number | null; ring: string | null; connected_to: string | null;
    }>(
      `select c.id, q.name as queue_name, c.state, c.callback,
         case when c.state = 'waiting' then (select count(*)::int from queue_calls w where w.queue_id = c.queue_id and w.state in ('waiting', 'offered') and (w.enqueued_at, w.id) <= (c.enqueued_at, c.id)) end as position,
         (select extension from users where id = c.offered_to) as ring,
         (select extension from users where id = c.agent_id and c.state = 'connected') as connected_to
       from queue_calls c join voice_queues q on q.id = c.queue_id where c.id = $1`,
      [callId],
    );
    const r = rows[0];
    if (!r) throw notFound('No such queued call.');
    return { callId: r.id, queueName: r.queue_name, state: r.state, position: r.position, ring: r.ring, connectedTo: r.connected_to, callback: r.callback };
  }

  const rethrow = (e: unknown): never => {
    if (e instanceof QueueCallError) throw e.code === 'not-found' ? notFound(e.message) : new HttpError(409, 'conflict', e.message);
    throw e;
  };

  void app.register(async (scoped) => {
    // The signature covers the raw bytes: this scope parses JSON itself after checking it.
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scoped.post(paths.pbxStart, async (request, reply) => {
      const { body } = await readSignedWebhook(db, request, PbxQueueCallStart, 'PBX', now(), 'pbx_connectors');
      const queue = await loadQueueByNumber(db, body.queueNumber);
      if (!queue) throw notFound(`No queue has the number ${body.queueNumber}.`);
      // The customer this number belongs to, when it is an E.164 number one customer has (the screen pop).
      const e164 = e164Of(body.caller);
      const known = e164 ? await db.query<{ id: string }>('select id from customers where phone = $1 order by created_at limit 2', [e164]) : { rows: [] };
      const customerId = known.rows.length === 1 ? known.rows[0]!.id : null;
      const call = await enqueue(db, queue, body.caller, customerId, new Date(now()));
      onChanged(call.id);
      return reply.code(200).send(await status(call.id));
    });

    scoped.post(paths.pbxStatus, async (request) => {
      const { body } = await readSignedWebhook(db, request, PbxQueueCallRef, 'PBX', now(), 'pbx_connectors');
      return status(body.callId);
    });

    scoped.post(paths.pbxEvents, async (request) => {
      const { body } = await readSignedWebhook(db, request, PbxQueueCallEvent, 'PBX', now(), 'pbx_connectors');
      const at = new Date(now());
      switch (body.event) {
        case 'caller-gone':
          await callerGone(db, body.callId, at).catch(rethrow);
          break;
        case 'callback':
          await requestCallback(db, body.callId, at).catch(rethrow);
          break;
        case 'answered':
        case 'agent-gone': {
          if (!body.extension) throw badRequest('Invalid body: extension: the agent extension is needed with this event');
          const { rows } = await db.query<{ id: string }>('select id from users where extension = $1 and not disabled', [body.extension]);
          if (!rows[0]) throw notFound(`No agent has the extension ${body.extension}.`);
          await (body.event === 'answered' ? answer(db, body.callId, rows[0].id, at) : agentHangup(db, body.callId, rows[0].id, at)).catch(rethrow);
          break;
        }
      }
      onChanged(body.callId);
      return status(body.callId);
    });
  });
}
