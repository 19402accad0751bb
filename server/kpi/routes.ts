import type { FastifyInstance } from 'fastify';
import { KpiQuery, type KpiReport, type KpiScopes, kpiRoutes as paths } from '../../core/kpi/wire';
import type { Actor } from '../../core/tickets/scope';
import { actorOf } from '../http/actor';
import type { AppContext } from '../http/context';
import { forbidden, notFound, parseWith } from '../http/errors';
import { reportCsv } from './csv';
import { defaultMaterialise, startMaterialiser } from './materialise';
import { buildReport, loadTeam } from './report';

export type KpiOptions = {
  now: () => number;
  /** How often rollups are materialised ahead in the background (materialise.ts); 0: never (tests). */
  materialiseEveryMs: number;
  /** The first pass after start: not at once, so a starting server serves its first requests first. */
  materialiseFirstAfterMs: number;
};

/**
 * Who may see which figures: an agent their own, in a team they are in; a lead their teams' and everyone's
 * in them; an admin every team's. Checked against the session's current role and teams on every request.
 */
export function mayReport(actor: Actor, teamId: string, agentId: string | null): boolean {
  if (actor.role === 'admin') return true;
  if (!actor.teamIds.includes(teamId)) return false;
  return actor.role === 'lead' || agentId === actor.userId;
}

export function kpiRoutes(app: FastifyInstance, ctx: AppContext, options: Partial<KpiOptions> = {}): void {
  const now = options.now ?? Date.now;
  const { db } = ctx;
  const everyMs = options.materialiseEveryMs ?? 5 * 60_000;
  if (everyMs > 0) {
    const job = startMaterialiser(db, {
      ...defaultMaterialise,
      now,
      everyMs,
      firstAfterMs: options.materialiseFirstAfterMs ?? 10_000,
      log: (line) => app.log.info(line),
    });
    app.addHook('onClose', async () => job.stop());
  }

  async function report(actor: Actor, query: unknown): Promise<KpiReport> {
    const q = parseWith(KpiQuery, query, 'query');
    if (!mayReport(actor, q.teamId, q.agentId ?? null)) {
      throw forbidden(actor.role === 'agent' ? 'Agents see their own figures only.' : 'You can only see the teams you lead.');
    }
    const at = new Date(now());
    const team = await loadTeam(db, q.teamId, at);
    if (!team) throw notFound('No such team.');
    return buildReport(db, { team, agentId: q.agentId ?? null, period: q.period, anchor: q.anchor, now: at });
  }

  app.get(paths.scopes, async (request): Promise<KpiScopes> => {
    const actor = await actorOf(ctx, request);
    const { rows: teams } = await db.query<{ id: string; name: string; time_zone: string }>(
      `select id, name, time_zone from teams ${actor.role === 'admin' ? '' : 'where id = any($1::uuid[])'} order by name`,
      actor.role === 'admin' ? [] : [actor.teamIds],
    );
    const { rows: members } = await db.query<{ team_id: string; id: string; display_name: string }>(
      `select m.team_id, u.id, u.display_name from team_members m join users u on u.id = m.user_id
       where m.team_id = any($1::uuid[]) and u.role in ('agent', 'lead') ${actor.role === 'agent' ? 'and u.id = $2' : ''}
       order by u.display_name`,
      actor.role === 'agent' ? [teams.map((t) => t.id), actor.userId] : [teams.map((t) => t.id)],
    );
    return {
      teams: teams.map((t) => ({
        id: t.id,
        name: t.name,
        timeZone: t.time_zone,
        teamView: actor.role !== 'agent',
        agents: members.filter((m) => m.team_id === t.id).map((m) => ({ id: m.id, displayName: m.display_name })),
      })),
    };
  });

  app.get(paths.report, async (request) => report(await actorOf(ctx, request), request.query));

  app.get(paths.csv, async (request, reply) => {
    const r = await report(await actorOf(ctx, request), request.query);
    const name = `kpi-${r.period}-${r.ranges.current.from}${r.agent ? '-agent' : ''}.csv`;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(reportCsv(r));
  });
}
