import { randomUUID } from 'node:crypto';
import type { Actor } from '../../core/tickets/scope';
import type { Presence } from '../../core/presence';
import { type AgentSendRequest, type Channel, type Conversation, type Message, type PresenceState, type TransferRequest, type VoiceEventRequest, voiceEventLine } from '../../core/wire/chat';
import type { SurveyRequest } from '../../core/wire/chatWidget';
import type { Db, Queryable } from '../db/db';
import { forbidden, notFound } from '../http/errors';
import { conflict } from './errors';
import { countQuickReplyUse } from './quickReplies';
import type { ChatHub } from './hub';
import { enqueueEmailReply } from './email';
import { enqueueOutbound } from './outbox';
import { type ConversationRow, loadConversationRow, loadMessage, toConversation } from './rows';
import { type Skills, type TicketTouch, assign, capacityOf, defaultMaxChats, loadQueue, lockRouting, pickQueue, route, unoffer } from './routing';
import { appendEvent, emitConversation, eventMessage, insertMessage } from './store';
import { answeredAt, contactEvent, hasEvent, waitingSince } from './contactEvents';
import { createCustomerAndTicket, moveTicket, writeSurvey, writeTranscript } from './ticketLink';
import { writePresence } from '../presence/write';
import { abandonTimers } from '../sla/timers';

export type ChatServiceDeps = {
  db: Db;
  hub: ChatHub;
  now: () => number;
  /** Ticket rows changed outside a sync push: poke the concerned clients so they pull. */
  onTicketsChanged(touches: TicketTouch[]): void;
  /** An agent reply waits in the messaging outbox: try to deliver it now. */
  onOutbound(): void;
  /** An agent's presence or break reason changed (the wallboard of these teams is told). */
  onPresenceChanged?(teamIds: readonly string[]): void;
};

export type StartInput = {
  channel: Channel;
  name: string;
  skills: Skills;
  email?: string | null;
  providerId?: string | null;
  externalAddress?: string | null;
};

type Work = { touch(t: TicketTouch | null): void; outbound(): void };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who may look at and work on a conversation: its team, its assignee or offered agent, admins. */
export function mayWork(actor: Actor, conv: Pick<ConversationRow, 'team_id' | 'assignee_id' | 'offered_to_id'>): boolean {
  return actor.role === 'admin' || conv.assignee_id === actor.userId || conv.offered_to_id === actor.userId || actor.teamIds.includes(conv.team_id);
}

const leadsIt = (actor: Actor, conv: ConversationRow) => actor.role === 'admin' || (actor.role === 'lead' && actor.teamIds.includes(conv.team_id));

export type ChatService = ReturnType<typeof createChatService>;

export function createChatService(deps: ChatServiceDeps) {
  const { db, hub } = deps;
  const now = () => new Date(deps.now());

  /** One transaction; after it commits, realtime delivery, the sync poke and the outbox kick. */
  async function write<T>(fn: (tx: Queryable, work: Work) => Promise<T>): Promise<T> {
    const touches: TicketTouch[] = [];
    let outbound = false;
    const result = await db.transaction((tx) =>
      fn(tx, {
        touch: (t) => {
          if (t) touches.push(t);
        },
        outbound: () => {
          outbound = true;
        },
      }),
    );
    await hub.flush();
    if (touches.length) deps.onTicketsChanged(touches);
    if (outbound) deps.onOutbound();
    return result;
  }

  async function locked(tx: Queryable, id: string, actor: Actor | null): Promise<ConversationRow> {
    const conv = await loadConversationRow(tx, id, true);
    if (!conv || (actor && !mayWork(actor, conv))) throw notFound('No such conversation.');
    return conv;
  }

  async function routeAndReport(tx: Queryable, work: Work, id: string) {
    await lockRouting(tx);
    work.touch(await route(tx, id, now()));
  }

  return {
    write,

    /** A new conversation from any channel: customer, ticket, queue by skill, first routing attempt. */
    async start(input: StartInput): Promise<ConversationRow> {
      return write(async (tx, work) => {
        // Lock order is routing, then the event log (store.ts); every path takes them in that order, or
        // two transactions deadlock (seen: a chat starting while another was accepted).
        await lockRouting(tx);
        const at = now();
        const queue = await pickQueue(tx, input.skills);
        const { customerId, ticketId, slaDue } = await createCustomerAndTicket(tx, {
          channel: input.channel,
          customer: { name: input.name, language: input.skills.language, country: input.skills.country ?? null, email: input.email ?? null },
          teamId: queue.team_id,
          now: at,
        });
        const { rows } = await tx.query<{ id: string }>(
          `insert into conversations (ticket_id, channel, customer_id, queue_id, team_id, state, language, country, product,
             provider_id, external_address, created_at, last_message_at, sla_due_at)
           values ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $9, $10, $11, $11, $12) returning id`,
          [ticketId, input.channel, customerId, queue.id, queue.team_id, input.skills.language, input.skills.country ?? null,
            input.skills.product ?? null, input.providerId ?? null, input.externalAddress ?? null, at, slaDue],
        );
        const id = rows[0]!.id;
        const conv = (await loadConversationRow(tx, id, true))!;
        await contactEvent(tx, conv, 'offered', at, null, {});
        await insertMessage(tx, conv, eventMessage(randomUUID(), 'conversation-started', `Conversation started in ${queue.name}`), at);
        await emitConversation(tx, id, { type: 'conversation' });
        work.touch({ ticketId, teamIds: [queue.team_id], userIds: [] });
        await routeAndReport(tx, work, id);
        return (await loadConversationRow(tx, id))!;
      });
    },

    async list(actor: Actor): Promise<Conversation[]> {
      // An admin sees every conversation: no user or team parameters, since PostgreSQL refuses a parameter
      // whose type no expression names.
      const params: unknown[] = [new Date(deps.now() - 24 * 3_600_000)];
      if (actor.role !== 'admin') params.push(actor.userId, actor.teamIds);
      const visible =
        actor.role === 'admin'
          ? 'true'
          : `(c.assignee_id = $2 or c.offered_to_id = $2 or (c.team_id = any($3::uuid[]) and (c.assignee_id is null or ${actor.role === 'lead'})))`;
      const { rows } = await db.query<ConversationRow>(
        `select c.*, t.number as ticket_number, cu.name as customer_name, u.display_name as assignee_name
         from conversations c join tickets t on t.id = c.ticket_id join customers cu on cu.id = c.customer_id
         left join users u on u.id = c.assignee_id
         where (c.state <> 'closed' or c.closed_at > $1) and ${visible}
         order by c.last_message_at desc limit 500`,
        params,
      );
      return rows.map(toConversation);
    },

    async get(actor: Actor, id: string): Promise<ConversationRow> {
      const conv = await loadConversationRow(db, id);
      if (!conv || !mayWork(actor, conv)) throw notFound('No such conversation.');
      return conv;
    },

    async accept(actor: Actor, id: string): Promise<Conversation> {
      return write(async (tx, work) => {
        await lockRouting(tx);
        const conv = await locked(tx, id, actor);
        if (conv.state === 'active' && conv.assignee_id === actor.userId) return toConversation(conv);
        if (conv.state === 'active') throw conflict(`${conv.assignee_name ?? 'Another agent'} already took this chat.`);
        if (conv.state === 'offered' && conv.offered_to_id !== actor.userId) throw conflict('This chat is offered to another agent right now.');
        if (conv.state === 'closed') throw conflict('This chat has ended.');
        work.touch(await assign(tx, conv, actor.userId, now()));
        return toConversation((await loadConversationRow(tx, id))!);
      });
    },

    async decline(actor: Actor, id: string): Promise<Conversation> {
      return write(async (tx, work) => {
        await lockRouting(tx);
        const conv = await locked(tx, id, actor);
        if (conv.state !== 'offered' || conv.offered_to_id !== actor.userId) throw conflict('This chat is not offered to you.');
        await unoffer(tx, conv);
        work.touch(await route(tx, id, now()));
        return toConversation((await loadConversationRow(tx, id))!);
      });
    },

    async send(actor: Actor, id: string, req: Required<Pick<AgentSendRequest, 'id' | 'body'>> & AgentSendRequest): Promise<Message> {
      return write(async (tx, work) => {
        const conv = await locked(tx, id, actor);
        const existing = await tx.query<{ conversation_id: string }>('select conversation_id from chat_messages where id = $1', [req.id]);
        if (existing.rows[0]) return (await insertMessage(tx, conv, { id: req.id, author: 'agent', authorId: actor.userId, authorName: null, kind: 'text', body: req.body }, now())).message;
        if (conv.state === 'closed') throw conflict('This chat has ended; the customer cannot see new messages.');
        const kind = req.kind ?? 'text';
        const mine = conv.assignee_id === actor.userId;
        if (kind === 'text' && !mine) throw forbidden('Accept the chat before writing to the customer.');
        const { rows } = await tx.query<{ display_name: string }>('select display_name from users where id = $1', [actor.userId]);
        const author = kind === 'note' && !mine && actor.role !== 'agent' ? 'coach' : 'agent';
        const { message, created, slaChanged } = await insertMessage(tx, conv, { id: req.id, author, authorId: actor.userId, authorName: rows[0]?.display_name ?? null, kind, body: req.body }, now());
        // KPI: the first reply the customer sees, timed from when the customer's contact began.
        if (created && kind === 'text' && mine && !(await hasEvent(tx, conv.id, 'first_response'))) {
          await contactEvent(tx, conv, 'first_response', now(), actor.userId, { afterMs: Math.max(0, now().getTime() - conv.created_at.getTime()) });
        }
        // The reply stopped the ticket's response timer: its "Overdue" goes away on every screen that shows it.
        if (slaChanged) work.touch({ ticketId: conv.ticket_id, teamIds: [conv.team_id], userIds: conv.assignee_id ? [conv.assignee_id] : [] });
        if (created && req.quickReplyId && uuidPattern.test(req.quickReplyId)) {
          await countQuickReplyUse(tx, actor, req.quickReplyId);
        }
        if (created && kind === 'text' && conv.channel === 'messaging' && conv.provider_id && conv.external_address) {
          await enqueueOutbound(tx, { providerId: conv.provider_id, to: conv.external_address, message }, now());
          work.outbound();
        } else if (created && kind === 'text' && conv.channel === 'email') {
          await enqueueEmailReply(tx, conv, message, now());
          work.outbound();
        }
        return message;
      });
    },

    async typingAgent(actor: Actor, id: string, typing: boolean): Promise<void> {
      const conv = await this.get(actor, id);
      if (conv.assignee_id !== actor.userId) return;
      const { rows } = await db.query<{ display_name: string }>('select display_name from users where id = $1', [actor.userId]);
      hub.typing(target(conv), { who: 'agent', userId: actor.userId, typing, agentName: rows[0]?.display_name ?? null });
    },

    typingCustomer(conv: ConversationRow, typing: boolean): void {
      hub.typing(target(conv), { who: 'customer', userId: null, typing, agentName: null });
    },

    async markRead(side: 'agent' | 'customer', conv0: ConversationRow, upToSeq: number): Promise<void> {
      await write(async (tx) => {
        const conv = (await loadConversationRow(tx, conv0.id, true))!;
        const upTo = Math.min(upToSeq, conv.last_seq);
        const current = side === 'agent' ? conv.agent_read_seq : conv.customer_read_seq;
        if (upTo <= current) return;
        const at = now();
        const readAuthors = side === 'agent' ? ['customer'] : ['agent', 'system'];
        await tx.query('update chat_messages set read_at = $3 where conversation_id = $1 and seq <= $2 and read_at is null and author = any($4)', [conv.id, upTo, at, readAuthors]);
        if (side === 'agent') {
          await tx.query(
            `update conversations set agent_read_seq = $2,
               unread_for_agent = (select count(*) from chat_messages where conversation_id = $1 and author = 'customer' and seq > $2)
             where id = $1`,
            [conv.id, upTo],
          );
        } else {
          await tx.query('update conversations set customer_read_seq = $2 where id = $1', [conv.id, upTo]);
        }
        await appendEvent(tx, conv, { type: 'read', conversationId: conv.id, by: side, upToSeq: upTo, readAt: at.getTime() }, { customerVisible: side === 'agent' });
      });
    },

    async transfer(actor: Actor, id: string, req: TransferRequest): Promise<Conversation> {
      return write(async (tx, work) => {
        await lockRouting(tx);
        const conv = await locked(tx, id, actor);
        if (conv.state === 'closed') throw conflict('This chat has ended.');
        if (conv.assignee_id !== actor.userId && !leadsIt(actor, conv)) throw forbidden('Only the assigned agent or a team lead can transfer this chat.');
        const at = now();
        const from = conv.assignee_id ?? actor.userId;
        if ('toAgentId' in req) {
          const { rows } = await tx.query<{ display_name: string }>(
            'select u.display_name from users u join team_members m on m.user_id = u.id and m.team_id = $2 where u.id = $1 and not u.disabled',
            [req.toAgentId, conv.team_id],
          );
          if (!rows[0]) throw notFound("That agent is not in this chat's team; transfer to their team's queue instead.");
          await contactEvent(tx, conv, 'transferred', at, from, { toAgentId: req.toAgentId, toTeamId: conv.team_id });
          const queue = (await loadQueue(tx, conv.queue_id))!;
          const expires = new Date(at.getTime() + queue.offer_timeout_seconds * 1000);
          await tx.query('delete from conversation_declines where conversation_id = $1 and user_id = $2', [id, req.toAgentId]);
          await insertMessage(tx, conv, eventMessage(randomUUID(), 'transferred', `Transferred to ${rows[0].display_name}`), at);
          await tx.query("update conversations set state = 'offered', assignee_id = null, offered_to_id = $2, offer_expires_at = $3 where id = $1", [id, req.toAgentId, expires]);
          const row = await emitConversation(tx, id, { type: 'assignment', previousAssigneeId: conv.assignee_id });
          await appendEvent(tx, row, { type: 'offer', conversationId: id, agentId: req.toAgentId, expiresAt: expires.getTime(), conversation: toConversation(row) }, { customerVisible: false });
        } else {
          const queue = await loadQueue(tx, req.toQueueId);
          if (!queue) throw notFound('No such queue.');
          await contactEvent(tx, conv, 'transferred', at, from, { toTeamId: queue.team_id });
          // Back in a queue (maybe another team's): it waits again, and speed of answer counts from here.
          await contactEvent(tx, conv, 'offered', at, null, {}, queue.team_id);
          await insertMessage(tx, conv, eventMessage(randomUUID(), 'transferred', `Transferred to ${queue.name}`), at);
          await tx.query(
            "update conversations set state = 'queued', queue_id = $2, team_id = $3, assignee_id = null, offered_to_id = null, offer_expires_at = null where id = $1",
            [id, queue.id, queue.team_id],
          );
          await tx.query('delete from conversation_declines where conversation_id = $1', [id]);
          work.touch(await moveTicket(tx, conv.ticket_id, queue.team_id, at));
          await emitConversation(tx, id, { type: 'assignment', previousAssigneeId: conv.assignee_id });
          work.touch(await route(tx, id, at));
        }
        if (req.note) {
          const row = (await loadConversationRow(tx, id))!;
          await insertMessage(tx, row, { id: randomUUID(), author: 'agent', authorId: actor.userId, authorName: null, kind: 'note', body: req.note }, at);
        }
        return toConversation((await loadConversationRow(tx, id))!);
      });
    },

    /**
     * Coaching takeover: a lead of the chat's team takes it at once (no offer to accept). The agent is told
     * by the assignment event (previousAssigneeId) and by the history line everyone sees.
     */
    async takeover(actor: Actor, id: string): Promise<Conversation> {
      return write(async (tx, work) => {
        await lockRouting(tx);
        const conv = await locked(tx, id, actor);
        if (actor.role !== 'lead' || !leadsIt(actor, conv)) throw forbidden("Only a lead of this chat's team can take it over.");
        if (conv.state === 'closed') throw conflict('This chat has ended.');
        if (conv.state === 'active' && conv.assignee_id === actor.userId) return toConversation(conv);
        const { rows } = await tx.query<{ display_name: string }>('select display_name from users where id = $1', [actor.userId]);
        const at = now();
        await insertMessage(tx, conv, eventMessage(randomUUID(), 'transferred', `Taken over by ${rows[0]?.display_name ?? 'the team lead'}`), at);
        work.touch(await assign(tx, conv, actor.userId, at));
        return toConversation((await loadConversationRow(tx, id))!);
      });
    },

    async close(actor: Actor | null, id: string): Promise<Conversation> {
      return write(async (tx, work) => {
        const conv = await locked(tx, id, actor);
        if (conv.state === 'closed') return toConversation(conv);
        if (actor && conv.assignee_id !== actor.userId && !leadsIt(actor, conv) && conv.assignee_id !== null) {
          throw forbidden('Only the assigned agent or a team lead can close this chat.');
        }
        const at = now();
        await insertMessage(tx, conv, eventMessage(randomUUID(), 'closed', 'The chat has ended'), at);
        // The customer leaving (no actor: the widget) before any agent answered is an abandoned contact.
        const { rows: closedRows } = await tx.query<{ abandoned_at: Date | null }>(
          `update conversations set state = 'closed', offered_to_id = null, offer_expires_at = null, closed_at = $2,
             abandoned_at = case when $3::boolean and answered_at is null then $2::timestamptz else null end where id = $1
           returning abandoned_at`,
          [id, at, actor === null],
        );
        if (closedRows[0]?.abandoned_at) {
          // Before the transcript solves the ticket (which would stop its timers as met): see abandonTimers.
          await abandonTimers(tx, conv.ticket_id, at);
          const since = await waitingSince(tx, id);
          await contactEvent(tx, conv, 'abandoned', at, null, { waitMs: since === null ? 0 : Math.min(30 * 86_400_000, Math.max(0, at.getTime() - since)) });
        }
        // KPI: handled by the assignee (talk = from their answer to now); closed unassigned = not handled.
        const agent = conv.assignee_id;
        const since = agent ? await answeredAt(tx, id, agent) : null;
        await contactEvent(tx, conv, 'ended', at, agent, { talkMs: since === null ? 0 : Math.max(0, at.getTime() - since) });
        // The widget asks the customer for a rating once a handled web chat ends (the CSAT response rate's base).
        if (agent && conv.channel === 'webchat') await contactEvent(tx, conv, 'survey', at, agent, { answered: false });
        await emitConversation(tx, id, { type: 'conversation' });
        work.touch(await writeTranscript(tx, id, conv.ticket_id, actor?.userId ?? null, at));
        return toConversation((await loadConversationRow(tx, id))!);
      });
    },

    async survey(conv0: ConversationRow, survey: Required<SurveyRequest>): Promise<void> {
      await write(async (tx, work) => {
        const conv = (await loadConversationRow(tx, conv0.id, true))!;
        if (conv.state !== 'closed') throw conflict('The survey opens when the chat has ended.');
        const { rows } = await tx.query<{ n: number }>(
          `insert into survey_responses (conversation_id, ticket_id, liked, disliked, improve, score, created_at)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning 1 as n`,
          [conv.id, conv.ticket_id, survey.liked, survey.disliked, survey.improve, survey.score, now()],
        );
        if (!rows[0]) throw conflict('This survey was already answered. Thank you!');
        await contactEvent(tx, conv, 'survey', now(), conv.assignee_id, { answered: true, score: survey.score });
        work.touch(await writeSurvey(tx, conv.ticket_id, survey, now()));
        await insertMessage(tx, conv, eventMessage(randomUUID(), 'survey-answered', `Survey answered: ${survey.score}/5`), now());
      });
    },

    /**
     * A call's start or end as a system line the customer sees: only the conversation's assigned agent,
     * only while it is open, and only the server's own wording of the structured event (voiceEventLine).
     */
    async voiceEvent(actor: Actor, req: VoiceEventRequest): Promise<Message> {
      return write(async (tx) => {
        const conv = await locked(tx, req.conversationId, actor);
        const existing = await loadMessage(tx, req.eventId);
        if (existing) {
          // A retried post: the same line, but never another conversation's or another author's.
          if (existing.conversationId !== conv.id || existing.authorId !== actor.userId) throw conflict('That event id is already used.');
          return existing;
        }
        if (conv.assignee_id !== actor.userId) throw forbidden('Only the agent the chat is assigned to can add call events to it.');
        if (conv.state === 'closed') throw conflict('This chat has ended.');
        const code = req.phase === 'started' ? 'voice-call-started' : 'voice-call-ended';
        return (await insertMessage(tx, conv, { ...eventMessage(req.eventId, code, voiceEventLine(req)), authorId: actor.userId }, now())).message;
      });
    },

    /** The agent's presence (and break reason): validated and written by server/presence/write.ts (which also records the history), then routing and the wallboard hear it. */
    async setPresence(actor: Actor, presence: Presence, reasonId: string | null = null): Promise<PresenceState> {
      const written = await db.transaction((tx) => writePresence(tx, actor, presence, reasonId, now()));
      if (written.changed) deps.onPresenceChanged?.(actor.teamIds);
      if (presence === 'available') await this.routeWaiting(actor.teamIds);
      const { active, max } = await capacityOf(db, actor.userId);
      return { presence, reasonId: written.reasonId, since: written.since, maxChats: max, activeChats: active };
    },

    /** Offers waiting conversations of the given teams (all teams when null), oldest first. */
    async routeWaiting(teamIds: readonly string[] | null): Promise<void> {
      // Only chats some teammate could take right now: the sweep runs every few seconds, and a transaction
      // per waiting chat while the whole team is on break would be work for nothing.
      const { rows } = await db.query<{ id: string }>(
        `select c.id from conversations c
         where c.state = 'queued' and ($1::uuid[] is null or c.team_id = any($1::uuid[]))
           and exists (
             select 1 from team_members m join agent_presence p on p.user_id = m.user_id and p.presence = 'available'
             where m.team_id = c.team_id
               and (select count(*) from conversations o where o.offered_to_id = m.user_id or (o.assignee_id = m.user_id and o.state = 'active'))
                 < coalesce((select max_chats from agent_capacity where user_id = m.user_id), $2::int)
               and not exists (select 1 from conversation_declines d where d.conversation_id = c.id and d.user_id = m.user_id))
         order by c.created_at limit 200`,
        [teamIds, defaultMaxChats],
      );
      for (const { id } of rows) await write((tx, work) => routeAndReport(tx, work, id));
    },

    /** Lapsed offers go to the next agent; then everything waiting gets a routing attempt. */
    async sweep(): Promise<void> {
      const { rows } = await db.query<{ id: string }>("select id from conversations where state = 'offered' and offer_expires_at <= $1", [now()]);
      for (const { id } of rows) {
        await write(async (tx, work) => {
          await lockRouting(tx);
          const conv = (await loadConversationRow(tx, id, true))!;
          if (conv.state !== 'offered' || !conv.offer_expires_at || conv.offer_expires_at > now()) return;
          await unoffer(tx, conv);
          work.touch(await route(tx, id, now()));
        });
      }
      await this.routeWaiting(null);
    },
  };
}

function target(conv: ConversationRow) {
  return {
    conversationId: conv.id,
    teamId: conv.team_id,
    userIds: [conv.assignee_id, conv.offered_to_id].filter((u): u is string => u !== null),
  };
}
