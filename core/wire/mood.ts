import { z } from 'zod';

/**
 * Customers' mood (issue 20), server/mood:
 *   GET  /mood/conversations/:id          → ConversationMood   the trend (one point per customer message)
 *   GET  /mood/alerts                      → MoodAlertList      a lead's alerts for their teams (24 h)
 *   POST /mood/alerts/:id/ack              → MoodAlert
 *   POST /mood/conversations/:id/abusive   → MoodAlert          the agent flags the customer; the lead is alerted
 *   GET  /mood/socket                      alerts as they are raised (first message: auth), leads only
 */
export const moodRoutes = {
  conversation: '/mood/conversations/:id',
  alerts: '/mood/alerts',
  ack: '/mood/alerts/:id/ack',
  abusive: '/mood/conversations/:id/abusive',
  socket: '/mood/socket',
  /** POST { hours, reason } → CustomerBlock: the team's lead blocks the contact and its widget address. */
  block: '/mood/conversations/:id/block',
  blocks: '/mood/blocks',
  lift: '/mood/blocks/:id/lift',
} as const;

export const CustomerBlock = z.object({
  id: z.string(),
  teamId: z.string(),
  conversationId: z.string().nullable(),
  customerName: z.string().nullable(),
  byAddress: z.boolean(),
  reason: z.string(),
  createdByName: z.string().nullable(),
  createdAt: z.number(),
  expiresAt: z.number(),
  liftedAt: z.number().nullable(),
  liftedByName: z.string().nullable(),
});
export type CustomerBlock = z.infer<typeof CustomerBlock>;
export const CustomerBlockList = z.object({ blocks: z.array(CustomerBlock) });
export type CustomerBlockList = z.infer<typeof CustomerBlockList>;

export const MoodPoint = z.object({ seq: z.number().int(), score: z.number(), negative: z.boolean(), abusive: z.boolean(), at: z.number() });
export type MoodPoint = z.infer<typeof MoodPoint>;

export const ConversationMood = z.object({ conversationId: z.string(), points: z.array(MoodPoint) });
export type ConversationMood = z.infer<typeof ConversationMood>;

export const MoodAlertKind = z.enum(['low', 'drop', 'abusive']);
export type MoodAlertKind = z.infer<typeof MoodAlertKind>;

/** The last messages travel with the alert, insults already masked (core/mood/abuse.ts). */
export const AlertLine = z.object({ author: z.enum(['customer', 'agent', 'system', 'coach']), body: z.string(), score: z.number().nullable(), at: z.number() });

export const MoodAlert = z.object({
  id: z.string(),
  kind: MoodAlertKind,
  conversationId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  customerName: z.string(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  score: z.number().nullable(),
  raisedAt: z.number(),
  acknowledgedAt: z.number().nullable(),
  lastMessages: z.array(AlertLine),
});
export type MoodAlert = z.infer<typeof MoodAlert>;

export const MoodAlertList = z.object({ alerts: z.array(MoodAlert) });
export type MoodAlertList = z.infer<typeof MoodAlertList>;

export const MoodSocketAuth = z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) });

export const MoodSocketMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('alert'), alert: MoodAlert }),
  z.object({ type: z.literal('acknowledged'), alert: MoodAlert }),
]);
export type MoodSocketMessage = z.infer<typeof MoodSocketMessage>;
