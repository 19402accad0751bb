import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import {
  type BoardSnapshot,
  type BoardTeams,
  type BreakReasonList,
  BreakReasonsInput,
  FloorSettings,
  type PresenceConfig,
  type TeamFloor,
  TeamFloorInput,
  boardRoutes as paths,
} from '../../core/wire/board';
import type { Actor } from '../../core/tickets/scope';
import type { EventRow } from '../chat/store';
import type { AppContext } from '../http/context';
import { actorOf } from '../http/actor';
import { forbidden, notFound, parseWith } from '../http/errors';
import { defaultFloor, listReasons, loadFloor, replaceReasons, saveFloor } from '../presence/settings';
import { expireWrapUps } from '../presence/write';
import { setFcrWindowIn } from '../kpi/settings';
import { bindAgent } from '../realtime/bindings';
import type { RealtimeHub } from '../realtime/hub';
import { type BoardHub, createBoardHub, mayWatch } from './hub';
import type { LiveLookup } from './snapshot';
import { actorOf as auditActor, audit } from '../admin/audit';

export type BoardOptions = {
  now: () => number;
  authDeadlineMs: number;
  /** How often after-call work past its team's wrap-up limit is ended; 0: never by itself (tests call `expireWrapUps`). */
  wrapUpSweepMs: number;
  coalesceMs?: number;
  refreshMs?: number;
};

export type BoardRuntime = {
  hub: BoardHub;
  /** The chat hub's dispatched events: a conversation arrived, was offered, answered, moved or ended. */
  onChatEvents(rows: readonly EventRow[]): void;
  /** An agent's presence changed (POST /presence). */
  onPresenceChanged(teamIds: readonly string[]): void;
  /** An agent's app reported a change of call or presence (POST /coaching/live). */
  onLiveChanged(userId: string): void;
  /** The coaching live board, once it exists (built after chat). */
  useLive(live: LiveLookup): void;
  expireWrapUps(): Promise<void>;
};

const TeamParams = z.object({ teamId: z.uuid('must be a team id') });
/** Chat events that move a queue or an agent's contacts; messages and read marks do not. */
const boardEventTypes = new Set(['offer', 'assignment', 'conversation']);

/** Lead of this team or admin; anyone else is refused before anything of the team is read. */
function leadsTeam(actor: Actor, teamId: string): void {
  if (actor.role === 'agent') throw forbidden('Only team leads and admins can do this.');
  if (!mayWatch(actor, teamId)) throw forbidden('You can only manage teams you lead.');
}

/** The wallboard (socket and snapshot), break reasons, floor settings and the wrap-up limit sweep. */
export function boardRoutes(app: FastifyInstance, ctx: AppContext, realtime: RealtimeHub, opts: BoardOptions): BoardRuntime {
  const { db } = ctx;
  let live: LiveLookup = () => null;
  const hub = createBoardHub(db, realtime, {
    authDeadlineMs: opts.authDeadlineMs,
    bindAgent: (token) => bindAgent(db, ctx.tokens, token),
    now: opts.now,
    live: (userId) => live(userId),
    ...(opts.coalesceMs !== undefined ? { coalesceMs: opts.coalesceMs } : {}),
    ...(opts.refreshMs !== undefined ? { refreshMs: opts.refreshMs } : {}),
    log: (line) => app.log.warn(line),
  });
  app.addHook('onClose', async () => hub.close());

  void app.register(async (scoped) => {
    scoped.get(paths.socket, { websocket: true }, (socket: WebSocket) => realtime.serve(socket, hub.kind));
  });

  app.get(paths.teams, async (request): Promise<BoardTeams> => {
    const actor = await actorOf(ctx, request);
    if (actor.role === 'agent') throw forbidden('Only team leads and admins see the wallboard.');
    const { rows } = await db.query<{ id: string; name: string }>('select id, name from teams where $1::boolean or id = any($2::uuid[]) order by name', [
      actor.role === 'admin',
      actor.teamIds,
    ]);
    return { teams: rows };
  });

  app.get(paths.snapshot, async (request): Promise<BoardSnapshot> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    const snap = await hub.snapshot(teamId);
    if (!snap) throw notFound('No such team.');
    return snap;
  });

  app.get(paths.presenceConfig, async (request): Promise<PresenceConfig> => {
    const actor = await actorOf(ctx, request);
    const teamId = actor.teamIds[0] ?? null;
    if (!teamId) return { teamId: null, reasons: [], floor: defaultFloor };
    const [reasons, floor] = await Promise.all([listReasons(db, teamId, true), loadFloor(db, teamId)]);
    return { teamId, reasons, floor };
  });

  app.get(paths.breakReasons, async (request): Promise<BreakReasonList> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    return { reasons: await listReasons(db, teamId, false) };
  });

  app.put(paths.breakReasons, async (request): Promise<BreakReasonList> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    const body = parseWith(BreakReasonsInput, request.body);
    const reasons = await db.transaction(async (tx) => {
      const before = await listReasons(tx, teamId, false);
      const after = await replaceReasons(tx, teamId, body.reasons);
      await audit(tx, await auditActor(tx, actor.userId), 'break-reasons.update', 'team', teamId, { reasons: before }, { reasons: after });
      return after;
    });
    hub.changed([teamId]);
    return { reasons };
  });

  app.get(paths.floorSettings, async (request): Promise<FloorSettings> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    return loadFloor(db, teamId);
  });

  app.put(paths.floorSettings, async (request): Promise<FloorSettings> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    const input = parseWith(FloorSettings, request.body);
    const floor = await db.transaction(async (tx) => {
      const before = await loadFloor(tx, teamId);
      const after = await saveFloor(tx, teamId, input);
      await audit(tx, await auditActor(tx, actor.userId), 'floor-settings.update', 'team', teamId, before, after);
      return after;
    });
    hub.changed([teamId]);
    return floor;
  });

  const loadTeamFloor = async (teamId: string): Promise<TeamFloor> => {
    const [floor, reasons, fcr] = await Promise.all([
      loadFloor(db, teamId),
      listReasons(db, teamId, false),
      db.query<{ kpi_fcr_days: number }>('select kpi_fcr_days from teams where id = $1', [teamId]),
    ]);
    const fcrWindowDays = fcr.rows[0]?.kpi_fcr_days;
    if (fcrWindowDays === undefined) throw notFound('No such team.');
    return { floor, reasons, fcrWindowDays };
  };

  app.get(paths.floor, async (request): Promise<TeamFloor> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    return loadTeamFloor(teamId);
  });

  // The floor editor's one save: settings, reasons and the FCR window in one transaction (a refused reason
  // leaves the wrap-up limit as it was, and the other way round).
  app.put(paths.floor, async (request): Promise<TeamFloor> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    leadsTeam(actor, teamId);
    const body = parseWith(TeamFloorInput, request.body);
    await db.transaction(async (tx) => {
      if (!(await setFcrWindowIn(tx, teamId, body.fcrWindowDays))) throw notFound('No such team.');
      await saveFloor(tx, teamId, body.floor);
      await replaceReasons(tx, teamId, body.reasons);
    });
    hub.changed([teamId]);
    return loadTeamFloor(teamId);
  });

  const expire = async () => {
    const done = await expireWrapUps(db, new Date(opts.now()));
    if (done.length) hub.changed(done.flatMap((d) => d.teamIds));
  };
  if (opts.wrapUpSweepMs > 0) {
    let sweeping = false;
    const timer = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      expire()
        .catch((err: unknown) => app.log.warn(`wrap-up limit sweep: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => (sweeping = false));
    }, opts.wrapUpSweepMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  const teamsOf = async (userId: string): Promise<string[]> => {
    const { rows } = await db.query<{ team_id: string }>('select team_id from team_members where user_id = $1', [userId]);
    return rows.map((r) => r.team_id);
  };

  return {
    hub,
    onChatEvents(rows) {
      const teamIds = rows.filter((r) => boardEventTypes.has(r.payload.type)).map((r) => r.team_id);
      if (teamIds.length) hub.changedHere(teamIds);
    },
    onPresenceChanged: (teamIds) => hub.changed(teamIds),
    onLiveChanged(userId) {
      teamsOf(userId)
        .then((teamIds) => hub.changed(teamIds))
        .catch((err: unknown) => app.log.warn(`board: live change of ${userId}: ${String(err)}`));
    },
    useLive(l) {
      live = l;
    },
    expireWrapUps: expire,
  };
}
