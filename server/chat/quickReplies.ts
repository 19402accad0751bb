import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { refuseUnstorable } from '../../core/chat/storable';
import { QuickReply, ReplyBodies, Shortcut, replyLimits, replyScope } from '../../core/replies/model';
import type { Actor } from '../../core/tickets/scope';
import type { Queryable } from '../db/db';
import type { AppContext } from '../http/context';
import { forbidden, notFound, parseWith } from '../http/errors';
import { actorOf } from '../http/actor';

/**
 * The quick-reply library (table `quick_replies`): what the composer's `/` popup searches.
 *
 *   GET  /quick-replies            → { replies: QuickReply[] }   everyone's, my teams', my own
 *   POST /quick-replies            ReplyWrite → QuickReply        personal; team replies only for a lead of it
 *   PUT  /quick-replies/:id        ReplyWrite → QuickReply        the owner, or a lead of the reply's team
 *   DELETE /quick-replies/:id      → 204                          the owner, or a lead of the reply's team
 *   POST /quick-replies/:id/use    → 204                          use count +1 (ranking)
 *
 * A POST may carry the client's id: then it is create-or-replace, because the app's outbox resends a
 * write whose response was lost (offline, sleeping laptop) and that must not make a second reply.
 * Ownership is decided here, never by the body: without a team the reply is the author's, and a team
 * reply needs a lead of that team. After a write the team's (or the owner's) open apps are told over
 * the chat socket to fetch the library again.
 *
 * Everyone's (global) replies are managed by admins in the database; this route never writes them.
 */
export const quickReplyPaths = { list: '/quick-replies', one: '/quick-replies/:id', use: '/quick-replies/:id/use' } as const;

// Stored text goes through the one policy for user-written text (core/chat/safeText unstorableText): a
// NUL reached the database's jsonb and answered 500 (issue 12 item 14); now it is a 400 that says why.
const text = (max: number) => z.string().superRefine(refuseUnstorable).trim().min(1).max(max);
export const ReplyWrite = z.object({
  /** The client's id for this reply (POST only): a resent create replaces instead of duplicating. */
  id: z.uuid().optional(),
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

/**
 * The replies a user's library shows (GET /quick-replies): everyone's, their teams', their own. SQL over
 * the placeholders holding the user id and the team ids.
 */
const seenBy = (userId: string, teamIds: string) => `(owner_id = ${userId} or team_id = any(${teamIds}::uuid[]) or (team_id is null and owner_id is null))`;

/**
 * Counts one use of a reply the caller's library shows (the list's rule, no admin override): a count is a
 * ranking signal for the people who see the reply. One statement, so the check and the bump cannot part.
 * Both ways a use is counted (the use route, and a chat message naming the reply) go through here.
 */
export async function countQuickReplyUse(db: Queryable, actor: Actor, id: string): Promise<boolean> {
  const { rows } = await db.query(`update quick_replies set use_count = use_count + 1 where id = $1 and ${seenBy('$2', '$3')} returning id`, [id, actor.userId, actor.teamIds]);
  return rows.length > 0;
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

const mayEdit = (actor: Actor, row: Row) => row.owner_id === actor.userId || (row.team_id !== null && leads(actor, row.team_id));
const refusal = (row: Row) =>
  row.owner_id === null && row.team_id === null ? "Everyone's replies are managed by an administrator." : 'Only the owner or a lead of the team can change this reply.';

/** Who should refetch the library after a change: the team's apps, or the owner's other computers. */
export type RepliesChanged = (to: { teamId: string | null; ownerId: string | null }) => void;

export function quickReplyRoutes(app: FastifyInstance, ctx: AppContext, now: () => number, changed: RepliesChanged = () => {}): void {
  const announce = (row: Row) => changed({ teamId: row.team_id, ownerId: row.owner_id });

  async function update(actor: Actor, row: Row, body: ReplyWrite): Promise<Row> {
    if (!mayEdit(actor, row)) throw forbidden(refusal(row));
    const { rows } = await ctx.db.query<Row>(
      'update quick_replies set category = $2, shortcut = $3, title = $4, bodies = $5, updated_at = $6 where id = $1 returning *',
      [row.id, body.category, body.shortcut, body.title, JSON.stringify(body.bodies), new Date(now())],
    );
    return rows[0]!;
  }

  app.get(quickReplyPaths.list, async (request) => {
    const actor = await actorOf(ctx, request);
    const { rows } = await ctx.db.query<Row>(`select * from quick_replies where ${seenBy('$1', '$2')} order by use_count desc, updated_at desc limit 20000`, [
      actor.userId,
      actor.teamIds,
    ]);
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
      `insert into quick_replies (id, team_id, owner_id, category, shortcut, title, bodies, created_at, updated_at)
       values (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $8) on conflict (id) do nothing returning *`,
      [body.id ?? null, teamId, teamId === null ? actor.userId : null, body.category, body.shortcut, body.title, JSON.stringify(body.bodies), new Date(now())],
    );
    // No row: the id exists already (a resent create, or an edit made offline): replace it if allowed.
    const row = rows[0] ?? (await update(actor, await visible(ctx.db, actor, body.id!), body));
    announce(row);
    return toReply(row);
  });

  app.put(quickReplyPaths.one, async (request) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const body = parseWith(ReplyWrite, request.body);
    const row = await update(actor, await visible(ctx.db, actor, id), body);
    announce(row);
    return toReply(row);
  });

  app.delete(quickReplyPaths.one, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const row = await visible(ctx.db, actor, id);
    if (!mayEdit(actor, row)) throw forbidden(refusal(row));
    await ctx.db.query('delete from quick_replies where id = $1', [id]);
    announce(row);
    return reply.status(204).send();
  });

  app.post(quickReplyPaths.use, async (request, reply) => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    if (!(await countQuickReplyUse(ctx.db, actor, id))) throw notFound('No such quick reply.');
    return reply.status(204).send();
  });
}
