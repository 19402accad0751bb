import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../core/tickets/scope';
import { ReviewAuditQuery, type ReviewAuditList, type ReviewRecord, ReviewSearchQuery, type ReviewSearchResult, ReviewSettings, reviewRoutes as paths } from '../../core/wire/review';
import type { Queryable } from '../db/db';
import { actorOf } from '../http/actor';
import type { AppContext } from '../http/context';
import { forbidden, notFound, parseWith } from '../http/errors';
import { conversationScope, loadRecord, searchConversations } from './search';

export type ReviewOptions = { now: () => number };

const IdParams = z.object({ id: z.uuid('must be a conversation id') });
const TeamParams = z.object({ teamId: z.uuid('must be a team id') });

/** A lead reviews the teams they are in; an admin every team; an agent none (agents see their own reviews). */
export function mayReview(actor: Actor, teamId: string): boolean {
  return actor.role === 'admin' || (actor.role === 'lead' && actor.teamIds.includes(teamId));
}

type AuditRow = { action: 'search' | 'open'; outcome: 'allowed' | 'refused'; teamIds: readonly string[]; conversationId?: string | null; query?: unknown };

async function audit(db: Queryable, actor: Actor, row: AuditRow, at: Date): Promise<void> {
  await db.query('insert into review_audit (at, actor_id, actor_role, action, outcome, team_ids, conversation_id, query) values ($1, $2, $3, $4, $5, $6::uuid[], $7, $8)', [
    at,
    actor.userId,
    actor.role,
    row.action,
    row.outcome,
    [...row.teamIds],
    row.conversationId ?? null,
    JSON.stringify(row.query ?? {}),
  ]);
}

/**
 * Conversation review (issue 19): search, the whole record, the review audit and the team's retention.
 * Scope is read from the session on every request (actorOf); every search and opened record is audited,
 * a refused one too, so a lead probing another team's conversations leaves a trace.
 */
export function reviewRoutes(app: FastifyInstance, ctx: AppContext, options: Partial<ReviewOptions> = {}): void {
  const now = () => new Date((options.now ?? Date.now)());
  const { db } = ctx;

  app.get(paths.search, async (request): Promise<ReviewSearchResult> => {
    const actor = await actorOf(ctx, request);
    const q = parseWith(ReviewSearchQuery, request.query, 'query');
    const at = now();
    if (actor.role === 'agent') {
      await audit(db, actor, { action: 'search', outcome: 'refused', teamIds: q.teamId ? [q.teamId] : [], query: q }, at);
      throw forbidden('Only team leads and admins review conversations.');
    }
    if (q.teamId && !mayReview(actor, q.teamId)) {
      await audit(db, actor, { action: 'search', outcome: 'refused', teamIds: [q.teamId], query: q }, at);
      throw forbidden('You can only review the teams you lead.');
    }
    const teamIds = q.teamId ? [q.teamId] : actor.role === 'admin' ? null : actor.teamIds;
    await audit(db, actor, { action: 'search', outcome: 'allowed', teamIds: teamIds ?? [], query: q }, at);
    if (teamIds && teamIds.length === 0) return { hits: [], next: null, retentionDays: 365 };
    return searchConversations(db, teamIds, q, at);
  });

  app.get('/review/conversations/:id', async (request): Promise<ReviewRecord> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const at = now();
    const scope = await conversationScope(db, id, at);
    if (!scope || !mayReview(actor, scope.teamId)) {
      // Audited with no team: the refusal must not tell the caller whether the conversation exists.
      await audit(db, actor, { action: 'open', outcome: 'refused', teamIds: [], conversationId: id }, at);
      if (actor.role === 'agent') throw forbidden('Only team leads and admins review conversations.');
      throw notFound('No such conversation in the teams you review.');
    }
    if (scope.expired) throw notFound('This conversation is older than the team keeps records for review.');
    await audit(db, actor, { action: 'open', outcome: 'allowed', teamIds: [scope.teamId], conversationId: id }, at);
    return (await loadRecord(db, id))!;
  });

  app.get(paths.audit, async (request): Promise<ReviewAuditList> => {
    const actor = await actorOf(ctx, request);
    const q = parseWith(ReviewAuditQuery, request.query, 'query');
    if (!mayReview(actor, q.teamId)) throw forbidden('You can only see the review audit of the teams you lead.');
    // A team's audit: accesses that reached the team, and refused opens of its conversations (recorded with no team).
    const { rows } = await db.query<{ id: string; at: Date; actor_id: string; display_name: string | null; actor_role: string; action: 'search' | 'open'; outcome: 'allowed' | 'refused'; conversation_id: string | null; query: Record<string, unknown> }>(
      `select a.id, a.at, a.actor_id, u.display_name, a.actor_role, a.action, a.outcome, a.conversation_id, a.query
         from review_audit a left join users u on u.id = a.actor_id
        where a.team_ids @> array[$1]::uuid[]
           or (a.team_ids = '{}' and a.conversation_id in (select id from conversations where team_id = $1))
        order by a.at desc, a.id desc limit $2`,
      [q.teamId, q.limit],
    );
    return {
      entries: rows.map((r) => ({ id: Number(r.id), at: r.at.getTime(), actorId: r.actor_id, actorName: r.display_name, actorRole: r.actor_role, action: r.action, outcome: r.outcome, conversationId: r.conversation_id, query: r.query })),
    };
  });

  app.get('/review/teams/:teamId/settings', async (request): Promise<ReviewSettings> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    if (!mayReview(actor, teamId)) throw forbidden('You can only see the review settings of the teams you lead.');
    const { rows } = await db.query<{ days: number }>('select review_retention_days as days from teams where id = $1', [teamId]);
    if (!rows[0]) throw notFound('No such team.');
    return { retentionDays: rows[0].days };
  });

  app.put('/review/teams/:teamId/settings', async (request): Promise<ReviewSettings> => {
    const actor = await actorOf(ctx, request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    // Retention is a records policy: admins set it; a lead reads it.
    if (actor.role !== 'admin') throw forbidden('Only admins change how long conversations are kept for review.');
    const body = parseWith(ReviewSettings, request.body);
    const { rows } = await db.query<{ days: number }>('update teams set review_retention_days = $2 where id = $1 returning review_retention_days as days', [teamId, body.retentionDays]);
    if (!rows[0]) throw notFound('No such team.');
    return { retentionDays: rows[0].days };
  });
}
