import { randomUUID } from 'node:crypto';
import { createSession } from '../../../server/auth/sessions';
import { createTokenService } from '../../../server/auth/tokens';
import { insertSession } from '../../../server/coaching/store';
import { bearer, secret, type Caller, type Person, type SecurityWorld } from './authzWorld';

/**
 * Berlin resources for the security tests, made fresh where a route changes them (accepting, closing,
 * deleting), so every caller meets the same state and a refusal is about who asks, not what happened before.
 */

/** The smallest PNG: the upload check sniffs magic bytes. */
export const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

export type Chat = { conversationId: string; customerToken: string; customer: { authorization: string } };

async function ok(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode >= 300) throw new Error(`fixture ${what}: ${res.statusCode} ${res.body}`);
}

/** A web chat waiting in Berlin's queue (English). */
export async function queuedChat(w: SecurityWorld): Promise<Chat> {
  const res = await w.inject({ method: 'POST', url: '/widget/sessions', payload: { name: 'Mia', language: 'en' } });
  await ok(res, 'widget session');
  const s = res.json<{ sessionToken: string; conversationId: string }>();
  return { conversationId: s.conversationId, customerToken: s.sessionToken, customer: bearer(s.sessionToken) };
}

/** A web chat the Berlin agent has accepted (earlier fixtures' chats are closed first: an agent's capacity is limited). */
export async function activeChat(w: SecurityWorld): Promise<Chat> {
  await w.db.query("update conversations set state = 'closed', closed_at = now() where assignee_id = $1 and state = 'active'", [w.people.agent.id]);
  const chat = await queuedChat(w);
  await ok(await w.inject({ method: 'POST', url: `/chat/conversations/${chat.conversationId}/accept`, headers: w.people.agent.auth }), 'accept');
  return chat;
}

/** A chat the Berlin agent accepted and closed: the survey is open. */
export async function closedChat(w: SecurityWorld): Promise<Chat> {
  const chat = await activeChat(w);
  await ok(await w.inject({ method: 'POST', url: `/chat/conversations/${chat.conversationId}/close`, headers: w.people.agent.auth }), 'close');
  return chat;
}

/** A chat session whose token expired yesterday. */
export async function expiredCustomer(w: SecurityWorld): Promise<{ authorization: string }> {
  const chat = await queuedChat(w);
  await w.db.query("update widget_sessions set expires_at = now() - interval '1 day' where conversation_id = $1", [chat.conversationId]);
  return chat.customer;
}

/** A file the customer sent in an active Berlin chat; its id is the message id. */
export async function customerFile(w: SecurityWorld): Promise<{ chat: Chat; attachmentId: string }> {
  const chat = await activeChat(w);
  const id = randomUUID();
  await ok(await w.inject({ method: 'POST', url: '/widget/attachments', headers: chat.customer, payload: { id, name: 'dot.png', mime: 'image/png', dataBase64: pngBase64 } }), 'upload');
  return { chat, attachmentId: id };
}

/** A Berlin ticket assigned to the Berlin agent, with a Berlin customer. */
export async function berlinTicket(w: SecurityWorld): Promise<{ ticketId: string; customerId: string }> {
  const { rows } = await w.db.query<{ id: string }>("insert into customers (name, email, phone) values ('Hans Berlin', 'hans@example.com', '+4930123456') returning id");
  const customerId = rows[0]!.id;
  const ticketId = randomUUID();
  await w.db.query("insert into tickets (id, subject, team_id, assignee_id, customer_id, channel) values ($1, 'Router broken', $2, $3, $4, 'email')", [
    ticketId, w.berlin, w.people.agent.id, customerId,
  ]);
  return { ticketId, customerId };
}

/** A Team Berlin quick reply (managed by Berlin's lead). */
export async function berlinReply(w: SecurityWorld): Promise<string> {
  const id = randomUUID();
  await w.db.query(
    `insert into quick_replies (id, team_id, owner_id, category, shortcut, title, bodies, created_at, updated_at)
     values ($1, $2, null, 'General', $3, 'Greeting', $4, now(), now())`,
    [id, w.berlin, `hi${id.slice(0, 6)}`, JSON.stringify({ en: 'Hello!' })],
  );
  return id;
}

/** The Berlin agent's app reports a live call, as it does every 15 s. */
export async function agentOnCall(w: SecurityWorld, callId = `call-${randomUUID().slice(0, 8)}`): Promise<string> {
  const call = { callId, remote: '+4930123456', direction: 'inbound', startedAt: Date.now(), held: false, band: 'good' };
  await ok(await w.inject({ method: 'POST', url: '/coaching/live', headers: w.people.agent.auth, payload: { presence: 'busy', call } }), 'live report');
  return callId;
}

/** A coaching grant Berlin's lead got for the Berlin agent's current call. */
export async function coachingGrant(w: SecurityWorld): Promise<{ grant: string; callId: string; sessionId: string }> {
  const callId = await agentOnCall(w);
  const res = await w.inject({ method: 'POST', url: '/coaching/grants', headers: w.people.lead.auth, payload: { agentId: w.people.agent.id, callId } });
  await ok(res, 'grant');
  const body = res.json<{ grant: string; sessionId: string }>();
  return { grant: body.grant, callId, sessionId: body.sessionId };
}

/** A coaching session of Berlin's lead with the Berlin agent. */
export async function coachingSession(w: SecurityWorld): Promise<string> {
  const id = randomUUID();
  await insertSession(w.db, { id, leadId: w.people.lead.id, agentId: w.people.agent.id, teamId: w.berlin, callId: 'call-1', expiresAt: Date.now() + 60_000 });
  return id;
}

const tokens = createTokenService(secret, 3600);

/**
 * A second live session of the caller's user: for routes that end or rotate the session (logout,
 * refresh), so trying them does not sign the shared callers out. Unauthenticated callers stay as they are.
 */
export async function freshSession(w: SecurityWorld, caller: Caller | 'demoted'): Promise<{ headers: Record<string, string>; refreshToken: string }> {
  if (caller === 'none' || caller === 'garbage' || caller === 'signedOut') return { headers: w.headersOf(caller), refreshToken: 'not-a-refresh-token' };
  const person: Person = w.people[caller];
  const { rows } = await w.db.query<{ role: 'agent' | 'lead' | 'admin' }>('select role from users where id = $1', [person.id]);
  const { sessionId, refreshToken } = await createSession(w.db, person.id, 3600);
  const token = await tokens.signAccess({ sub: person.id, role: caller === 'demoted' ? 'lead' : rows[0]!.role, sid: sessionId });
  return { headers: bearer(token), refreshToken };
}

/** A throwaway Berlin agent with a live session, for tests that disable, move or expire someone. */
export async function spareAgent(w: SecurityWorld, accessTtlSeconds = 3600): Promise<Person> {
  const id = randomUUID();
  const username = `spare-${id.slice(0, 8)}`;
  await w.db.query("insert into users (id, username, display_name, role, password_hash) values ($1, $2, $2, 'agent', 'x')", [id, username]);
  await w.db.query('insert into team_members (team_id, user_id) values ($1, $2)', [w.berlin, id]);
  const { sessionId, refreshToken } = await createSession(w.db, id, 3600);
  const token = await createTokenService(secret, accessTtlSeconds).signAccess({ sub: id, role: 'agent', sid: sessionId });
  return { id, username, token, sessionId, refreshToken, auth: bearer(token) };
}

/** A breach alarm on a Berlin ticket assigned to Berlin's agent (raised as the SLA scanner would). */
export async function berlinAlarm(w: SecurityWorld): Promise<string> {
  const { ticketId } = await berlinTicket(w);
  const { rows: timer } = await w.db.query<{ id: string }>(
    `insert into sla_timers (ticket_id, team_id, kind, state, target_seconds, warn_percent, business_hours, escalate_after_seconds, started_at, due_at, warn_at)
     values ($1, $2, 'first_response', 'missed', 60, 80, false, 600, now() - interval '2 minutes', now() - interval '1 minute', now() - interval '72 seconds') returning id`,
    [ticketId, w.berlin],
  );
  const { rows } = await w.db.query<{ id: string }>(
    "insert into sla_alarms (timer_id, ticket_id, team_id, level, assignee_id, raised_at) values ($1, $2, $3, 'breach', $4, now()) returning id",
    [timer[0]!.id, ticketId, w.berlin, w.people.agent.id],
  );
  return rows[0]!.id;
}

/**
 * A voice queue call of Berlin ringing at the Berlin agent (or, `connected`, answered by them). The agent's
 * earlier fixture calls end first: an agent rings for one queue call at a time.
 */
export async function berlinQueueCall(w: SecurityWorld, connected = false): Promise<string> {
  const agent = w.people.agent.id;
  await w.db.query("update queue_calls set state = 'ended', offered_to = null, offer_expires_at = null, ended_at = now() where (offered_to = $1 or agent_id = $1) and state in ('offered', 'connected')", [agent]);
  await w.db.query('update agent_routing set call_id = null where user_id = $1', [agent]);
  const q = await w.db.query<{ id: string }>("insert into voice_queues (team_id, name, number) values ($1, 'Berlin line', '8' || floor(random() * 1e8)::text) returning id", [w.berlin]);
  const { rows } = await w.db.query<{ id: string }>(
    connected
      ? "insert into queue_calls (queue_id, team_id, caller, state, enqueued_at, agent_id, answered_at) values ($1, $2, '+4930555', 'connected', now(), $3, now()) returning id"
      : "insert into queue_calls (queue_id, team_id, caller, state, enqueued_at, offered_to, offer_expires_at) values ($1, $2, '+4930555', 'offered', now(), $3, now() + interval '1 hour') returning id",
    [q.rows[0]!.id, w.berlin, agent],
  );
  await w.db.query('insert into agent_routing (user_id, call_id) values ($1, $2) on conflict (user_id) do update set call_id = excluded.call_id', [agent, rows[0]!.id]);
  return rows[0]!.id;
}
