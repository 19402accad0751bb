import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { callers, pbxCallId, pbxQueueNumber, type Caller, type SecurityWorld } from './authzWorld';
import {
  activeChat,
  agentOnCall,
  berlinReply,
  berlinAlarm,
  berlinQueueCall,
  berlinTicket,
  closedChat,
  coachingGrant,
  coachingSession,
  customerFile,
  expiredCustomer,
  freshSession,
  pngBase64,
  queuedChat,
  type Chat,
} from './securityFixtures';
import { adminRouteTable } from './authzAdmin';
import { createSurveyLink } from '../../../server/review/survey';

/**
 * The authorization matrix: for every `METHOD path` the server registers, who gets which answer.
 *
 * Answers: `401`, `403`, `404`; `deny` = 403 or 404 (either hides nothing the caller may know);
 * `2xx`; `pass` = authorization let the caller through and the resource's state decided (any answer
 * below 500 except 401, 403 and 404, e.g. 409 "already taken").
 *
 * User routes list one answer per caller, in `callers` order:
 *   none  garbage  signedOut  otherAgent  otherLead  agent  lead  admin
 * (other* = Team Shanghai; agent and lead = Team Berlin, which owns every resource named in a path).
 * A lead demoted to agent after signing in is expected to get the agent's answer (issue 12 item 15), or the
 * ninth answer when there is one: the demoted user is a Berlin agent, but not the one a chat or ticket is assigned to.
 *
 * Customer (widget) routes list one answer per customer caller, in `customerCallers` order:
 *   none  garbage  expired-session  another-chat's-customer  customer  an-agent's-access-token
 */
export type Answer = '401' | '403' | '404' | 'deny' | '2xx' | 'pass';
export type Req = { url: string; payload?: unknown; headers?: Record<string, string> };
export type Who = Caller | 'demoted';
export type Build = (w: SecurityWorld, caller: Who) => Promise<Req>;

export const customerCallers = ['none', 'garbage', 'expired', 'otherCustomer', 'customer', 'agentToken'] as const;
export type CustomerCaller = (typeof customerCallers)[number];
export type CustomerBuild = (w: SecurityWorld, caller: CustomerCaller) => Promise<Req>;

export type Entry =
  /** Signed-in users (Bearer access token of a live session). `status` reads a 200 that refuses inside (sync push results). */
  | { kind: 'user'; answers: string; request: Build; status?: (res: LightMyRequestResponse) => number }
  /** The customer's chat session token. */
  | { kind: 'customer'; answers: string; request: CustomerBuild }
  /** Open to anyone on purpose; `why` says why. Every caller gets `answer`. */
  | { kind: 'public'; answer: Answer; why: string; request: Build }
  /** Provider webhooks: unsigned or wrongly signed → 401 whatever token comes along; signed → 2xx. */
  | { kind: 'signed'; body: () => unknown; url: string }
  /** A WebSocket: authenticated by its first message (socket table in socketTable.ts). */
  | { kind: 'socket'; protocol: 'agent' | 'customer' };

export const answersOf = (row: string): Answer[] => row.trim().split(/\s+/) as Answer[];

const get = (url: string): Build => async () => ({ url });
const id = (w: SecurityWorld) => w;

/** Customer routes act on the session's own chat; each caller gets a fresh chat so closing one changes nothing for the next. */
async function customerHeaders(w: SecurityWorld, caller: CustomerCaller, chat: Chat): Promise<Record<string, string>> {
  switch (caller) {
    case 'none':
      return {};
    case 'garbage':
      return { authorization: 'Bearer garbage.garbage.garbage' };
    case 'expired':
      return expiredCustomer(w);
    case 'otherCustomer':
      return (await queuedChat(w)).customer;
    case 'customer':
      return chat.customer;
    case 'agentToken':
      return w.people.otherAgent.auth;
  }
}

const customer =
  (path: string, payload: (chat: Chat) => unknown = () => undefined, setup: (w: SecurityWorld) => Promise<Chat> = activeChat): CustomerBuild =>
  async (w, caller) => {
    const chat = await setup(w);
    return { url: path, payload: payload(chat), headers: await customerHeaders(w, caller, chat) };
  };

const moodConv =
  (suffix: string, payload: () => unknown = () => undefined): Build =>
  async (w) => {
    const chat = await activeChat(w);
    // The block entry must not block the address every other fixture's widget session comes from.
    await w.db.query("update widget_sessions set address = '198.51.100.20' where conversation_id = $1", [chat.conversationId]);
    return { url: `/mood/conversations/${chat.conversationId}${suffix}`, payload: payload() };
  };

/** A mood alert on a Berlin conversation (as the agent's abusive flag raises it). */
async function berlinMoodAlert(w: SecurityWorld): Promise<string> {
  const chat = await activeChat(w);
  const { rows } = await w.db.query<{ id: string }>(
    "insert into mood_alerts (conversation_id, team_id, kind, raised_at) select id, team_id, 'abusive', now() from conversations where id = $1 returning id",
    [chat.conversationId],
  );
  return rows[0]!.id;
}

/** A block on a Berlin conversation's customer (as its lead makes it), for the lift route. */
async function berlinBlock(w: SecurityWorld): Promise<string> {
  const chat = await activeChat(w);
  const { rows } = await w.db.query<{ id: string }>(
    "insert into customer_blocks (team_id, conversation_id, reason, created_at, expires_at) select team_id, id, 'test', now(), now() + interval '1 hour' from conversations where id = $1 returning id",
    [chat.conversationId],
  );
  return rows[0]!.id;
}

const conv =
  (suffix: string, setup: (w: SecurityWorld) => Promise<Chat> = activeChat, payload: (w: SecurityWorld, chat: Chat) => unknown = () => undefined): Build =>
  async (w) => {
    const chat = await setup(w);
    return { url: `/chat/conversations/${chat.conversationId}${suffix}`, payload: payload(w, chat) };
  };

/** A push that comments on a Berlin ticket: applied for Berlin, refused (inside a 200) for Shanghai. */
const pushStatus = (res: LightMyRequestResponse): number => {
  if (res.statusCode !== 200) return res.statusCode;
  const result = res.json<{ results: { status: string; error?: { code: string } }[] }>().results[0];
  if (result?.status === 'applied') return 200;
  return result?.error?.code === 'not-found' ? 404 : result?.error?.code === 'forbidden' ? 403 : 400;
};

export const routeTable: Record<string, Entry> = {
  ...adminRouteTable,
  // Public on purpose.
  'GET /health': { kind: 'public', answer: '2xx', why: 'load balancers and the app probe it before sign-in', request: get('/health') },
  'GET /ready': { kind: 'public', answer: '2xx', why: 'the balancer asks it whether this instance has its database and broker; says nothing else', request: get('/ready') },
  'GET /metrics': {
    kind: 'public',
    answer: '2xx',
    why: 'Prometheus scrapes it: counts only (no names, ids or text); SWITCHBOARD_METRICS_TOKEN makes it need a bearer token (server/health/ready.ts)',
    request: get('/metrics'),
  },
  'GET /client/policy': { kind: 'public', answer: '2xx', why: 'the login page needs IT policy before sign-in; holds no secrets', request: get('/client/policy') },
  'OPTIONS *': {
    kind: 'public',
    answer: '2xx',
    why: 'CORS preflight of the Electron app:// origin',
    request: async () => ({ url: '/me', headers: { origin: 'app://switchboard', 'access-control-request-method': 'GET' } }),
  },
  'POST /auth/login': {
    kind: 'public',
    answer: '2xx',
    why: 'sign-in',
    request: async (w) => ({ url: '/auth/login', payload: { username: w.people.agent.username, password: 'correct horse battery staple' } }),
  },
  'POST /auth/refresh': {
    kind: 'public',
    answer: '2xx',
    why: 'the refresh token is the credential',
    request: async (w) => ({ url: '/auth/refresh', payload: { refreshToken: (await freshSession(w, 'agent')).refreshToken } }),
  },
  'GET /auth/sso/config': { kind: 'public', answer: '2xx', why: 'the login page asks what to offer', request: get('/auth/sso/config') },
  'POST /auth/sso/exchange': {
    kind: 'public',
    answer: '404',
    why: 'the authorization code is the credential; single sign-on is not configured in this world',
    request: async () => ({ url: '/auth/sso/exchange', payload: { code: 'c'.repeat(20), codeVerifier: 'v'.repeat(43), redirectUri: 'http://127.0.0.1/cb', nonce: 'n'.repeat(20) } }),
  },
  'POST /widget/sessions': { kind: 'public', answer: '2xx', why: 'a visitor starts a chat', request: async () => ({ url: '/widget/sessions', payload: { name: 'Ada', language: 'en' } }) },
  'GET /widget/': { kind: 'public', answer: '2xx', why: 'the widget page', request: get('/widget/') },
  'GET /widget/widget.css': { kind: 'public', answer: '2xx', why: 'the widget page', request: get('/widget/widget.css') },
  'GET /widget/widget.js': { kind: 'public', answer: '2xx', why: 'the widget page', request: get('/widget/widget.js') },

  // Signed provider webhooks.
  'POST /channels/messaging/:providerId/inbound': {
    kind: 'signed',
    url: '/channels/messaging/gateway/inbound',
    body: () => ({ messageId: randomUUID(), from: '+4930555000', name: 'Kim', text: 'Hello' }),
  },
  'POST /channels/email/:providerId/inbound': {
    kind: 'signed',
    url: '/channels/email/gateway/inbound',
    body: () => ({ messageId: `<${randomUUID()}@mail.example>`, from: 'kim@example.com', subject: 'Hi', text: 'Hello' }),
  },

  // Signed by the PBX that holds queue calls (issue 17).
  'POST /pbx/:providerId/queue-calls': { kind: 'signed', url: '/pbx/gateway/queue-calls', body: () => ({ queueNumber: pbxQueueNumber, caller: '+4930555111' }) },
  'POST /pbx/:providerId/queue-calls/status': { kind: 'signed', url: '/pbx/gateway/queue-calls/status', body: () => ({ callId: pbxCallId }) },
  'POST /pbx/:providerId/queue-calls/events': { kind: 'signed', url: '/pbx/gateway/queue-calls/events', body: () => ({ callId: pbxCallId, event: 'caller-gone' }) },

  // Sockets (first-message auth: socketTable.ts).
  'GET /sync/poke': { kind: 'socket', protocol: 'agent' },
  'GET /sync/socket': { kind: 'socket', protocol: 'agent' },
  'GET /chat/socket': { kind: 'socket', protocol: 'agent' },
  'GET /sla/socket': { kind: 'socket', protocol: 'agent' },
  'GET /widget/socket': { kind: 'socket', protocol: 'customer' },
  'GET /board/socket': { kind: 'socket', protocol: 'agent' },
  'GET /coaching/socket': { kind: 'socket', protocol: 'agent' },

  // Account.                                                   none garb out  oAgt oLd  agt  lead admin
  'GET /me': { kind: 'user', answers: '                           401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/me') },
  'GET /me/sip-account': { kind: 'user', answers: '               401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/me/sip-account') },
  // Demo mode only: without the embedded PBX (as here) every signed-in caller gets 404; it only ever rings the caller's own extension.
  'POST /demo/customer-call': { kind: 'user', answers: '          401  401  401  404  404  404  404  404', request: async () => ({ url: '/demo/customer-call', payload: {} }) },
  'POST /auth/logout': {
    kind: 'user',
    answers: '                                                       401  401  401  2xx  2xx  2xx  2xx  2xx',
    request: async (w, caller) => ({ url: '/auth/logout', headers: (await freshSession(w, caller)).headers }),
  },
  'GET /teams/:teamId/roster': { kind: 'user', answers: '        401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/teams/${w.berlin}/roster` }) },

  // Issue 14: the wallboard, break reasons and floor settings (lead of the team or admin), the agent's own presence config.
  'GET /board/teams': { kind: 'user', answers: '                 401  401  401  403  2xx  403  2xx  2xx', request: get('/board/teams') },
  'GET /board/teams/:teamId': { kind: 'user', answers: '          401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/board/teams/${w.berlin}` }) },
  'GET /presence/config': { kind: 'user', answers: '              401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/presence/config') },
  'GET /teams/:teamId/break-reasons': { kind: 'user', answers: '    401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/teams/${w.berlin}/break-reasons` }) },
  'PUT /teams/:teamId/break-reasons': {
    kind: 'user',
    answers: '                                                       401  401  401  403  403  403  2xx  2xx',
    request: async (w) => ({ url: `/teams/${w.berlin}/break-reasons`, payload: { reasons: [{ code: 'lunch', labels: { en: 'Lunch', 'zh-CN': '午餐', 'zh-TW': '午餐' } }] } }),
  },
  'GET /teams/:teamId/floor-settings': { kind: 'user', answers: '   401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/teams/${w.berlin}/floor-settings` }) },
  'PUT /teams/:teamId/floor-settings': {
    kind: 'user',
    answers: '                                                       401  401  401  403  403  403  2xx  2xx',
    request: async (w) => ({
      url: `/teams/${w.berlin}/floor-settings`,
      payload: { wrapUpLimitSeconds: 90, wrapUpNext: 'available', answerTargetSeconds: 60, timeZone: 'Europe/Berlin' },
    }),
  },
  'GET /teams/:teamId/floor': { kind: 'user', answers: '           401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/teams/${w.berlin}/floor` }) },
  'PUT /teams/:teamId/floor': {
    kind: 'user',
    answers: '                                                       401  401  401  403  403  403  2xx  2xx',
    request: async (w) => ({
      url: `/teams/${w.berlin}/floor`,
      payload: {
        floor: { wrapUpLimitSeconds: 90, wrapUpNext: 'available', answerTargetSeconds: 60, timeZone: 'Europe/Berlin' },
        reasons: [{ code: 'lunch', labels: { en: 'Lunch', 'zh-CN': '午餐', 'zh-TW': '午餐' } }],
        fcrWindowDays: 7,
      },
    }),
  },

  // Voice queues (issue 17): a call rings for one agent; someone else's call is not found.
  'GET /queues/mine': { kind: 'user', answers: '                    401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/queues/mine') },
  'POST /queues/calls/:callId/answer': { kind: 'user', answers: '   401  401  401  404  404  2xx  404  404  404', request: async (w) => ({ url: `/queues/calls/${await berlinQueueCall(w)}/answer` }) },
  'POST /queues/calls/:callId/decline': { kind: 'user', answers: '  401  401  401  404  404  2xx  404  404  404', request: async (w) => ({ url: `/queues/calls/${await berlinQueueCall(w)}/decline` }) },
  'POST /queues/calls/:callId/hangup': { kind: 'user', answers: '   401  401  401  404  404  2xx  404  404  404', request: async (w) => ({ url: `/queues/calls/${await berlinQueueCall(w, true)}/hangup` }) },
  'GET /teams/:teamId/voice-queues': { kind: 'user', answers: '     401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/teams/${w.berlin}/voice-queues` }) },
  'POST /teams/:teamId/voice-queues': {
    kind: 'user',
    answers: '                                                       401  401  401  403  403  403  2xx  2xx',
    request: async (w) => ({ url: `/teams/${w.berlin}/voice-queues`, payload: { name: 'Billing', number: `7${Math.floor(Math.random() * 1e8)}`, skills: ['billing'] } }),
  },
  'PUT /teams/:teamId/agents/:userId/routing': {
    kind: 'user',
    answers: '                                                       401  401  401  403  403  403  2xx  2xx',
    request: async (w) => ({ url: `/teams/${w.berlin}/agents/${w.people.agent.id}/routing`, payload: { skills: ['billing'], languages: ['en', 'zh-CN'] } }),
  },

  // Sync and tickets.
  'POST /sync/push': {
    kind: 'user',
    answers: '                                                       401  401  401  deny deny 2xx  2xx  2xx',
    status: pushStatus,
    request: async (w) => {
      const { ticketId } = await berlinTicket(w);
      const args = { commentId: randomUUID(), ticketId, kind: 'internal', body: 'checked the router' };
      return { url: '/sync/push', payload: { clientId: randomUUID(), mutations: [{ id: 1, name: 'addComment', args, createdAt: Date.now() }] } };
    },
  },
  'POST /sync/pull': { kind: 'user', answers: '                   401  401  401  2xx  2xx  2xx  2xx  2xx', request: async () => ({ url: '/sync/pull', payload: { clientId: randomUUID(), cursor: null } }) },
  'GET /tickets/:id': {
    kind: 'user',
    answers: '                                                       401  401  401  404  404  2xx  2xx  2xx  404',
    request: async (w) => ({ url: `/tickets/${(await berlinTicket(w)).ticketId}` }),
  },

  // Agent chat.
  'GET /chat/conversations': { kind: 'user', answers: '           401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/chat/conversations') },
  'GET /chat/conversations/:id': { kind: 'user', answers: '       401  401  401  404  404  2xx  2xx  2xx', request: conv('', queuedChat) },
  'POST /chat/conversations/:id/accept': { kind: 'user', answers: '401  401  401  404  404  2xx  2xx  2xx', request: conv('/accept', queuedChat) },
  'POST /chat/conversations/:id/decline': { kind: 'user', answers: '401 401  401  404  404  pass pass pass', request: conv('/decline', queuedChat) },
  'POST /chat/conversations/:id/close': { kind: 'user', answers: ' 401  401  401  404  404  2xx  2xx  2xx  403', request: conv('/close') },
  'POST /chat/conversations/:id/messages': {
    kind: 'user',
    answers: '                                                       401  401  401  404  404  2xx  403  403  403',
    request: conv('/messages', activeChat, () => ({ id: randomUUID(), body: 'Hello from Berlin' })),
  },
  'POST /chat/conversations/:id/attachments': {
    kind: 'user',
    answers: '                                                       401  401  401  404  404  2xx  2xx  2xx  403',
    request: conv('/attachments', activeChat, () => ({ id: randomUUID(), name: 'dot.png', mime: 'image/png', dataBase64: pngBase64 })),
  },
  'GET /chat/attachments/:id': {
    kind: 'user',
    answers: '                                                       401  401  401  404  404  2xx  2xx  2xx',
    request: async (w) => ({ url: `/chat/attachments/${(await customerFile(id(w))).attachmentId}` }),
  },
  'POST /chat/conversations/:id/typing': { kind: 'user', answers: '401 401  401  404  404  2xx  pass pass', request: conv('/typing', activeChat, () => ({ typing: true })) },
  'POST /chat/conversations/:id/read': { kind: 'user', answers: '  401  401  401  404  404  2xx  2xx  2xx', request: conv('/read', activeChat, () => ({ upToSeq: 1 })) },
  'POST /chat/conversations/:id/transfer': {
    kind: 'user',
    answers: '                                                       401  401  401  404  404  2xx  2xx  2xx  403',
    request: conv('/transfer', activeChat, (w) => ({ toQueueId: w.queues.berlin, note: 'billing question' })),
  },
  'POST /chat/conversations/:id/takeover': { kind: 'user', answers: '401 401 401 404  404  403  2xx  deny', request: conv('/takeover') },
  'GET /chat/queues': { kind: 'user', answers: '                  401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/chat/queues') },
  'GET /chat/events': { kind: 'user', answers: '                  401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/chat/events?after=0') },
  'POST /presence': { kind: 'user', answers: '                    401  401  401  2xx  2xx  2xx  2xx  2xx', request: async () => ({ url: '/presence', payload: { presence: 'break' } }) },
  // Issue 12 item 10: only the conversation's agent writes voice events into it.
  'POST /chat/voice-events': {
    kind: 'user',
    answers: '                                                       401  401  401  deny deny 2xx  deny deny deny',
    request: async (w) => {
      const chat = await activeChat(w);
      return { url: '/chat/voice-events', payload: { conversationId: chat.conversationId, eventId: randomUUID(), phase: 'started', remote: '+4930123456' } };
    },
  },
  'POST /chat/calls': {
    kind: 'user',
    answers: '                                                       401  401  401  2xx  2xx  2xx  2xx  pass',
    request: async () => ({
      url: '/chat/calls',
      payload: { id: randomUUID(), callId: 'c-1', direction: 'inbound', remote: '+4930999888', startedAt: Date.now() - 60_000, durationMs: 30_000, outcome: 'answered' },
    }),
  },

  // Quick replies (a Team Berlin reply in the path).
  'GET /quick-replies': { kind: 'user', answers: '                401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/quick-replies') },
  'POST /quick-replies': {
    kind: 'user',
    answers: '                                                       401  401  401  2xx  2xx  2xx  2xx  2xx',
    request: async () => ({ url: '/quick-replies', payload: { category: 'Mine', shortcut: `m${randomUUID().slice(0, 6)}`, title: 'Mine', bodies: { en: 'Hi' } } }),
  },
  'PUT /quick-replies/:id': {
    kind: 'user',
    answers: '                                                       401  401  401  404  404  403  2xx  2xx',
    request: async (w) => ({ url: `/quick-replies/${await berlinReply(w)}`, payload: { category: 'General', shortcut: `e${randomUUID().slice(0, 6)}`, title: 'Edited', bodies: { en: 'Hi' } } }),
  },
  'DELETE /quick-replies/:id': { kind: 'user', answers: '           401  401  401  404  404  403  2xx  2xx', request: async (w) => ({ url: `/quick-replies/${await berlinReply(w)}` }) },
  // An admin's library shows only their own and everyone's replies, so a team's reply is not theirs to count.
  'POST /quick-replies/:id/use': { kind: 'user', answers: '         401  401  401  404  404  2xx  2xx  404', request: async (w) => ({ url: `/quick-replies/${await berlinReply(w)}/use` }) },

  // Coaching.
  'POST /coaching/live': { kind: 'user', answers: '               401  401  401  2xx  2xx  2xx  2xx  2xx', request: async () => ({ url: '/coaching/live', payload: { presence: 'available', call: null } }) },
  'POST /coaching/hand': { kind: 'user', answers: '               401  401  401  2xx  2xx  2xx  2xx  2xx', request: async () => ({ url: '/coaching/hand', payload: { raised: false } }) },
  // SLA alarms: the assignee and the team's leads (admins: all); settings: the team's leads and admins.
  'GET /sla/alarms': { kind: 'user', answers: '                   401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/sla/alarms') },
  'POST /sla/alarms/:id/ack': { kind: 'user', answers: '           401  401  401  404  404  2xx  2xx  2xx  404', request: async (w) => ({ url: `/sla/alarms/${await berlinAlarm(w)}/ack`, payload: {} }) },
  'GET /sla/tickets/:ticketId/timers': { kind: 'user', answers: '  401  401  401  404  404  2xx  2xx  2xx  2xx', request: async (w) => ({ url: `/sla/tickets/${(await berlinTicket(w)).ticketId}/timers` }) },
  // Issue 20: customers' mood. The trend as the conversation is seen; alerts for leads and admins; the agent's abusive flag.
  'GET /mood/conversations/:id': { kind: 'user', answers: '          401  401  401  404  404  2xx  2xx  2xx', request: moodConv('') },
  'POST /mood/conversations/:id/abusive': { kind: 'user', answers: '401  401  401  404  404  2xx  2xx  2xx', request: moodConv('/abusive', () => ({})) },
  'GET /mood/alerts': { kind: 'user', answers: '                       401  401  401  403  2xx  403  2xx  2xx', request: get('/mood/alerts') },
  'POST /mood/alerts/:id/ack': { kind: 'user', answers: '            401  401  401  404  404  404  2xx  2xx', request: async (w) => ({ url: `/mood/alerts/${await berlinMoodAlert(w)}/ack`, payload: {} }) },
  'GET /mood/socket': { kind: 'socket', protocol: 'agent' },
  'POST /mood/conversations/:id/block': { kind: 'user', answers: '  401  401  401  404  404  403  2xx  2xx', request: moodConv('/block', () => ({ hours: 1, reason: 'insults' })) },
  'GET /mood/blocks': { kind: 'user', answers: '                       401  401  401  403  2xx  403  2xx  2xx', request: get('/mood/blocks') },
  'POST /mood/blocks/:id/lift': { kind: 'user', answers: '            401  401  401  404  404  404  2xx  2xx', request: async (w) => ({ url: `/mood/blocks/${await berlinBlock(w)}/lift`, payload: {} }) },
  'GET /sla/teams': { kind: 'user', answers: '                    401  401  401  403  2xx  403  2xx  2xx', request: get('/sla/teams') },
  'GET /sla/teams/:teamId/settings': { kind: 'user', answers: '     401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/sla/teams/${w.berlin}/settings` }) },
  'PUT /sla/teams/:teamId/settings': {
    kind: 'user',
    answers: '                                                   401  401  401  403  403  403  2xx  2xx',
    request: async (w) => ({ url: `/sla/teams/${w.berlin}/settings`, payload: { timeZone: 'Europe/Berlin', hours: [], holidays: [], policies: [] } }),
  },
  'GET /coaching/teams/:teamId/live': { kind: 'user', answers: '     401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/coaching/teams/${w.berlin}/live` }) },
  'POST /coaching/grants': {
    kind: 'user',
    answers: '                                                       401  401  401  403  403  403  2xx  403',
    request: async (w) => ({ url: '/coaching/grants', payload: { agentId: w.people.agent.id, callId: await agentOnCall(w) } }),
  },
  'POST /coaching/verify': {
    kind: 'user',
    answers: '                                                       401  401  401  403  403  2xx  403  403  403',
    request: async (w) => {
      const { grant, callId } = await coachingGrant(w);
      return { url: '/coaching/verify', payload: { grant, callId } };
    },
  },
  'POST /coaching/sessions/:id/events': {
    kind: 'user',
    answers: '                                                       401  401  401  deny deny 2xx  2xx  deny deny',
    request: async (w) => ({ url: `/coaching/sessions/${await coachingSession(w)}/events`, payload: { type: 'started', mode: 'listen' } }),
  },
  'GET /coaching/audit': { kind: 'user', answers: '               401  401  401  403  2xx  403  2xx  2xx', request: get('/coaching/audit') },

  // KPIs (issue 14): the report names the Berlin agent's own figures (the demoted lead is another Berlin
  // agent: 403); the CSV asks for the whole Berlin team, which only its lead and admins may see.
  'GET /kpi/scopes': { kind: 'user', answers: '                    401  401  401  2xx  2xx  2xx  2xx  2xx', request: get('/kpi/scopes') },
  'GET /kpi/report': {
    kind: 'user',
    answers: '                                                        401  401  401  403  403  2xx  2xx  2xx  403',
    request: async (w) => ({ url: `/kpi/report?teamId=${w.berlin}&agentId=${w.people.agent.id}&period=week&anchor=2026-03-25` }),
  },
  'GET /kpi/report.csv': { kind: 'user', answers: '                401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/kpi/report.csv?teamId=${w.berlin}&period=month&anchor=2026-03-25` }) },

  // Conversation review (issue 19): leads of the team and admins; a refused access is audited too.
  'GET /review/conversations': { kind: 'user', answers: '           401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/review/conversations?teamId=${w.berlin}` }) },
  'GET /review/conversations/:id': { kind: 'user', answers: '       401  401  401  403  404  403  2xx  2xx  403', request: async (w) => ({ url: `/review/conversations/${(await closedChat(w)).conversationId}` }) },
  'GET /review/audit': { kind: 'user', answers: '                    401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/review/audit?teamId=${w.berlin}` }) },
  'GET /review/teams/:teamId/settings': { kind: 'user', answers: '  401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/review/teams/${w.berlin}/settings` }) },
  'PUT /review/teams/:teamId/settings': { kind: 'user', answers: '  401  401  401  403  403  403  403  2xx', request: async (w) => ({ url: `/review/teams/${w.berlin}/settings`, payload: { retentionDays: 365 } }) },

  'GET /review/follow-ups': { kind: 'user', answers: '              401  401  401  403  403  403  2xx  2xx', request: async (w) => ({ url: `/review/follow-ups?teamId=${w.berlin}` }) },
  // The survey link is the authorization (a fresh 256-bit token per caller here): whoever holds it answers once.
  'GET /survey/:token': { kind: 'public', answer: '2xx', why: 'the e-mail or messaging customer has no account; the link token is the capability', request: async (w) => ({ url: `/survey/${await createSurveyLink(w.db, (await closedChat(w)).conversationId, new Date())}` }) },
  'POST /survey/:token': {
    kind: 'public',
    answer: '2xx',
    why: 'the e-mail or messaging customer has no account; the link token is the capability',
    request: async (w) => ({ url: `/survey/${await createSurveyLink(w.db, (await closedChat(w)).conversationId, new Date())}`, payload: { score: 4 } }),
  },
  // The customer's widget API.                                                none garb exp  oCus cust agentToken
  'GET /widget/conversation': { kind: 'customer', answers: '                401  401  401  2xx  2xx  401', request: customer('/widget/conversation') },
  'POST /widget/messages': { kind: 'customer', answers: '                   401  401  401  2xx  2xx  401', request: customer('/widget/messages', () => ({ id: randomUUID(), body: 'hi' })) },
  'POST /widget/attachments': {
    kind: 'customer',
    answers: '                                                                        401  401  401  2xx  2xx  401',
    request: customer('/widget/attachments', () => ({ id: randomUUID(), name: 'dot.png', mime: 'image/png', dataBase64: pngBase64 })),
  },
  'GET /widget/attachments/:id': {
    kind: 'customer',
    answers: '                                                                        401  401  401  404  2xx  404',
    request: async (w, caller) => {
      const { chat, attachmentId } = await customerFile(w);
      return { url: `/widget/attachments/${attachmentId}`, headers: await customerHeaders(w, caller, chat) };
    },
  },
  'POST /widget/typing': { kind: 'customer', answers: '                     401  401  401  2xx  2xx  401', request: customer('/widget/typing', () => ({ typing: true })) },
  'POST /widget/read': { kind: 'customer', answers: '                       401  401  401  2xx  2xx  401', request: customer('/widget/read', () => ({ upToSeq: 0 })) },
  'POST /widget/close': { kind: 'customer', answers: '                      401  401  401  2xx  2xx  401', request: customer('/widget/close') },
  'POST /widget/survey': {
    kind: 'customer',
    answers: '                                                                        401  401  401  pass 2xx  401',
    request: customer('/widget/survey', () => ({ score: 5 }), closedChat),
  },
};

export const userCallers = callers;

/**
 * Sync push mutations (core/tickets/mutators.ts `mutators`) × callers, like routes: each pushes one
 * mutation on Berlin's data; `deny` is a result `failed` with not-found or forbidden inside the 200.
 * Issue 12 item 3: creating a ticket in another team (oneself as assignee, that team's customer) must be refused.
 */
export type MutationEntry = { answers: string; args: (w: SecurityWorld, caller: Who) => Promise<Record<string, unknown>> };

export const mutationTable: Record<string, MutationEntry> = {
  //                                                      none garb out  oAgt oLd  agt  lead admin demoted
  // A teammate may comment on a colleague's ticket (core/tickets/scope.ts canRead includes the team).
  addComment: {
    answers: '                                            401  401  401  deny deny 2xx  2xx  2xx',
    args: async (w) => ({ commentId: randomUUID(), ticketId: (await berlinTicket(w)).ticketId, kind: 'internal', body: 'checked' }),
  },
  updateTicket: {
    answers: '                                            401  401  401  deny deny 2xx  2xx  2xx  deny',
    args: async (w) => ({ ticketId: (await berlinTicket(w)).ticketId, changes: { priority: 'high' }, base: { priority: 'normal' } }),
  },
  createTicket: {
    answers: '                                            401  401  401  deny deny 2xx  2xx  2xx  2xx',
    args: async (w, caller) => {
      const me = caller === 'none' || caller === 'garbage' ? null : w.people[caller].id;
      return { ticketId: randomUUID(), subject: 'Call back', customerId: (await berlinTicket(w)).customerId, teamId: w.berlin, assigneeId: me };
    },
  },
};

export const pushOf = (name: string, args: Record<string, unknown>): Req => ({
  url: '/sync/push',
  payload: { clientId: randomUUID(), mutations: [{ id: 1, name, args, createdAt: Date.now() }] },
});

export { pushStatus };
