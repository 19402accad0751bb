import { z } from 'zod';
import { Presence } from '../presence';

/**
 * The contact event log (server table `contact_events`, append-only): every KPI is computed from these
 * rows, never from the mutable conversation rows. One contact is one conversation or call (`contactId`).
 *
 *   offered ──▶ answered ──▶ first_response ──▶ (transferred ──▶ offered/answered again) ──▶ ended ──▶ wrap_up
 *                                                                                        └──▶ survey (offered, then answered)
 *   offered ──▶ abandoned (the customer left before any agent answered) ──▶ ended
 *   sla_met / sla_missed: one per SLA timer that stopped (emitted by the SLA code).
 *
 * What each kind carries in `data`:
 *   offered         {}                                   the contact entered a team's queue (start, transfer to a queue)
 *   answered        { waitMs, targetMs? }                an agent took it; waitMs = from offered to answered (speed of answer);
 *                                                        targetMs = the team's answer target then ("answered within target")
 *   abandoned       { waitMs }                           the customer left before an agent answered, after waiting waitMs
 *   first_response  { afterMs }                          the agent's first reply the customer sees
 *   transferred     { toAgentId? , toTeamId }            the agent (agentId) handed it on
 *   ended           { talkMs }                           the contact closed; talkMs = handling time of the last agent
 *   wrap_up         { wrapUpMs, disposition? }           after-call work of the agent, once per contact
 *   survey          { answered: false }                  the customer was asked (the widget asks when the chat ends)
 *                   { answered: true, score: 1..5 }      the customer answered
 *   sla_met/missed  { timer }                            an SLA timer stopped in time / late
 *                                                        (a queued call: the caller hung up, or went to voicemail at the maximum wait)
 *   callback        { waitMs }                           a queued caller asked to be called back (keeps the place)
 */
export const contactEventKinds = ['offered', 'answered', 'first_response', 'transferred', 'ended', 'wrap_up', 'survey', 'sla_met', 'sla_missed', 'abandoned', 'callback'] as const;
export const ContactEventKind = z.enum(contactEventKinds);
export type ContactEventKind = z.infer<typeof ContactEventKind>;

export const ContactChannel = z.enum(['webchat', 'messaging', 'email', 'voice']);
export type ContactChannel = z.infer<typeof ContactChannel>;

const Ms = z.number().int().nonnegative().max(30 * 86_400_000);
export const SlaTimer = z.enum(['first_response', 'next_response', 'resolution']);
export type SlaTimer = z.infer<typeof SlaTimer>;

const base = {
  at: z.date(),
  teamId: z.uuid(),
  agentId: z.uuid().nullable(),
  customerId: z.uuid().nullable(),
  contactId: z.uuid(),
  /** The ticket the contact is about: first-contact resolution looks for a new contact on the same ticket. */
  ticketId: z.uuid().nullable(),
  channel: ContactChannel,
};

export const ContactEvent = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('offered'), data: z.object({}).strict() }),
  z.object({ ...base, kind: z.literal('answered'), data: z.object({ waitMs: Ms, targetMs: Ms.optional() }).strict() }),
  z.object({ ...base, kind: z.literal('abandoned'), data: z.object({ waitMs: Ms }).strict() }),
  z.object({ ...base, kind: z.literal('first_response'), data: z.object({ afterMs: Ms }).strict() }),
  z.object({ ...base, kind: z.literal('transferred'), data: z.object({ toAgentId: z.uuid().optional(), toTeamId: z.uuid() }).strict() }),
  z.object({ ...base, kind: z.literal('ended'), data: z.object({ talkMs: Ms }).strict() }),
  z.object({ ...base, kind: z.literal('wrap_up'), data: z.object({ wrapUpMs: Ms, disposition: z.string().max(32).optional() }).strict() }),
  z.object({
    ...base,
    kind: z.literal('survey'),
    data: z.union([z.object({ answered: z.literal(false) }).strict(), z.object({ answered: z.literal(true), score: z.number().int().min(1).max(5) }).strict()]),
  }),
  z.object({ ...base, kind: z.literal('sla_met'), data: z.object({ timer: SlaTimer }).strict() }),
  z.object({ ...base, kind: z.literal('sla_missed'), data: z.object({ timer: SlaTimer }).strict() }),
  z.object({ ...base, kind: z.literal('callback'), data: z.object({ waitMs: Ms }).strict() }),
]);
export type ContactEvent = z.infer<typeof ContactEvent>;

/** One presence change for the persisted history (server table `presence_log`). */
export const PresenceChange = z.object({
  userId: z.uuid(),
  teamIds: z.array(z.uuid()).readonly(),
  state: Presence,
  /**
   * Why, for a break (lunch, training, ...): the team's break reason; null for none. Omitted: the reporter
   * does not know (the coaching live report), and a stretch in the same state keeps its reason.
   */
  reason: z.string().min(1).max(64).nullable().optional(),
  at: z.date(),
});
export type PresenceChange = z.infer<typeof PresenceChange>;

/**
 * Presence states that count as staffed time for occupancy: signed in and not on a break. `offline`
 * and `break` are not staffed.
 */
export const staffedPresences: readonly Presence[] = ['available', 'busy', 'after-call'];
