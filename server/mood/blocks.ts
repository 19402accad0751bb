import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type CustomerBlock, type CustomerBlockList, moodRoutes as paths } from '../../core/wire/mood';
import { loadConversationRow } from '../chat/rows';
import { mayWork } from '../chat/service';
import { actorOf } from '../http/actor';
import type { AppContext } from '../http/context';
import { forbidden, notFound, parseWith } from '../http/errors';
import type { Queryable } from '../db/db';

const IdParams = z.object({ id: z.uuid('must be an id') });
export const BlockRequest = z.object({
  hours: z.number().int('hours must be whole').min(1, 'at least 1 hour').max(24 * 365, 'at most a year'),
  reason: z.string().trim().min(1, 'say why').max(500, 'at most 500 characters'),
});

type BlockRow = { id: string; team_id: string; conversation_id: string | null; customer_name: string | null; address: string | null; reason: string; created_by_name: string | null; created_at: Date; expires_at: Date; lifted_at: Date | null; lifted_by_name: string | null };
const select = `select b.id, b.team_id, b.conversation_id, cu.name as customer_name, b.address, b.reason, cb.display_name as created_by_name, b.created_at, b.expires_at,
    b.lifted_at, lb.display_name as lifted_by_name
  from customer_blocks b left join customers cu on cu.id = b.customer_id left join users cb on cb.id = b.created_by left join users lb on lb.id = b.lifted_by`;
const toBlock = (r: BlockRow): CustomerBlock => ({
  id: r.id,
  teamId: r.team_id,
  conversationId: r.conversation_id,
  customerName: r.customer_name,
  byAddress: r.address !== null,
  reason: r.reason,
  createdByName: r.created_by_name,
  createdAt: r.created_at.getTime(),
  expiresAt: r.expires_at.getTime(),
  liftedAt: r.lifted_at ? r.lifted_at.getTime() : null,
  liftedByName: r.lifted_by_name,
});

/** Whether a new widget session from this address is refused: an active, unlifted, unexpired block. */
export async function addressBlocked(q: Queryable, address: string, now: Date): Promise<boolean> {
  const { rows } = await q.query('select 1 from customer_blocks where address = $1 and lifted_at is null and expires_at > $2 limit 1', [address, now]);
  return rows.length > 0;
}

/**
 * Blocking an abusive customer (issue 20): the lead of the conversation's team (or an admin) blocks the
 * contact and the widget address it came from, with an expiry; the list for their teams; lifting.
 */
export function blockRoutes(app: FastifyInstance, ctx: AppContext, now: () => number): void {
  const { db } = ctx;
  const leadOf = (actor: { role: string; teamIds: readonly string[] }, teamId: string) => actor.role === 'admin' || (actor.role === 'lead' && actor.teamIds.includes(teamId));

  app.post(paths.block, async (request): Promise<CustomerBlock> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const body = parseWith(BlockRequest, request.body);
    const conv = await loadConversationRow(db, id);
    // Outside the caller's scope looks like no conversation at all, as in server/chat.
    if (!conv || !mayWork(actor, conv)) throw notFound('No such conversation.');
    if (!leadOf(actor, conv.team_id)) throw forbidden("Only the team's lead can block a customer.");
    const { rows: s } = await db.query<{ address: string | null }>('select address from widget_sessions where conversation_id = $1 and address is not null order by created_at desc limit 1', [id]);
    const at = new Date(now());
    const { rows } = await db.query<{ id: string }>(
      `insert into customer_blocks (team_id, conversation_id, customer_id, address, reason, created_by, created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [conv.team_id, id, conv.customer_id, s[0]?.address ?? conv.external_address ?? null, body.reason, actor.userId, at, new Date(at.getTime() + body.hours * 3_600_000)],
    );
    const { rows: out } = await db.query<BlockRow>(`${select} where b.id = $1`, [rows[0]!.id]);
    return toBlock(out[0]!);
  });

  app.get(paths.blocks, async (request): Promise<CustomerBlockList> => {
    const actor = await actorOf(ctx, request);
    if (actor.role === 'agent') throw forbidden('Only team leads and admins see the block list.');
    const { rows } = await db.query<BlockRow>(
      actor.role === 'admin' ? `${select} order by b.created_at desc limit 500` : `${select} where b.team_id = any($1::uuid[]) order by b.created_at desc limit 500`,
      actor.role === 'admin' ? [] : [actor.teamIds],
    );
    return { blocks: rows.map(toBlock) };
  });

  app.post(paths.lift, async (request): Promise<CustomerBlock> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(IdParams, request.params, 'path');
    const { rows } = await db.query<BlockRow>(`${select} where b.id = $1`, [id]);
    if (!rows[0] || !leadOf(actor, rows[0].team_id)) throw notFound('No such block.');
    await db.query('update customer_blocks set lifted_at = $2, lifted_by = $3 where id = $1 and lifted_at is null', [id, new Date(now()), actor.userId]);
    const { rows: out } = await db.query<BlockRow>(`${select} where b.id = $1`, [id]);
    return toBlock(out[0]!);
  });
}
