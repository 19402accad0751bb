import fc from 'fast-check';
import { z } from 'zod';
import { GrantRequest, HandRequest, LiveReport, SessionEvent, VerifyRequest } from '../../../core/coaching/wire';
import { PullRequest, PushRequest } from '../../../core/sync/wire';
import { AddCommentArgs, CreateTicketArgs, UpdateTicketArgs } from '../../../core/tickets/mutators';
import { LoginRequest, RefreshRequest } from '../../../core/wire/auth';
import {
  AgentAttachmentRequest,
  AgentSendRequest,
  MessagingInbound,
  PresenceRequest,
  ReadRequest,
  TransferRequest,
  TypingRequest,
  VoiceEventRequest,
} from '../../../core/wire/chat';
import { CallReport } from '../../../core/wire/chatCalls';
import { BreakReasonsInput, FloorSettings, TeamFloorInput } from '../../../core/wire/board';
import { AgentRoutingInput, PbxQueueCallEvent, PbxQueueCallRef, PbxQueueCallStart, VoiceQueueInput } from '../../../core/wire/queues';
import { EmailInbound } from '../../../core/wire/chatEmail';
import { SurveyRequest, WidgetAttachmentRequest, WidgetSendRequest, WidgetSessionRequest } from '../../../core/wire/chatWidget';
import { SsoExchangeRequest } from '../../../core/wire/sso';
import { ReplyWrite } from '../../../server/chat/quickReplies';
import { TeamSlaSettings } from '../../../core/sla/policy';
import { ImportRequest, MessagingProviderCreate, PasswordReset, PersonCreate, PersonPatch, QueueCreate, QueuePatch, ScimProviderCreate, TeamCreate, TeamPatch } from '../../../core/admin/wire';
import { ReviewSettings } from '../../../core/wire/review';
import { BlockRequest } from '../../../server/mood/blocks';
import { arbitraryOf, deepJson, hostileStrings, hostileValue } from './zodArbitrary';

/**
 * How each route is fuzzed: its body (from its core/wire schema where one is exported), its path
 * parameters and query, and whose credentials go with it. Keys are the authorization matrix's; a route
 * without an entry here fails the fuzz test as it fails the matrix.
 */

/** A body sent as these exact bytes (not JSON.stringify'd): too deep to stringify here, or not JSON at all. */
export class RawBody {
  constructor(readonly text: string) {}
}

/** The resources the fuzzed paths name (one of each, made before the run). */
export type FuzzIds = { conversation: string; ticket: string; reply: string; attachment: string; coachingSession: string; team: string; agentScope: string };

export type FuzzAuth =
  /** The Berlin agent's access token. */
  | 'agent'
  /** The admin's (issue 16: the admin console's writes that touch no fixture another test reads). */
  | 'admin'
  /** A new session of the Berlin agent per run (logout ends the one it is sent with). */
  | 'fresh'
  /** The customer's chat session token. */
  | 'customer'
  /** Signed as the provider (webhooks), so the body is checked and not only the signature. */
  | 'signed'
  | 'none';

export type FuzzSpec = {
  auth: FuzzAuth;
  body?: fc.Arbitrary<unknown>;
  /** `:name` in the route → the value's arbitrary, given the fixture ids. */
  path?: (ids: FuzzIds) => Record<string, fc.Arbitrary<string>>;
  query?: fc.Arbitrary<string>;
  /** Known hostile inputs (issue 12's findings), tried before the random ones. */
  examples?: (ids: FuzzIds) => { path?: Record<string, string>; query?: string; body?: unknown }[];
};

const rawBodies = [deepJson, `{"clientId":"${'0'.repeat(8)}","mutations":${deepJson}}`, '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}', 'not json', '', '{', 'null', '[]', '"\\ud800"'];

/** The schema's values, a hostile value in their place now and then, and raw bodies that are not what JSON.stringify makes. */
const body = (schema: z.ZodType | fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 8, arbitrary: schema instanceof fc.Arbitrary ? schema : arbitraryOf(schema) },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.constantFrom(...rawBodies).map((t) => new RawBody(t)) },
  );

/** A real id, a random UUID, or a hostile path segment. */
const idOr = (real: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 2, arbitrary: fc.uuid() }, { weight: 2, arbitrary: fc.constantFrom(...hostileStrings.filter((s) => s.length < 3000), '0', '-1', 'null') });
const convPath = (ids: FuzzIds) => ({ id: idOr(ids.conversation) });

/** Push: real mutator names with their argument schemas (ticket ids sometimes the real one), and a base nested 60,000 deep. */
const pushBody = (ids: FuzzIds) => {
  const ticketId = fc.oneof(fc.constant(ids.ticket), fc.uuid());
  const named = (name: string, schema: z.ZodType) =>
    fc.record({ name: fc.constant(name), args: fc.tuple(arbitraryOf(schema), ticketId).map(([a, t]) => (a && typeof a === 'object' && !Array.isArray(a) && 'ticketId' in a ? { ...a, ticketId: t } : a)) });
  const mutation = fc.oneof(named('addComment', AddCommentArgs), named('updateTicket', UpdateTicketArgs), named('createTicket', CreateTicketArgs), fc.record({ name: fc.string({ maxLength: 70 }), args: hostileValue }));
  const push = fc
    .record({ clientId: fc.uuid(), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) })
    .map(({ clientId, mutations }) => ({ clientId, mutations: mutations.map((m, i) => ({ id: i + 1, createdAt: Date.now(), ...m })) }));
  const deepBase = fc.uuid().map(
    (clientId) =>
      new RawBody(`{"clientId":"${clientId}","mutations":[{"id":1,"name":"updateTicket","createdAt":1,"args":{"ticketId":"${ids.ticket}","changes":{"subject":"x"},"base":${deepJson}}}]}`),
  );
  return fc.oneof({ weight: 6, arbitrary: push }, { weight: 2, arbitrary: body(PushRequest) }, { weight: 1, arbitrary: deepBase });
};

/** Pull: schema values and forged cursors (issue 12 item 13: `v1.0.9999999999999999.<scope>`). */
const pullBody = fc.oneof(
  { weight: 3, arbitrary: body(PullRequest) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.uuid(), fc.constantFrom('v1.0.9999999999999999.x', 'v1.0.-1.x', 'v1.99999999999999999999.0.x', 'v1.NaN.NaN.x', 'v1.0.1e300.x', 'v2.0.0.x', 'v1..', '.'.repeat(199)))
      .map(([clientId, cursor]) => ({ clientId, cursor })),
  },
);

/** Email: schema values, and HTML shapes that are slow for a backtracking tag pattern (issue 12 item 1: 64 kB of `<a` took 5 s). */
const emailBody = fc.oneof(
  { weight: 2, arbitrary: body(EmailInbound) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.uuid(), fc.constantFrom('<a'.repeat(32_000), `<b>${'<i x="'.repeat(10_000)}`, '<!--'.repeat(16_000))).map(([id, html]) => ({ messageId: `<${id}@fuzz.example>`, from: 'fuzz@example.com', subject: 'html', html })),
  },
);

export const fuzzTable = (ids: FuzzIds): Record<string, FuzzSpec> => ({
  'GET /health': { auth: 'none' },
  'GET /ready': { auth: 'none' },
  'GET /metrics': { auth: 'none' },
  'GET /client/policy': { auth: 'none' },
  'OPTIONS *': { auth: 'none' },
  'POST /auth/login': { auth: 'none', body: body(LoginRequest) },
  'POST /auth/refresh': { auth: 'none', body: body(RefreshRequest) },
  'GET /auth/sso/config': { auth: 'none' },
  'POST /auth/sso/exchange': { auth: 'none', body: body(SsoExchangeRequest) },
  'POST /auth/logout': { auth: 'fresh', body: body(hostileValue) },
  'GET /me': { auth: 'agent' },
  'GET /me/sip-account': { auth: 'agent' },
  'POST /demo/customer-call': { auth: 'agent', body: body(hostileValue) },
  'GET /teams/:teamId/roster': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'GET /board/teams': { auth: 'agent' },
  'GET /board/teams/:teamId': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'GET /presence/config': { auth: 'agent' },
  'GET /teams/:teamId/break-reasons': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'PUT /teams/:teamId/break-reasons': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }), body: body(BreakReasonsInput) },
  'POST /pbx/:providerId/queue-calls': { auth: 'signed', path: () => ({ providerId: fc.constant('gateway') }), body: body(PbxQueueCallStart) },
  'POST /pbx/:providerId/queue-calls/status': { auth: 'signed', path: () => ({ providerId: fc.constant('gateway') }), body: body(PbxQueueCallRef) },
  'POST /pbx/:providerId/queue-calls/events': { auth: 'signed', path: () => ({ providerId: fc.constant('gateway') }), body: body(PbxQueueCallEvent) },
  'GET /queues/mine': { auth: 'agent' },
  'POST /queues/calls/:callId/answer': { auth: 'agent', path: () => ({ callId: idOr(ids.conversation) }) },
  'POST /queues/calls/:callId/decline': { auth: 'agent', path: () => ({ callId: idOr(ids.conversation) }) },
  'POST /queues/calls/:callId/hangup': { auth: 'agent', path: () => ({ callId: idOr(ids.conversation) }) },
  'GET /teams/:teamId/voice-queues': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'POST /teams/:teamId/voice-queues': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }), body: body(VoiceQueueInput) },
  'PUT /teams/:teamId/agents/:userId/routing': { auth: 'agent', path: () => ({ teamId: idOr(ids.team), userId: idOr(ids.agentScope) }), body: body(AgentRoutingInput) },
  'GET /teams/:teamId/floor-settings': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'PUT /teams/:teamId/floor-settings': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }), body: body(FloorSettings) },
  'GET /teams/:teamId/floor': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'PUT /teams/:teamId/floor': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }), body: body(TeamFloorInput) },
  'POST /sync/push': {
    auth: 'agent',
    body: pushBody(ids),
    examples: () => [
      // Issue 12 item 13: a base nested 60,000 deep, about 120 kB (the schema's JSON.stringify overflows).
      { body: new RawBody(`{"clientId":"6f1c0c1e-8d8e-4b5e-9d40-3c1f9a3e7a11","mutations":[{"id":1,"name":"updateTicket","createdAt":1,"args":{"ticketId":"${ids.ticket}","changes":{"subject":"x"},"base":${deepJson}}}]}`) },
    ],
  },
  'POST /sync/pull': {
    auth: 'agent',
    body: pullBody,
    // Issue 12 item 13: a forged cursor in the caller's own scope reached the timestamp conversion.
    examples: () => [{ body: { clientId: '6f1c0c1e-8d8e-4b5e-9d40-3c1f9a3e7a10', cursor: `v1.0.9999999999999999.${ids.agentScope}` } }, { body: { clientId: '6f1c0c1e-8d8e-4b5e-9d40-3c1f9a3e7a10', cursor: `v1.9999999999999999.0.${ids.agentScope}` } }],
  },
  'GET /tickets/:id': { auth: 'agent', path: () => ({ id: idOr(ids.ticket) }) },
  'GET /chat/conversations': { auth: 'agent' },
  'GET /chat/conversations/:id': { auth: 'agent', path: convPath },
  'POST /chat/conversations/:id/accept': { auth: 'agent', path: convPath },
  'POST /chat/conversations/:id/decline': { auth: 'agent', path: convPath },
  'POST /chat/conversations/:id/close': { auth: 'agent', path: convPath },
  'POST /chat/conversations/:id/messages': { auth: 'agent', path: convPath, body: body(AgentSendRequest) },
  'POST /chat/conversations/:id/attachments': { auth: 'agent', path: convPath, body: body(AgentAttachmentRequest) },
  'GET /chat/attachments/:id': { auth: 'agent', path: () => ({ id: idOr(ids.attachment) }) },
  'POST /chat/conversations/:id/typing': { auth: 'agent', path: convPath, body: body(TypingRequest) },
  'POST /chat/conversations/:id/read': { auth: 'agent', path: convPath, body: body(ReadRequest) },
  'POST /chat/conversations/:id/transfer': { auth: 'agent', path: convPath, body: body(TransferRequest) },
  'POST /chat/conversations/:id/takeover': { auth: 'agent', path: convPath },
  'GET /chat/queues': { auth: 'agent' },
  'GET /chat/events': { auth: 'agent', query: fc.oneof(fc.nat().map((n) => `after=${n}`), fc.constantFrom(...hostileStrings.filter((s) => s.length < 3000)).map((s) => `after=${encodeURIComponent(s)}`)) },
  'POST /presence': { auth: 'agent', body: body(PresenceRequest) },
  'POST /chat/voice-events': { auth: 'agent', body: body(VoiceEventRequest.extend({ conversationId: z.literal(ids.conversation).or(z.uuid()) })) },
  'POST /chat/calls': { auth: 'agent', body: body(CallReport) },
  'GET /quick-replies': { auth: 'agent' },
  'POST /quick-replies': {
    auth: 'agent',
    body: body(ReplyWrite),
    // Issue 12 item 14: a quick-reply body with NUL (chat text refuses NUL with 400).
    examples: () => [{ body: { category: 'General', shortcut: 'nul-body', title: 'NUL', bodies: { en: 'a\u0000b' } } }, { body: { category: 'Gen\u0000', shortcut: 'nul-category', title: '\uD800', bodies: { en: 'x' } } }],
  },
  'PUT /quick-replies/:id': { auth: 'agent', path: () => ({ id: idOr(ids.reply) }), body: body(ReplyWrite) },
  'DELETE /quick-replies/:id': { auth: 'agent', path: () => ({ id: idOr(ids.reply) }) },
  'POST /quick-replies/:id/use': { auth: 'agent', path: () => ({ id: idOr(ids.reply) }) },
  'POST /coaching/live': { auth: 'agent', body: body(LiveReport) },
  'POST /coaching/hand': { auth: 'agent', body: body(HandRequest) },
  'GET /coaching/teams/:teamId/live': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'GET /kpi/scopes': { auth: 'agent' },
  // KPI reports: hostile team ids, periods and anchors (a day that does not exist, far years, text) are 400s, never 5xx.
  'GET /kpi/report': { auth: 'agent', query: kpiQuery(ids) },
  'GET /kpi/report.csv': { auth: 'agent', query: kpiQuery(ids) },
  'GET /sla/alarms': { auth: 'agent' },
  'POST /sla/alarms/:id/ack': { auth: 'agent', path: () => ({ id: idOr(ids.ticket) }) },
  'GET /sla/tickets/:ticketId/timers': { auth: 'agent', path: () => ({ ticketId: idOr(ids.ticket) }) },
  'GET /sla/teams': { auth: 'agent' },
  'GET /sla/teams/:teamId/settings': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'PUT /sla/teams/:teamId/settings': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }), body: body(TeamSlaSettings) },
  'POST /coaching/grants': { auth: 'agent', body: body(GrantRequest) },
  'POST /coaching/verify': { auth: 'agent', body: body(VerifyRequest) },
  'POST /coaching/sessions/:id/events': { auth: 'agent', path: () => ({ id: idOr(ids.coachingSession) }), body: body(SessionEvent) },
  'GET /coaching/audit': {
    auth: 'agent',
    query: fc.oneof(fc.integer({ min: -5, max: 1000 }).map((n) => `limit=${n}`), fc.constantFrom(...hostileStrings.filter((s) => s.length < 3000)).map((s) => `teamId=${encodeURIComponent(s)}&limit=${encodeURIComponent(s)}`)),
  },
  // Review: hostile filters (huge ticket numbers, page keys that would overflow a bigint, text for dates) are 400s, never 5xx.
  'GET /review/conversations': { auth: 'agent', query: reviewQuery(ids) },
  'GET /review/conversations/:id': { auth: 'agent', path: () => ({ id: idOr(ids.conversation) }) },
  'GET /review/audit': { auth: 'agent', query: reviewQuery(ids) },
  'GET /review/teams/:teamId/settings': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }) },
  'PUT /review/teams/:teamId/settings': { auth: 'agent', path: () => ({ teamId: idOr(ids.team) }), body: body(ReviewSettings) },
  'GET /review/follow-ups': { auth: 'agent', query: reviewQuery(ids) },
  // Mood (issue 20): hostile ids and block requests are 4xx, never 5xx, and change nothing when refused.
  'GET /mood/conversations/:id': { auth: 'agent', path: () => ({ id: idOr(ids.conversation) }) },
  'POST /mood/conversations/:id/abusive': { auth: 'agent', path: () => ({ id: idOr(ids.conversation) }) },
  'GET /mood/alerts': { auth: 'agent' },
  'POST /mood/alerts/:id/ack': { auth: 'agent', path: () => ({ id: idOr(ids.conversation) }) },
  'POST /mood/conversations/:id/block': { auth: 'agent', path: () => ({ id: idOr(ids.conversation) }), body: body(BlockRequest) },
  'GET /mood/blocks': { auth: 'agent' },
  'POST /mood/blocks/:id/lift': { auth: 'agent', path: () => ({ id: idOr(ids.conversation) }) },
  'GET /survey/:token': { auth: 'none', path: () => ({ token: fc.oneof(fc.string({ minLength: 43, maxLength: 43 }), fc.constantFrom(...hostileStrings.filter((s) => s.length < 3000))) }) },
  'POST /survey/:token': { auth: 'none', path: () => ({ token: fc.string({ minLength: 43, maxLength: 43 }) }), body: fc.oneof(fc.record({ score: fc.oneof(fc.integer(), fc.string()), liked: fc.string() }), hostileValue) },
  'POST /widget/sessions': { auth: 'none', body: body(WidgetSessionRequest) },
  'GET /widget/': { auth: 'none' },
  // The admin console (issue 16). Creating people and teams and the CSV import run as the admin (random
  // names, rows and hostile CSV are 400s or writes, never 5xx); the rest would change the fixtures other
  // routes are fuzzed against, so they run as the agent and meet the role check.
  'GET /admin/people': { auth: 'agent' },
  'POST /admin/people': { auth: 'admin', body: body(PersonCreate) },
  'PATCH /admin/people/:id': { auth: 'agent', path: () => ({ id: idOr(ids.agentScope) }), body: body(PersonPatch) },
  'POST /admin/people/:id/deactivate': { auth: 'agent', path: () => ({ id: idOr(ids.agentScope) }) },
  'POST /admin/people/:id/reactivate': { auth: 'agent', path: () => ({ id: idOr(ids.agentScope) }) },
  'POST /admin/people/:id/password': { auth: 'agent', path: () => ({ id: idOr(ids.agentScope) }), body: body(PasswordReset) },
  'POST /admin/people/:id/sip-password': { auth: 'agent', path: () => ({ id: idOr(ids.agentScope) }) },
  'POST /admin/people/import': {
    auth: 'admin',
    body: body(fc.oneof(arbitraryOf(ImportRequest), fc.record({ csv: fc.array(fc.array(fc.constantFrom(...hostileStrings.filter((x) => x.length < 200), 'a', '', '"', '3101', 'Team Berlin'), { maxLength: 8 }).map((r) => r.join(',')), { maxLength: 6 }).map((rows) => ['username,display_name,extension,teams', ...rows].join('\n')), dryRun: fc.boolean() }))),
  },
  'GET /admin/teams': { auth: 'agent' },
  'POST /admin/teams': { auth: 'admin', body: body(TeamCreate) },
  'PATCH /admin/teams/:id': { auth: 'agent', path: () => ({ id: idOr(ids.team) }), body: body(TeamPatch) },
  'GET /admin/queues': { auth: 'agent' },
  'POST /admin/queues': { auth: 'agent', body: body(QueueCreate) },
  'PATCH /admin/queues/:id': { auth: 'agent', path: () => ({ id: fc.uuid() }), body: body(QueuePatch) },
  'GET /admin/messaging-providers': { auth: 'agent' },
  'POST /admin/messaging-providers': { auth: 'agent', body: body(MessagingProviderCreate) },
  'POST /admin/messaging-providers/:id/rotate': { auth: 'agent', path: () => ({ id: fc.constantFrom('gateway', 'x', '..') }) },
  'GET /admin/scim-providers': { auth: 'agent' },
  'POST /admin/scim-providers': { auth: 'agent', body: body(ScimProviderCreate) },
  'POST /admin/scim-providers/:id/rotate': { auth: 'agent', path: () => ({ id: fc.constantFrom('okta', 'x', '..') }) },
  'GET /admin/audit': { auth: 'agent', query: fc.constantFrom('entity=person', 'limit=-1', 'limit=9999', 'entity=' + 'x'.repeat(100)) },
  // SCIM without a provider token: every body and path is a 401 in SCIM's error shape, never a 5xx.
  'GET /scim/v2/ServiceProviderConfig': { auth: 'none' },
  'GET /scim/v2/ResourceTypes': { auth: 'none' },
  'GET /scim/v2/Schemas': { auth: 'none' },
  'GET /scim/v2/Users': { auth: 'none' },
  'POST /scim/v2/Users': { auth: 'none', body: body(fc.jsonValue()) },
  'GET /scim/v2/Users/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }) },
  'PUT /scim/v2/Users/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }), body: body(fc.jsonValue()) },
  'PATCH /scim/v2/Users/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }), body: body(fc.jsonValue()) },
  'DELETE /scim/v2/Users/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }) },
  'GET /scim/v2/Groups': { auth: 'none' },
  'POST /scim/v2/Groups': { auth: 'none', body: body(fc.jsonValue()) },
  'GET /scim/v2/Groups/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }) },
  'PUT /scim/v2/Groups/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }), body: body(fc.jsonValue()) },
  'PATCH /scim/v2/Groups/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }), body: body(fc.jsonValue()) },
  'DELETE /scim/v2/Groups/:id': { auth: 'none', path: () => ({ id: fc.oneof(fc.uuid(), fc.constantFrom('..', 'x', '%00')) }) },
  'GET /widget/widget.css': { auth: 'none' },
  'GET /widget/widget.js': { auth: 'none' },
  'GET /widget/conversation': { auth: 'customer' },
  'POST /widget/messages': { auth: 'customer', body: body(WidgetSendRequest) },
  'POST /widget/attachments': { auth: 'customer', body: body(WidgetAttachmentRequest) },
  'GET /widget/attachments/:id': { auth: 'customer', path: () => ({ id: idOr(ids.attachment) }) },
  'POST /widget/typing': { auth: 'customer', body: body(TypingRequest) },
  'POST /widget/read': { auth: 'customer', body: body(ReadRequest) },
  'POST /widget/close': { auth: 'customer', body: body(hostileValue) },
  'POST /widget/survey': { auth: 'customer', body: body(SurveyRequest) },
  'POST /channels/messaging/:providerId/inbound': { auth: 'signed', path: () => ({ providerId: fc.constant('gateway') }), body: body(MessagingInbound) },
  'POST /channels/email/:providerId/inbound': { auth: 'signed', path: () => ({ providerId: fc.constant('gateway') }), body: emailBody },
});

/** Tables a refused request must leave as they were. Left out: coaching_events (a refused grant is audited on purpose). */
export const watchedTables = [
  'users', 'teams', 'team_members', 'sessions', 'refresh_tokens', 'tickets', 'ticket_comments', 'customers', 'sync_clients', 'sync_mutation_log',
  'conversations', 'chat_messages', 'chat_attachments', 'chat_queues', 'agent_capacity', 'agent_presence', 'widget_sessions', 'messaging_inbound',
  'messaging_outbox', 'email_threads', 'survey_responses', 'quick_replies', 'coaching_sessions', 'sso_identities', 'admin_audit', 'scim_providers',
];

/** Query strings for the KPI report routes: well-formed around the caller's team, and hostile in every field. */
function reviewQuery(ids: FuzzIds): fc.Arbitrary<string> {
  const encodable = hostileStrings.filter((s) => s.length < 3000 && !/\p{Cs}/u.test(s));
  const hostile = fc.constantFrom(...encodable).map(encodeURIComponent);
  const key = fc.constantFrom('teamId', 'agentId', 'customer', 'channel', 'from', 'to', 'tag', 'csatMin', 'csatMax', 'ticket', 'after', 'limit');
  const value = fc.oneof(hostile, fc.constant(ids.team), fc.constantFrom('99999999999999999999', '2147483648', '-1', '2026-02-30', `99999999999999999999:${ids.team}`, '1:zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'));
  return fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

function kpiQuery(ids: FuzzIds): fc.Arbitrary<string> {
  // Strings with a lone surrogate cannot be put in a URL at all (encodeURIComponent throws): the client could not send them.
  const encodable = hostileStrings.filter((s) => s.length < 3000 && !/\p{Cs}/u.test(s));
  const hostile = fc.constantFrom(...encodable).map(encodeURIComponent);
  const anchor = fc.oneof(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00'), hostile);
  const period = fc.oneof(fc.constantFrom('day', 'week', 'month', 'year', ''), hostile);
  const team = fc.oneof(fc.constant(ids.team), fc.uuid(), hostile);
  return fc.tuple(team, period, anchor).map(([t, p, a]) => `teamId=${t}&period=${p}&anchor=${a}`);
}
