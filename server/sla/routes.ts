import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { TeamSlaSettings, settingsProblem } from '../../core/sla/policy';
import { type Alarm, type AlarmList, AlarmSocketAuth, type AlarmSocketMessage, type SlaTeams, type TeamSlaSettingsView, type TicketTimer, type TicketTimers, slaRoutes as paths } from '../../core/wire/sla';
import { canRead } from '../../core/tickets/scope';
import { isTeamMember } from '../accounts/users';
import { actorOf } from '../http/actor';
import type { AppContext } from '../http/context';
import { badRequest, forbidden, notFound, parseWith } from '../http/errors';
import { bindAgent } from '../realtime/bindings';
import type { Json } from '../realtime/bus';
import type { Binding, RealtimeHub, SocketKind } from '../realtime/hub';
import { type AlarmRow, type Audience, audienceOf, listAlarms, loadAlarmRows, maySee, reaches, toAlarm } from './alarms';
import { type SlaScanner, scanOnce, startSlaScanner } from './scanner';
import { loadSettings, saveSettings } from './settings';
import { parseJson } from '../realtime/parseJson';
import { actorOf as auditActor, audit } from '../admin/audit';

export type SlaOptions = {
  now: () => number;
  /** How often the scanner looks for due warnings, breaches and escalations (default 500 ms). */
  scanIntervalMs: number;
  /** Off in tests that drive `scanner.scanOnce` themselves. */
  scan: boolean;
  authDeadlineMs: number;
  /** A policy save re-timed running timers: these tickets' due times moved (sync pokes their viewers). */
  onTicketsRetimed?: (teamId: string, ticketIds: readonly string[]) => void;
};

export const defaultSlaOptions: SlaOptions = { now: Date.now, scanIntervalMs: 500, scan: true, authDeadlineMs: 10_000 };

/** The realtime topic alarms travel on between instances (server/realtime/bus.ts). */
export const alarmTopic = 'sla.alarm';

type AlarmEvent = { type: 'alarm' | 'acknowledged'; alarm: Alarm; audience: Audience };

const IdParams = z.object({ id: z.uuid('must be an alarm id') });
const TeamParams = z.object({ teamId: z.uuid('must be a team id') });
const TicketParams = z.object({ ticketId: z.uuid('must be a ticket id') });

export type SlaRuntime = { scanner: SlaScanner | null; scanOnce(): Promise<AlarmRow[]>; readonly sockets: number };

/**
 * SLA alarms and policies: the alarm list and acknowledgment, the alarm socket (a socket kind on the one
 * realtime hub, fan-out by scope: only sockets of an alarm's audience, alarms.ts), the team's SLA
 * settings, and the scanner that raises alarms from the database (scanner.ts).
 */
export function slaRoutes(app: FastifyInstance, ctx: AppContext, realtime: RealtimeHub, options: Partial<SlaOptions> = {}): SlaRuntime {
  const opts: SlaOptions = { ...defaultSlaOptions, ...options };
  const { db } = ctx;

  const kind: SocketKind<null> = {
    name: 'sla-alarms',
    authDeadlineMs: opts.authDeadlineMs,
    async authenticate(text) {
      const msg = parseJson(text, AlarmSocketAuth);
      if (!msg) return null;
      const binding: Extract<Binding, { kind: 'agent' }> | null = await bindAgent(db, ctx.tokens, msg.token);
      return binding ? { binding, state: null } : null;
    },
    onBound(client) {
      client.send({ type: 'ready' } satisfies AlarmSocketMessage);
    },
  };

  // Delivered on every instance; each sends to its own sockets whose user is in the alarm's audience.
  const deliver = realtime.topic<Json, number>(alarmTopic, (message) => {
    const event = message as unknown as AlarmEvent;
    const text = JSON.stringify({ type: event.type, alarm: event.alarm } satisfies AlarmSocketMessage);
    let sent = 0;
    for (const client of realtime.clients(kind)) {
      if (client.binding.kind !== 'agent' || !reaches(client.binding.actor, event.audience)) continue;
      if (client.send(text)) sent += 1;
    }
    return sent;
  });
  const publish = (type: AlarmEvent['type'], rows: AlarmRow[]) => {
    for (const r of rows) deliver({ type, alarm: toAlarm(r), audience: audienceOf(r) } as unknown as Json);
  };

  const scanner = opts.scan
    ? startSlaScanner({ db, now: opts.now, intervalMs: opts.scanIntervalMs, publish: (rows) => publish('alarm', rows), log: (line) => app.log.warn(line) })
    : null;
  app.addHook('onClose', async () => scanner?.stop());

  app.get(paths.alarms, async (request): Promise<AlarmList> => {
    const actor = await actorOf(ctx, request);
    return { alarms: await listAlarms(db, actor, new Date(opts.now())) };
  });

  app.post('/sla/alarms/:id/ack', async (request): Promise<Alarm> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const [row] = await loadAlarmRows(db, [id]);
    if (!row || !maySee(actor, row)) throw notFound('No such alarm.');
    // The first acknowledgment stands: who and when are not overwritten by a second click elsewhere.
    const { rows } = await db.query<{ id: string }>(
      'update sla_alarms set acknowledged_at = $2, acknowledged_by = $3 where id = $1 and acknowledged_at is null returning id',
      [id, new Date(opts.now()), actor.userId],
    );
    const [after] = await loadAlarmRows(db, [id]);
    if (rows[0]) publish('acknowledged', [after!]);
    return toAlarm(after!);
  });

  const leadOf = async (teamId: string, actor: { userId: string; role: string }) => {
    if (actor.role === 'agent') throw forbidden('Only team leads and admins can see and change SLA policies.');
    if (actor.role === 'lead' && !(await isTeamMember(db, teamId, actor.userId))) throw forbidden('You can only change the SLA policies of teams you lead.');
  };

  app.get('/sla/tickets/:ticketId/timers', async (request): Promise<TicketTimers> => {
    const actor = await actorOf(ctx, request);
    const { ticketId } = parseWith(TicketParams, request.params, 'path');
    const { rows } = await db.query<{ team_id: string | null; assignee_id: string | null; time_zone: string | null }>(
      'select t.team_id, t.assignee_id, tm.time_zone from tickets t left join teams tm on tm.id = t.team_id where t.id = $1',
      [ticketId],
    );
    const ticket = rows[0];
    // Outside the caller's read scope looks like no ticket at all (core/tickets/scope.ts).
    if (!ticket || !canRead(actor, { teamId: ticket.team_id, assigneeId: ticket.assignee_id })) throw notFound('No such ticket.');
    const { rows: timers } = await db.query<{ kind: TicketTimer['kind']; state: TicketTimer['state']; target_seconds: number; started_at: Date; due_at: Date | null; remaining_ms: string | null; stopped_at: Date | null }>(
      'select kind, state, target_seconds, started_at, due_at, remaining_ms, stopped_at from sla_timers where ticket_id = $1 order by started_at, kind',
      [ticketId],
    );
    return {
      timeZone: ticket.time_zone ?? 'UTC',
      timers: timers.map((t) => ({
        kind: t.kind,
        state: t.state,
        targetSeconds: t.target_seconds,
        startedAt: t.started_at.getTime(),
        dueAt: t.due_at ? t.due_at.getTime() : null,
        remainingMs: t.remaining_ms === null ? null : Number(t.remaining_ms),
        stoppedAt: t.stopped_at ? t.stopped_at.getTime() : null,
      })),
    };
  });

  /** The teams whose SLA settings the caller may change: a lead's own, every team for an admin. */
  app.get(paths.teams, async (request): Promise<SlaTeams> => {
    const actor = await actorOf(ctx, request);
    if (actor.role === 'agent') throw forbidden('Only team leads and admins can see and change SLA policies.');
    const { rows } = await db.query<{ id: string; name: string; time_zone: string }>(
      actor.role === 'admin' ? 'select id, name, time_zone from teams order by name' : 'select id, name, time_zone from teams where id = any($1::uuid[]) order by name',
      actor.role === 'admin' ? [] : [actor.teamIds],
    );
    return { teams: rows.map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone })) };
  });

  app.get('/sla/teams/:teamId/settings', async (request): Promise<TeamSlaSettingsView> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    await leadOf(teamId, actor);
    const settings = await loadSettings(db, teamId);
    if (!settings) throw notFound('No such team.');
    return settings;
  });

  app.put('/sla/teams/:teamId/settings', async (request): Promise<TeamSlaSettingsView> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    await leadOf(teamId, actor);
    const parsed = TeamSlaSettings.safeParse(request.body);
    if (!parsed.success) throw badRequest(`Invalid SLA settings: ${settingsProblem(parsed.error)}`);
    const before = await loadSettings(db, teamId);
    if (!before) throw notFound('No such team.');
    const retimed = await saveSettings(db, teamId, parsed.data, actor.userId, new Date(opts.now()), async (tx) =>
      audit(tx, await auditActor(tx, actor.userId), 'sla-settings.update', 'team', teamId, before, await loadSettings(tx, teamId)),
    );
    if (retimed.length > 0) opts.onTicketsRetimed?.(teamId, retimed);
    return (await loadSettings(db, teamId))!;
  });

  void app.register(async (scoped) => {
    if (!scoped.hasDecorator('websocketServer')) await scoped.register(websocket, { options: { maxPayload: 8 * 1024 } });
    scoped.get(paths.socket, { websocket: true }, (socket: WebSocket) => realtime.serve(socket, kind));
  });

  return {
    scanner,
    scanOnce: async () => {
      const rows = await scanOnce(db, opts.now());
      publish('alarm', rows);
      return rows;
    },
    get sockets() {
      return realtime.clients(kind).length;
    },
  };
}
