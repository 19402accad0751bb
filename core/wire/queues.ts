import { z } from 'zod';
import { Locale } from '../locale';

/**
 * Wire contract of voice queues (issue 17; server/queues/routes.ts, core/queue/routing.ts for the rules):
 *
 *   GET  /queues/mine                         any signed-in user: the queue call ringing for them (screen pop),
 *                                             the one they are on, and why the server set them not-ready
 *   POST /queues/calls/:callId/answer         the agent it rings for
 *   POST /queues/calls/:callId/decline        the agent it rings for: it goes to the next agent
 *   POST /queues/calls/:callId/hangup         the agent on it
 *   GET  /teams/:teamId/voice-queues          lead of the team or admin: the team's queue numbers and figures
 *   POST /teams/:teamId/voice-queues          lead of the team or admin: a new queue number (VoiceQueueInput)
 *   PUT  /teams/:teamId/agents/:userId/routing  lead of the team or admin: an agent's skills and languages
 *
 * The PBX that holds the calls (a company's Asterisk/FreeSWITCH, or the embedded one) signs each request
 * with its connector's secret (`x-switchboard-signature`, as the chat providers' webhooks):
 *   POST /pbx/:providerId/queue-calls            a call to a queue number joined the line (PbxQueueCallStart)
 *   POST /pbx/:providerId/queue-calls/status     where the call is: its place, the extension to ring now
 *   POST /pbx/:providerId/queue-calls/events     the caller hung up or asked for a callback, the agent answered or hung up
 * Each answers PbxQueueCallStatus.
 */
export const queueRoutes = {
  mine: '/queues/mine',
  answer: '/queues/calls/:callId/answer',
  decline: '/queues/calls/:callId/decline',
  hangup: '/queues/calls/:callId/hangup',
  pbxStart: '/pbx/:providerId/queue-calls',
  pbxStatus: '/pbx/:providerId/queue-calls/status',
  pbxEvents: '/pbx/:providerId/queue-calls/events',
  teamQueues: '/teams/:teamId/voice-queues',
  agentRouting: '/teams/:teamId/agents/:userId/routing',
} as const;

const Skill = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,29}$/, 'a skill is a lower-case word (letters, digits, dashes; up to 30)');

export const VoiceQueueInput = z.object({
  name: z.string().trim().min(1, 'the name is empty').max(60, 'the name is longer than 60 characters'),
  number: z.string().regex(/^[0-9]{2,10}$/, 'a queue number is 2 to 10 digits'),
  skills: z.array(Skill).max(10, 'at most 10 skills').default([]),
  language: Locale.nullable().default(null),
  strategy: z.enum(['longest-idle', 'fewest-answered']).default('longest-idle'),
  ringSeconds: z.number().int().min(5).max(120).default(20),
  maxWaitSeconds: z.number().int().min(30).max(7200).default(300),
  onMaxWait: z.enum(['callback', 'voicemail']).default('callback'),
  answerTargetSeconds: z.number().int().min(5).max(3600).default(20),
});
export type VoiceQueueInput = z.input<typeof VoiceQueueInput>;

export const VoiceQueueFigures = z.object({
  waiting: z.number().int(),
  /** Epoch ms the longest-waiting caller joined, or null. */
  oldestSince: z.number().nullable(),
  answeredToday: z.number().int(),
  withinTargetToday: z.number().int(),
  abandonedToday: z.number().int(),
  /** Callers waiting for a callback (they hung up and kept their place). */
  callbacksWaiting: z.number().int(),
});
export type VoiceQueueFigures = z.infer<typeof VoiceQueueFigures>;

export const VoiceQueue = VoiceQueueInput.extend({ id: z.uuid(), teamId: z.uuid(), figures: VoiceQueueFigures });
export type VoiceQueue = z.infer<typeof VoiceQueue>;
export const VoiceQueueList = z.object({ queues: z.array(VoiceQueue) });
export type VoiceQueueList = z.infer<typeof VoiceQueueList>;

export const AgentRoutingInput = z.object({
  skills: z.array(Skill).max(20, 'at most 20 skills'),
  languages: z.array(Locale).min(1, 'an agent speaks at least one language'),
});
export type AgentRoutingInput = z.input<typeof AgentRoutingInput>;

export const QueueCall = z.object({
  callId: z.uuid(),
  queueName: z.string(),
  /** The caller's number or SIP user: untrusted text, shown as text. */
  caller: z.string(),
  /** The customer asked to be called back: the agent dials them. */
  callback: z.boolean(),
  customer: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  enqueuedAt: z.number(),
  /** While it rings: when it moves on to the next agent (epoch ms). */
  expiresAt: z.number().nullable(),
});
export type QueueCall = z.infer<typeof QueueCall>;

export const MyQueueState = z.object({
  ringing: QueueCall.nullable(),
  connected: QueueCall.nullable(),
  /** Set by the server after a queue call rang out at this agent; gone once they pick a presence again. */
  notReady: z.object({ reason: z.literal('rang-out'), queueName: z.string(), at: z.number() }).nullable(),
});
export type MyQueueState = z.infer<typeof MyQueueState>;

const Extension = z.string().regex(/^[0-9A-Za-z_.+-]{1,64}$/, 'an extension is letters, digits and . _ + - (up to 64)');

export const PbxQueueCallStart = z.object({
  queueNumber: z.string().regex(/^[0-9]{2,10}$/, 'a queue number is 2 to 10 digits'),
  caller: z.string().trim().min(1, 'the caller is empty').max(128, 'the caller is longer than 128 characters'),
});
export type PbxQueueCallStart = z.input<typeof PbxQueueCallStart>;

export const PbxQueueCallRef = z.object({ callId: z.uuid('must be a call id') });

export const PbxQueueCallEvent = z.object({
  callId: z.uuid('must be a call id'),
  event: z.enum(['caller-gone', 'callback', 'answered', 'agent-gone']),
  /** With `answered`: the extension that picked up (must be the one the call rings at). */
  extension: Extension.optional(),
});
export type PbxQueueCallEvent = z.input<typeof PbxQueueCallEvent>;

export const PbxQueueCallStatus = z.object({
  callId: z.uuid(),
  queueName: z.string(),
  state: z.enum(['waiting', 'offered', 'connected', 'ended', 'abandoned', 'voicemail']),
  /** 1-based place in line while waiting (the periodic position message), else null. */
  position: z.number().int().positive().nullable(),
  /** The extension to ring now (state `offered`); when it changes, the PBX cancels the old leg and rings the new one. */
  ring: z.string().nullable(),
  /** The agent's extension the call is bridged to (state `connected`). */
  connectedTo: z.string().nullable(),
  /** The caller asked for (or the maximum wait turned this into) a callback: the PBX may say so and hang up. */
  callback: z.boolean(),
});
export type PbxQueueCallStatus = z.infer<typeof PbxQueueCallStatus>;
