import { z } from 'zod';
import { Presence } from '../presence';
import { Role } from './auth';

/**
 * Wire contract of the wallboard and of presence reasons (server/board/, server/presence/):
 *
 *   GET  /presence/config                    any signed-in user: their team's break reasons and wrap-up limit
 *   GET  /teams/:teamId/break-reasons        lead of the team or admin: the whole list, retired ones too
 *   PUT  /teams/:teamId/break-reasons        lead of the team or admin: replaces the list (BreakReasonsInput)
 *   GET  /teams/:teamId/floor-settings       lead of the team or admin
 *   PUT  /teams/:teamId/floor-settings       lead of the team or admin (FloorSettings)
 *   GET  /teams/:teamId/floor                lead of the team or admin: the floor editor's whole document (TeamFloor)
 *   PUT  /teams/:teamId/floor                lead of the team or admin: saves it in one transaction, all or nothing
 *   GET  /board/teams                        lead or admin: the teams whose board they may watch
 *   GET  /board/teams/:teamId                lead of the team or admin: one wallboard snapshot
 *   GET  /board/socket (WebSocket)           `{type:'auth', token}`, then `{type:'watch', teamId}`: a
 *                                            `snapshot`, then `update`s (only the parts that changed)
 *
 * A queue on the wallboard is a routing queue (chat_queues): one team's queue for one combination of
 * routing keys (language, and optionally country and product). Every channel (web chat, messaging,
 * email, voice) a conversation arrives on joins the queue its keys pick, so the queue is what a customer
 * waits in, whatever the channel.
 */
export const boardRoutes = {
  socket: '/board/socket',
  teams: '/board/teams',
  snapshot: '/board/teams/:teamId',
  presenceConfig: '/presence/config',
  breakReasons: '/teams/:teamId/break-reasons',
  floorSettings: '/teams/:teamId/floor-settings',
  floor: '/teams/:teamId/floor',
} as const;

const Label = (what: string) => z.string().trim().min(1, `${what} is empty`).max(60, `${what} is longer than 60 characters`);

export const BreakReasonLabels = z.object({ en: Label('the English label'), 'zh-CN': Label('the Simplified Chinese label'), 'zh-TW': Label('the Traditional Chinese label') });
export type BreakReasonLabels = z.infer<typeof BreakReasonLabels>;

export const BreakReason = z.object({
  id: z.uuid(),
  code: z.string(),
  labels: BreakReasonLabels,
  active: z.boolean(),
});
export type BreakReason = z.infer<typeof BreakReason>;

export const BreakReasonInput = z.object({
  /** An existing reason being edited; without it, a new reason. */
  id: z.uuid('a break reason id is a UUID').optional(),
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a reason code is lower-case letters, digits and dashes (up to 40)'),
  labels: BreakReasonLabels,
  active: z.boolean().default(true),
});
export type BreakReasonInput = z.input<typeof BreakReasonInput>;

/** The team's whole list in display order; a reason left out is retired (history keeps pointing at it). */
export const BreakReasonsInput = z.object({ reasons: z.array(BreakReasonInput).max(30, 'a team has at most 30 break reasons') });
export type BreakReasonsInput = z.input<typeof BreakReasonsInput>;
export const BreakReasonList = z.object({ reasons: z.array(BreakReason) });
export type BreakReasonList = z.infer<typeof BreakReasonList>;

/** Where after-call work ends when the team's limit passes (never after-call again). */
export const WrapUpNext = z.enum(['available', 'busy', 'break', 'offline']);
export type WrapUpNext = z.infer<typeof WrapUpNext>;

export const FloorSettings = z.object({
  /** After-call work ends by itself after this many seconds; null: no limit. */
  wrapUpLimitSeconds: z.number().int().min(10, 'the wrap-up limit is at least 10 seconds').max(3600, 'the wrap-up limit is at most an hour').nullable(),
  wrapUpNext: WrapUpNext,
  /** "Answered within target" on the wallboard: answered within this many seconds of arriving. */
  answerTargetSeconds: z.number().int().min(5, 'the answer target is at least 5 seconds').max(3600, 'the answer target is at most an hour'),
  /** IANA time zone: "today" on the wallboard is the team's day. */
  timeZone: z.string().min(1).max(64),
});
export type FloorSettings = z.infer<typeof FloorSettings>;

/**
 * The floor editor's document (Wallboard → "Break reasons & wrap-up…"): floor settings, break reasons and the
 * first-contact-resolution window the KPIs count with (`teams.kpi_fcr_days`), saved in one request and one
 * transaction: a refused part leaves every part as it was.
 */
export const FcrWindowDays = z.number().int('the first-contact-resolution window is whole days').min(1, 'the first-contact-resolution window is at least 1 day').max(90, 'the first-contact-resolution window is at most 90 days');
export const TeamFloorInput = z.object({ floor: FloorSettings, reasons: BreakReasonsInput.shape.reasons, fcrWindowDays: FcrWindowDays });
export type TeamFloorInput = z.input<typeof TeamFloorInput>;
export const TeamFloor = z.object({ floor: FloorSettings, reasons: z.array(BreakReason), fcrWindowDays: z.number().int() });
export type TeamFloor = z.infer<typeof TeamFloor>;

export const PresenceConfig = z.object({
  teamId: z.uuid().nullable(),
  /** Active reasons, in the team's order. */
  reasons: z.array(BreakReason),
  floor: FloorSettings,
});
export type PresenceConfig = z.infer<typeof PresenceConfig>;

export const BoardTeams = z.object({ teams: z.array(z.object({ id: z.uuid(), name: z.string() })) });
export type BoardTeams = z.infer<typeof BoardTeams>;

export const BoardQueue = z.object({
  id: z.uuid(),
  name: z.string(),
  /** Open and not answered yet: waiting in the queue or ringing at an agent (offered). */
  waiting: z.number().int().nonnegative(),
  /** Epoch ms the longest-waiting of them arrived; null when none waits. */
  oldestSince: z.number().nullable(),
  /** Answered in the last 60 minutes, and how many of those within the team's answer target. */
  answeredHour: z.number().int().nonnegative(),
  withinTargetHour: z.number().int().nonnegative(),
  /** The customer left before an agent answered, in the last 60 minutes. */
  abandonedHour: z.number().int().nonnegative(),
  /** Issue 17: a voice queue (server/queues) has `kind: 'voice'`, its number, and callers waiting for a callback; a chat queue has none of these. */
  kind: z.enum(['chat', 'voice']).optional(),
  number: z.string().optional(),
  callbacksWaiting: z.number().int().nonnegative().optional(),
});
export type BoardQueue = z.infer<typeof BoardQueue>;

export const BoardAgent = z.object({
  id: z.uuid(),
  displayName: z.string(),
  role: Role,
  extension: z.string().nullable(),
  presence: Presence,
  reason: BreakReason.pick({ id: true, code: true, labels: true }).nullable(),
  /** Epoch ms the agent entered `presence`; null when never seen. */
  since: z.number().nullable(),
  chats: z.number().int().nonnegative(),
  maxChats: z.number().int().positive(),
  call: z.object({ startedAt: z.number(), direction: z.enum(['inbound', 'outbound']), held: z.boolean() }).nullable(),
  /** The agent's app reported within the last minute (a sleeping laptop stops reporting). */
  connected: z.boolean(),
});
export type BoardAgent = z.infer<typeof BoardAgent>;

/** Today in the team's time zone; `date` is that day (YYYY-MM-DD). */
export const TodayFigures = z.object({
  date: z.string(),
  offered: z.number().int().nonnegative(),
  answered: z.number().int().nonnegative(),
  answeredWithinTarget: z.number().int().nonnegative(),
  /** Ended today with an agent (core/kpi/figures.ts "contacts handled"). */
  handled: z.number().int().nonnegative(),
  abandoned: z.number().int().nonnegative(),
  /** Average speed of answer in seconds; null when nothing was answered. */
  averageAnswerSeconds: z.number().nonnegative().nullable(),
});
export type TodayFigures = z.infer<typeof TodayFigures>;

export const BoardSnapshot = z.object({
  team: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() }),
  answerTargetSeconds: z.number().int().positive(),
  wrapUpLimitSeconds: z.number().int().positive().nullable(),
  /** The server's clock when the figures were read (the client ticks from its own clock after that). */
  at: z.number(),
  queues: z.array(BoardQueue),
  agents: z.array(BoardAgent),
  today: TodayFigures,
});
export type BoardSnapshot = z.infer<typeof BoardSnapshot>;

export const BoardSocketClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().max(4096) }),
  z.object({ type: z.literal('watch'), teamId: z.uuid() }),
]);
export type BoardSocketClientMessage = z.infer<typeof BoardSocketClientMessage>;

export const BoardSocketServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('snapshot'), snapshot: BoardSnapshot }),
  /** Only the parts that changed since the last message for this team. */
  z.object({
    type: z.literal('update'),
    teamId: z.uuid(),
    at: z.number(),
    queues: z.array(BoardQueue).optional(),
    agents: z.array(BoardAgent).optional(),
    today: TodayFigures.optional(),
  }),
  /** A watch the caller may not make (not their team, or an agent): nothing of that team is sent. */
  z.object({ type: z.literal('refused'), teamId: z.uuid(), message: z.string() }),
]);
export type BoardSocketServerMessage = z.infer<typeof BoardSocketServerMessage>;
