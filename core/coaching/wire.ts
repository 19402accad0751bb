import { z } from 'zod';
import { Presence } from '../presence';
import { Role } from '../wire/auth';
import { grantToken } from './grant';
import { CoachMode } from './modes';

/**
 * Wire contract of the coaching routes (server/coaching/routes.ts):
 *   POST /coaching/live                 agent's app: presence and current call (the grant's anchor)
 *   POST /coaching/hand                 agent raises or lowers a hand
 *   GET  /coaching/teams/:teamId/live   lead: the team's live view
 *   POST /coaching/grants               lead: a short-lived grant for an agent's current call
 *   POST /coaching/verify               agent's app: is this INVITE's grant good? (consumes it)
 *   POST /coaching/sessions/:id/events  lead or agent: mode change, end (the audit trail)
 *   GET  /coaching/audit                lead (own teams) or admin: past sessions with their modes
 */

const CallIdText = z.string().min(1).max(64);
const QualityBand = z.enum(['good', 'fair', 'poor', 'bad', 'unknown']);

export const LiveCall = z.object({
  callId: CallIdText,
  /** The far end's number or URI, as the agent's app shows it. */
  remote: z.string().max(300),
  remoteName: z.string().max(200).optional(),
  direction: z.enum(['inbound', 'outbound']),
  /** Epoch ms when the call connected. */
  startedAt: z.number().int().min(0),
  held: z.boolean(),
  band: QualityBand,
  mos: z.number().min(0).max(5).optional(),
});
export type LiveCall = z.infer<typeof LiveCall>;

export const LiveReport = z.object({ presence: Presence, call: LiveCall.nullable() });
export type LiveReport = z.infer<typeof LiveReport>;

export const HandRequest = z.object({ raised: z.boolean(), note: z.string().max(200).optional() });
export type HandRequest = z.infer<typeof HandRequest>;

export const CoachRef = z.object({ sessionId: z.uuid(), leadId: z.uuid(), leadName: z.string(), mode: CoachMode });
export type CoachRef = z.infer<typeof CoachRef>;

export const LiveMember = z.object({
  id: z.uuid(),
  displayName: z.string(),
  role: Role,
  extension: z.string().nullable(),
  presence: Presence,
  /** Epoch ms since the member has been in `presence`; null when the app never reported. */
  presenceSince: z.number().nullable(),
  call: LiveCall.nullable(),
  openChats: z.number().int().min(0),
  /** The first few live chats, so a lead can open one read-only, whisper or take it over. */
  chats: z.array(z.object({ id: z.uuid(), customerName: z.string() })).max(10),
  hand: z.object({ raisedAt: z.number(), note: z.string().optional() }).nullable(),
  coach: CoachRef.nullable(),
});
export type LiveMember = z.infer<typeof LiveMember>;

export const TeamLive = z.object({ team: z.object({ id: z.uuid(), name: z.string() }), at: z.number(), members: z.array(LiveMember) });
export type TeamLive = z.infer<typeof TeamLive>;

export const GrantRequest = z.object({
  agentId: z.uuid(),
  callId: CallIdText,
  /** Shorter than the default only (tests and cautious deployments); capped at maxGrantTtlSeconds. */
  ttlSeconds: z.number().int().min(1).max(60).optional(),
});
export type GrantRequest = z.infer<typeof GrantRequest>;

export const GrantResponse = z.object({
  grant: grantToken,
  sessionId: z.uuid(),
  /** The agent's extension: the lead's app dials it with the grant in a header. */
  extension: z.string(),
  expiresAt: z.number(),
});
export type GrantResponse = z.infer<typeof GrantResponse>;

export const VerifyRequest = z.object({ grant: z.string().max(2000), callId: CallIdText.nullable() });
export type VerifyRequest = z.infer<typeof VerifyRequest>;

export const VerifyResponse = z.object({
  sessionId: z.uuid(),
  lead: z.object({ id: z.uuid(), displayName: z.string() }),
  callId: CallIdText,
  /** Policy: whether the agent is shown silent listening (visible unless the deployment hides it). */
  showListen: z.boolean(),
});
export type VerifyResponse = z.infer<typeof VerifyResponse>;

export const VerifyRefusal = z.enum(['malformed', 'forged', 'expired', 'replayed', 'wrong-agent', 'wrong-call', 'not-lead']);
export type VerifyRefusal = z.infer<typeof VerifyRefusal>;

export const SessionEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), mode: CoachMode }),
  z.object({ type: z.literal('mode'), mode: CoachMode }),
  z.object({ type: z.literal('ended'), reason: z.enum(['lead-left', 'agent-call-ended', 'lead-lost', 'refused']) }),
]);
export type SessionEvent = z.infer<typeof SessionEvent>;

export const AuditSession = z.object({
  id: z.uuid(),
  lead: z.object({ id: z.uuid(), displayName: z.string() }),
  agent: z.object({ id: z.uuid(), displayName: z.string() }),
  teamId: z.uuid(),
  callId: z.string(),
  grantedAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endReason: z.string().nullable(),
  events: z.array(z.object({ at: z.number(), kind: z.string(), mode: CoachMode.nullable(), byId: z.uuid().nullable() })),
});
export type AuditSession = z.infer<typeof AuditSession>;
export const AuditList = z.object({ sessions: z.array(AuditSession) });
export type AuditList = z.infer<typeof AuditList>;

/**
 * The Team page's live view, pushed (server/coaching/liveSocket.ts): `{type:'auth', token}`, then
 * `{type:'watch', teamId}`; the server answers `live` with the whole view at once and again after every
 * change (an app's report, a raised hand, a coach joining or leaving, a chat offered, taken or ended), or
 * `refused` for an agent or a lead of another team.
 */
export const teamLiveSocketPath = '/coaching/socket';

export const TeamLiveSocketClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().max(4096) }),
  z.object({ type: z.literal('watch'), teamId: z.uuid() }),
]);
export type TeamLiveSocketClientMessage = z.infer<typeof TeamLiveSocketClientMessage>;

export const TeamLiveSocketServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('live'), live: TeamLive }),
  z.object({ type: z.literal('refused'), teamId: z.uuid(), message: z.string() }),
]);
export type TeamLiveSocketServerMessage = z.infer<typeof TeamLiveSocketServerMessage>;
