import { z } from 'zod';
import type { TicketPriority } from '../tickets/model';
import { isKnownTimeZone } from './businessTime';

/**
 * SLA policies of a team, and the team's business calendar they count in. The whole set is edited and
 * saved as one document (`TeamSlaSettings`), validated here and written in one transaction by the server,
 * so a refused save changes nothing.
 *
 * What counts as a response (stops first-response and next-response timers), per channel:
 *   chat       an agent's message to the customer; internal notes and a lead's whisper are not
 *   email      a reply the agent sent (queued for delivery); a draft is not
 *   messaging  a message the agent sent to the customer's app
 *   voice      the agent answering the call, or a call-back the customer picks up (a missed call is not:
 *              the timer keeps running until someone reaches the customer)
 *   web/phone  (tickets made in the app) a public comment by an agent; internal comments are not
 * Resolution stops when the ticket is solved or closed. While the ticket is `pending` (waiting on the
 * customer) every running timer is paused and resumes with the business time it had left.
 */

export const slaChannels = ['any', 'chat', 'messaging', 'email', 'voice', 'web', 'phone'] as const;
export const SlaChannel = z.enum(slaChannels);
export type SlaChannel = z.infer<typeof SlaChannel>;
export const SlaPriority = z.enum(['any', 'low', 'normal', 'high', 'urgent']);
export type SlaPriority = z.infer<typeof SlaPriority>;

export const timerKinds = ['first_response', 'next_response', 'resolution'] as const;
export const TimerKind = z.enum(timerKinds);
export type TimerKind = z.infer<typeof TimerKind>;
export const TimerState = z.enum(['active', 'paused', 'met', 'missed', 'abandoned']);
export type TimerState = z.infer<typeof TimerState>;

/** Targets are seconds (a chat's first response is often under a minute); 90 days at most. */
const maxTarget = 90 * 86_400;
const Target = z
  .number({ error: 'must be a number of seconds' })
  .int('must be whole seconds')
  .positive('must be more than zero')
  .max(maxTarget, 'must be at most 90 days');

export const SlaPolicyInput = z.object({
  channel: SlaChannel,
  priority: SlaPriority,
  firstResponseSeconds: Target,
  nextResponseSeconds: Target.nullable(),
  resolutionSeconds: Target.nullable(),
  warnPercent: z.number().int('must be a whole percent').min(1, 'must be between 1 and 99').max(99, 'must be between 1 and 99'),
  /** Count only the team's business hours (else around the clock). */
  businessHours: z.boolean(),
  /** An alarm nobody acknowledged within this goes to the next level. */
  escalateAfterSeconds: Target,
  /** The escalation contact (a user); null: the admins. */
  escalationUserId: z.uuid('must be a user id').nullable(),
  /**
   * Second level: an escalation to the contact that nobody acknowledged within this goes on to the admins.
   * Null or left out: one level only (and none when the first level is already the admins).
   */
  escalateAgainAfterSeconds: Target.nullable().optional(),
});
export type SlaPolicyInput = z.infer<typeof SlaPolicyInput>;

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const Clock = z.string().regex(hhmm, 'must be a time such as 09:00 (00:00-24:00)');
export const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
export const toClock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export const HoursInput = z.object({ weekday: z.number().int().min(1, 'weekday must be 1-7').max(7, 'weekday must be 1-7'), start: Clock, end: Clock });
export type HoursInput = z.infer<typeof HoursInput>;

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
export const HolidayInput = z.object({
  date: z.string().regex(isoDay, 'must be a date (YYYY-MM-DD)').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date'),
  name: z.string().trim().min(1, 'needs a name').max(100, 'name is longer than 100 characters'),
});
export type HolidayInput = z.infer<typeof HolidayInput>;

export const TeamSlaSettings = z
  .object({
    timeZone: z.string().max(64).refine(isKnownTimeZone, 'is not a known time zone (use an IANA name such as Asia/Shanghai or Europe/Berlin)'),
    hours: z.array(HoursInput).max(70),
    holidays: z.array(HolidayInput).max(400),
    policies: z.array(SlaPolicyInput).max(35),
  })
  .superRefine((s, ctx) => {
    const byDay = new Map<number, { start: number; end: number; i: number }[]>();
    s.hours.forEach((h, i) => {
      const start = toMinutes(h.start);
      const end = toMinutes(h.end);
      if (end <= start) ctx.addIssue({ code: 'custom', path: ['hours', i], message: `ends (${h.end}) before it starts (${h.start})` });
      byDay.set(h.weekday, [...(byDay.get(h.weekday) ?? []), { start, end, i }]);
    });
    for (const list of byDay.values()) {
      const sorted = list.filter((x) => x.end > x.start).sort((a, b) => a.start - b.start);
      for (let k = 1; k < sorted.length; k += 1) {
        if (sorted[k]!.start < sorted[k - 1]!.end) ctx.addIssue({ code: 'custom', path: ['hours', sorted[k]!.i], message: 'overlaps another interval of the same day' });
      }
    }
    const days = new Set<string>();
    s.holidays.forEach((h, i) => {
      if (days.has(h.date)) ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `${h.date} is listed twice` });
      days.add(h.date);
    });
    const keys = new Set<string>();
    s.policies.forEach((p, i) => {
      const key = `${p.channel}/${p.priority}`;
      if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['policies', i], message: `a second policy for channel ${p.channel} and priority ${p.priority}` });
      keys.add(key);
    });
  });
export type TeamSlaSettings = z.infer<typeof TeamSlaSettings>;

/** The first issue of a refused settings document as one sentence: "policies.0.warnPercent: must be between 1 and 99". */
export function settingsProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid SLA settings';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

export type EffectivePolicy = Omit<SlaPolicyInput, 'channel' | 'priority'> & { id: string | null };

const hour = 3600;
/** Without a policy of the team's own: the old fixed targets (chat channels by channel, others by priority), around the clock. */
const fallbackFirst: Partial<Record<SlaChannel, number>> = { chat: 120, messaging: 15 * 60, email: 4 * hour, voice: 60 };
const fallbackByPriority: Record<TicketPriority, { first: number; resolution: number }> = {
  urgent: { first: 1 * hour, resolution: 4 * hour },
  high: { first: 4 * hour, resolution: 24 * hour },
  normal: { first: 8 * hour, resolution: 48 * hour },
  low: { first: 24 * hour, resolution: 96 * hour },
};

export function fallbackPolicy(channel: string, priority: TicketPriority): EffectivePolicy {
  const p = fallbackByPriority[priority];
  return {
    id: null,
    firstResponseSeconds: fallbackFirst[channel as SlaChannel] ?? p.first,
    nextResponseSeconds: null,
    resolutionSeconds: p.resolution,
    warnPercent: 80,
    businessHours: false,
    escalateAfterSeconds: 15 * 60,
    escalationUserId: null,
    escalateAgainAfterSeconds: null,
  };
}

/** The policy for a ticket: exact channel and priority, then channel, then priority, then the team's catch-all. */
export function matchPolicy<P extends { channel: SlaChannel; priority: SlaPriority }>(policies: readonly P[], channel: string, priority: TicketPriority): P | null {
  const order: [string, string][] = [
    [channel, priority],
    [channel, 'any'],
    ['any', priority],
    ['any', 'any'],
  ];
  for (const [c, p] of order) {
    const hit = policies.find((x) => x.channel === c && x.priority === p);
    if (hit) return hit;
  }
  return null;
}
