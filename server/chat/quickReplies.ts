import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { QuickReply, ReplyBodies, Shortcut, replyLimits, replyScope } from '../../core/replies/model';
import type { Actor } from '../../core/tickets/scope';
import type { Queryable } from '../db/db';
import type { AppContext } from '../http/context';
import { forbidden, notFound, parseWith } from '../http/errors';
import { actorOf } from '../sync/routes';

/**
 * The quick-reply library (table `quick_replies`): what the composer's `/` popup searches.
 *
 *   GET  /quick-replies            → { replies: QuickReply[] }   everyone's, my teams', my own
 *   POST /quick-replies            ReplyWrite → QuickReply        personal; team replies only for a lead of it
 *   PUT  /quick-replies/:id        ReplyWrite → QuickReply        the owner, or a lead of the reply's team
 *   POST /quick-replies/:id/use    → 204                          use count +1 (ranking)
 *
 * Everyone's (global) replies are managed by admins in the database; this route never writes them.
 */
export const quickReplyPaths = { list: '/quick-replies', one: '/quick-replies/:id', use: '/quick-replies/:id/use' } as const;

const text = (max: number) => z.string().trim().min(1).max(max);
export const ReplyWrite = z.object({
  /** Set: a team reply of that team; absent or null: the author's personal reply. */
  teamId: z.uuid().nullable().optional(),
  category: text(replyLimits.category),
  shortcut: Shortcut,
  title: text(replyLimits.title),
  bodies: ReplyBodies,
});
export type ReplyWrite = z.infer<typeof ReplyWrite>;

const IdParams = z.object({ id: z.uuid('a quick reply id is a UUID') });

type Row = { id: string; team_id: string | null; owner_id: string | null; category: string; shortcut: string; title: string; bodies: unknown; use_count: number; updated_at: Date };

function toReply(row: Row): QuickReply {
  const ids = { teamId: row.team_id, ownerId: row.owner_id };
  return QuickReply.parse({ id: row.id, scope: replyScope(ids), ...ids, category: row.category, shortcut: row.shortcut, title: row.title, bodies: row.bodies, useCount: row.use_count, updatedAt: row.updated_at.getTime() });
}

const leads = (actor: Actor, teamId: string) => actor.role === 'admin' || (actor.role === 'lead' && actor.teamIds.includes(teamId));

async function visible(db: Queryable, actor: Actor, id: string): Promise<Row> {
  const { rows } = await db.query<Row>(
    `select * from quick_replies where id = $1 and (owner_id = $2 or team_id = any($3::uuid[]) or (team_id is null and owner_id is null) or $4)`,
    [id, actor.userId, actor.teamIds, actor.role === 'admin'],
  );
  if (!rows[0]) throw notFound('No such quick reply.');
  return rows[0];
}

export function quickReplyRoutes(app: FastifyInstance, ctx: AppContext, now: () => number): void {
  app.get(quickReplyPaths.list, async (request) => {
    const actor = await actorOf(ctx, request);
    const { rows } = await ctx.db.query<Row>(
      `select * from quick_replies where owner_id = $1 or team_id = any($2::uuid[]) or (team_id is null and owner_id is null)
       order by use_count desc, updated_at desc limit 20000`,
      [actor.userId, actor.teamIds],
    );
    // A row the schema refuses (hand-edited in the database) is left out rather than failing the whole library.
    const replies = rows.flatMap((r) => {
      try {
        return [toReply(r)];
      } catch {
        return [];
      }
    });
    return { replies };
  });

  app.post(quickReplyPaths.list, async (request) => {
    const actor = await actorOf(ctx, request);
    const body = parseWith(ReplyWrite, request.body);
    const teamId = body.teamId ?? null;
    if (teamId !== null && !leads(actor, teamId)) throw forbidden("Only a lead of the team can add to the team's replies.");
    const { rows } = await ctx.db.query<Row>(
      `insert into quick_replies (team_id, owner_id, category, shortcut, title, bodies, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $7) returning *`,
      [teamId, teamId === null ? actor.userId : null, body.category, body.shortcut, body.title, JSON.stringify(body.bodies), new Date(now())],
    );
    return toReply(rows[0]!);
  });

  app.put(quickReplyPaths.one, async (request) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const body = parseWith(ReplyWrite, request.body);
    const row = await visible(ctx.db, actor, id);
    const mayEdit = row.owner_id === actor.userId || (row.team_id !== null && leads(actor, row.team_id));
    if (!mayEdit) throw forbidden(row.owner_id === null && row.team_id === null ? "Everyone's replies are managed by an administrator." : 'Only the owner or a lead of the team can change this reply.');
    const { rows } = await ctx.db.query<Row>(
      'update quick_replies set category = $2, shortcut = $3, title = $4, bodies = $5, updated_at = $6 where id = $1 returning *',
      [id, body.category, body.shortcut, body.title, JSON.stringify(body.bodies), new Date(now())],
    );
    return toReply(rows[0]!);
  });

  app.post(quickReplyPaths.use, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    await visible(ctx.db, actor, id);
    await ctx.db.query('update quick_replies set use_count = use_count + 1 where id = $1', [id]);
    return reply.status(204).send();
  });
}
