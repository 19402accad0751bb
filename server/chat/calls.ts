import type { FastifyInstance } from 'fastify';
import { truncateText } from '../../core/chat/safeText';
import type { Locale } from '../../core/locale';
import { limits } from '../../core/tickets/model';
import type { Actor } from '../../core/tickets/scope';
import { CallReport, type CallReportResult, callLine, callRoutes } from '../../core/wire/chatCalls';
import type { Queryable } from '../db/db';
import type { AppContext } from '../http/context';
import { parseWith } from '../http/errors';
import { actorOf } from '../http/actor';
import { customerScopePredicate } from '../tickets/scope';
import { conflict } from './errors';
import { loadConversationRow } from './rows';
import type { ChatService } from './service';
import { recordResponse } from '../sla/timers';
import { emitConversation, eventMessage, insertMessage } from './store';
import { createCustomerAndTicket } from './ticketLink';
import { contactEvent } from './contactEvents';
import type { ConversationRow } from './rows';

/**
 * A reported call's contact events, in the report's transaction (a resent report is answered as a
 * duplicate before this runs, so a call is never counted twice). Inbound: offered when it rang, answered
 * after `ringMs` if it connected. Outbound calls are the agent's own work: handled, but no offer (an agent's
 * callback is not the customer coming back, for first-contact resolution) and no speed of answer. A call
 * that never connected ends unhandled.
 */
async function callEvents(tx: Queryable, row: ConversationRow, agentId: string, report: CallReport): Promise<void> {
  const started = report.startedAt;
  const connected = report.durationMs > 0;
  const ring = report.ringMs ?? 0;
  if (report.direction === 'inbound') {
    await contactEvent(tx, row, 'offered', new Date(started), null, {});
    if (connected) await contactEvent(tx, row, 'answered', new Date(started + ring), agentId, { waitMs: ring });
  }
  const ended = new Date(started + (report.direction === 'inbound' ? ring : 0) + report.durationMs);
  await contactEvent(tx, row, 'ended', ended, connected ? agentId : null, { talkMs: report.durationMs });
  if (connected && report.wrapUpMs !== undefined) {
    await contactEvent(tx, row, 'wrap_up', new Date(ended.getTime() + report.wrapUpMs), agentId, {
      wrapUpMs: report.wrapUpMs,
      ...(report.disposition ? { disposition: report.disposition } : {}),
    });
  }
}

/**
 * POST /chat/calls (core/wire/chatCalls.ts): a finished phone call becomes a closed `voice` conversation
 * of the customer, with one `voice-call` history line and a note on the linked ticket, so it shows in the
 * inbox next to the customer's chats. One transaction; the report id is the history line's id, so a
 * report the app resends after a lost response is found and answered as a duplicate.
 */

type TicketRef = { id: string; team_id: string | null; customer_id: string | null };

const openStatuses = ['new', 'open', 'pending'];

/** "+49 30 1234", "0049301234" → "+49301234"; a bare extension or SIP user has no E.164 form. */
export function e164Of(remote: string): string | null {
  const trimmed = remote.trim();
  const digits = trimmed.replace(/\D/g, '');
  const e164 = trimmed.startsWith('+') ? `+${digits}` : trimmed.startsWith('00') ? `+${digits.slice(2)}` : null;
  return e164 && /^\+[1-9][0-9]{6,14}$/.test(e164) ? e164 : null;
}

/**
 * $2: the actor's teams (null for an admin): the tickets a call may be filed on. A call note is a write,
 * so the team must be the actor's (core/tickets/scope canWrite/canComment); being the assignee is not enough.
 */
const writableTicket = '($2::uuid[] is null or team_id = any($2::uuid[]))';
const teamsParam = (actor: Actor) => (actor.role === 'admin' ? null : actor.teamIds);

async function ticketOf(tx: Queryable, actor: Actor, id: string): Promise<TicketRef | null> {
  const { rows } = await tx.query<TicketRef>(`select id, team_id, customer_id from tickets where id = $1 and ${writableTicket}`, [id, teamsParam(actor)]);
  return rows[0] ?? null;
}

/**
 * The caller's customer for this call: the ticket's, the one the app named, or the first with the
 * number, each only within the caller's customer scope (tickets/scope.ts). A number known only to
 * another team is a new contact here: linking it would show that team's customer and history.
 */
async function customerOf(tx: Queryable, actor: Actor, report: CallReport, ticket: TicketRef | null): Promise<string | null> {
  if (ticket?.customer_id) return ticket.customer_id;
  const find = async (where: string, value: string) => {
    const params: unknown[] = [value];
    const scope = customerScopePredicate(actor, params);
    const { rows } = await tx.query<{ id: string }>(`select cu.id from customers cu where ${where} = $1 and ${scope} order by cu.created_at limit 1`, params);
    return rows[0]?.id ?? null;
  };
  const named = report.customerId ? await find('cu.id', report.customerId) : null;
  if (named) return named;
  const phone = e164Of(report.remote);
  return phone ? find('cu.phone', phone) : null;
}

export function createCallRecorder(service: ChatService, now: () => number) {
  return async function recordCall(actor: Actor, report: CallReport): Promise<CallReportResult> {
    return service.write(async (tx, work) => {
      const { rows: seen } = await tx.query<{ conversation_id: string; ticket_id: string }>(
        'select m.conversation_id, c.ticket_id from chat_messages m join conversations c on c.id = m.conversation_id where m.id = $1',
        [report.id],
      );
      if (seen[0]) return { conversationId: seen[0].conversation_id, messageId: report.id, ticketId: seen[0].ticket_id, duplicate: true };

      const at = new Date(now());
      const teamId = actor.teamIds[0] ?? null;
      let ticket = report.ticketId ? await ticketOf(tx, actor, report.ticketId) : null;
      let customerId = await customerOf(tx, actor, report, ticket);
      if (!ticket && customerId) {
        const { rows } = await tx.query<TicketRef>(
          `select id, team_id, customer_id from tickets where customer_id = $1 and status = any($3::text[]) and ${writableTicket}
           order by updated_at desc limit 1`,
          [customerId, teamsParam(actor), openStatuses],
        );
        ticket = rows[0] ?? null;
      }
      const team = ticket?.team_id ?? teamId;
      if (!team) throw conflict('A call is filed under a team; you are in none.');
      const { rows: teams } = await tx.query<{ language: Locale }>('select language from teams where id = $1', [team]);
      const language = teams[0]?.language ?? 'en';
      const who = report.remoteName?.trim() || report.remote.trim();
      if (!customerId) {
        const made = await createCustomerAndTicket(tx, { channel: 'voice', customer: { name: truncateText(who, 200).text, language, country: null }, teamId: team, now: at });
        await tx.query('update customers set phone = $2 where id = $1', [made.customerId, e164Of(report.remote)]);
        await tx.query('update tickets set assignee_id = $2 where id = $1', [made.ticketId, actor.userId]);
        customerId = made.customerId;
        ticket = { id: made.ticketId, team_id: team, customer_id: made.customerId };
      } else if (!ticket) {
        const subject = truncateText(`Call with ${who}`, limits.subject).text;
        const { rows } = await tx.query<TicketRef>(
          `insert into tickets (subject, status, priority, customer_id, team_id, assignee_id, channel, created_at, updated_at)
           values ($1, 'open', 'normal', $2, $3, $4, 'voice', $5, $5) returning id, team_id, customer_id`,
          [subject, customerId, team, actor.userId, at],
        );
        ticket = rows[0]!;
      }

      const { rows: queues } = await tx.query<{ id: string }>('select id from chat_queues where team_id = $1 order by name limit 1', [team]);
      if (!queues[0]) throw conflict('The team has no queue to file the call under.');
      const started = new Date(report.startedAt);
      const ended = new Date(report.startedAt + report.durationMs);
      const { rows: conv } = await tx.query<{ id: string }>(
        `insert into conversations (ticket_id, channel, customer_id, queue_id, team_id, assignee_id, state, language, external_address,
           created_at, last_message_at, closed_at)
         values ($1, 'voice', $2, $3, $4, $5, 'closed', $6, $7, $8, $9, $10) returning id`,
        [ticket.id, customerId, queues[0].id, team, actor.userId, language, report.remote, started, ended, at],
      );
      const row = (await loadConversationRow(tx, conv[0]!.id, true))!;
      await callEvents(tx, row, actor.userId, report);
      const line = callLine(report);
      await insertMessage(tx, row, { ...eventMessage(report.id, 'voice-call', line), authorId: actor.userId }, started);
      await emitConversation(tx, row.id, { type: 'conversation' });

      const note = `${line}${report.disposition ? ` · ${report.disposition}` : ''}`;
      await tx.query("insert into ticket_comments (ticket_id, author_id, kind, body, created_at) values ($1, $2, 'internal', $3, $4)", [ticket.id, actor.userId, note, at]);
      await tx.query('update tickets set updated_at = $2 where id = $1', [ticket.id, at]);
      // Voice (core/sla/policy.ts): a call the agent answered, or a call-back the customer picked up, is the
      // response; a missed call leaves the ticket's response timer running (someone must call back).
      if (report.outcome === 'answered') await recordResponse(tx, ticket.id, started);
      work.touch({ ticketId: ticket.id, teamIds: [team], userIds: [actor.userId] });
      return { conversationId: row.id, messageId: report.id, ticketId: ticket.id, duplicate: false };
    });
  };
}

export function callReportRoutes(app: FastifyInstance, ctx: AppContext, service: ChatService, now: () => number): void {
  const recordCall = createCallRecorder(service, now);
  app.post(callRoutes.calls, async (request) => recordCall(await actorOf(ctx, request), parseWith(CallReport, request.body)));
}
