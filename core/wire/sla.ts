import { z } from 'zod';
import { HolidayInput, HoursInput, SlaPolicyInput, TimerKind, TimerState } from '../sla/policy';

/**
 * The SLA wire: alarms (list, acknowledge, the alarm socket) and a team's SLA settings.
 *
 *   GET  /sla/alarms                      the caller's alarms (assignee: their tickets'; lead: their teams'; admin: all)
 *   POST /sla/alarms/:id/ack              acknowledge (who and when are recorded); idempotent
 *   GET  /sla/tickets/:ticketId/timers    a ticket's SLA timers (whoever may read the ticket)
 *   GET  /sla/teams                       the teams whose settings the caller may change (lead: own, admin: all)
 *   GET  /sla/teams/:teamId/settings      time zone, business hours, holidays, policies (lead of the team, admin)
 *   PUT  /sla/teams/:teamId/settings      replace them all in one transaction (core/sla/policy.ts TeamSlaSettings)
 *   GET  /sla/socket                      alarms as they are raised or acknowledged (first message: auth)
 */
export const slaRoutes = {
  alarms: '/sla/alarms',
  teams: '/sla/teams',
  ack: (id: string) => `/sla/alarms/${encodeURIComponent(id)}/ack`,
  timers: (ticketId: string) => `/sla/tickets/${encodeURIComponent(ticketId)}/timers`,
  settings: (teamId: string) => `/sla/teams/${encodeURIComponent(teamId)}/settings`,
  socket: '/sla/socket',
} as const;

/** escalation: the breach went unacknowledged to the escalation contact; escalation_admins: that too, on to the admins. */
export const AlarmLevel = z.enum(['warning', 'breach', 'escalation', 'escalation_admins']);
export type AlarmLevel = z.infer<typeof AlarmLevel>;

const Ms = z.number().int().nonnegative();

export const Alarm = z.object({
  id: z.string(),
  level: AlarmLevel,
  timerKind: TimerKind,
  ticketId: z.string(),
  ticketNumber: z.number().int().nullable(),
  /** The ticket's subject: customer-written text for chats ("Chat with …"), shown as text, never markup. */
  subject: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  teamTimeZone: z.string(),
  assigneeName: z.string().nullable(),
  raisedAt: Ms,
  /** When the target is (was) due; null while the ticket waits on the customer. */
  dueAt: Ms.nullable(),
  targetSeconds: z.number().int().positive(),
  warnPercent: z.number().int(),
  acknowledgedAt: Ms.nullable(),
  acknowledgedByName: z.string().nullable(),
});
export type Alarm = z.infer<typeof Alarm>;

export const AlarmList = z.object({ alarms: z.array(Alarm) });
export type AlarmList = z.infer<typeof AlarmList>;

export const AlarmSocketAuth = z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) });
export type AlarmSocketAuth = z.infer<typeof AlarmSocketAuth>;

export const AlarmSocketMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A new alarm for this user. */
  z.object({ type: z.literal('alarm'), alarm: Alarm }),
  /** Someone acknowledged an alarm this user has. */
  z.object({ type: z.literal('acknowledged'), alarm: Alarm }),
]);
export type AlarmSocketMessage = z.infer<typeof AlarmSocketMessage>;

export const TeamSlaSettingsView = z.object({
  teamId: z.string(),
  teamName: z.string(),
  timeZone: z.string(),
  hours: z.array(HoursInput),
  holidays: z.array(HolidayInput),
  policies: z.array(SlaPolicyInput),
  updatedAt: Ms.nullable(),
});
export type TeamSlaSettingsView = z.infer<typeof TeamSlaSettingsView>;

export const SlaTeams = z.object({ teams: z.array(z.object({ id: z.string(), name: z.string(), timeZone: z.string() })) });
export type SlaTeams = z.infer<typeof SlaTeams>;

export const TicketTimer = z.object({
  kind: TimerKind,
  state: TimerState,
  targetSeconds: z.number().int().positive(),
  startedAt: Ms,
  /** null while paused (the ticket waits on the customer). */
  dueAt: Ms.nullable(),
  /** Business time left when paused. */
  remainingMs: z.number().int().nonnegative().nullable(),
  /** When the response or resolution came (met, or missed and then done); null while it runs. */
  stoppedAt: Ms.nullable(),
});
export type TicketTimer = z.infer<typeof TicketTimer>;
export const TicketTimers = z.object({ timeZone: z.string(), timers: z.array(TicketTimer) });
export type TicketTimers = z.infer<typeof TicketTimers>;
