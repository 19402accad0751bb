import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Comment, Customer, Ticket } from '../../core/tickets/model';
import type { AppContext } from '../http/context';
import { notFound, parseWith } from '../http/errors';
import { actorOf } from '../http/actor';
import { commentColumns, customerColumns, isUuid, ticketColumns, toComment, toCustomer, toTicket, type CommentRow, type CustomerRow, type TicketRow } from './rows';
import { scopePredicate } from './scope';

const TicketParams = z.object({ id: z.string().min(1).max(64) });

export type TicketDetail = { ticket: Ticket; customer: Customer | null; comments: Comment[] };

/** GET /tickets/:id: one ticket in the caller's sync scope, with its customer and comments; 404 outside it. */
export function ticketRoutes(app: FastifyInstance, ctx: AppContext, now: () => number = Date.now): void {
  app.get('/tickets/:id', async (request): Promise<TicketDetail> => {
    const actor = await actorOf(ctx, request);
    const { id } = parseWith(TicketParams, request.params, 'path');
    // Outside the scope and nonexistent look the same, so ids of other teams' tickets cannot be probed.
    if (!isUuid(id)) throw notFound(`Ticket ${id} not found.`);
    const params: unknown[] = [id];
    const scope = scopePredicate(actor, now(), params);
    const { rows } = await ctx.db.query<TicketRow>(`select ${ticketColumns} from tickets t where t.id = $1 and ${scope}`, params);
    if (!rows[0]) throw notFound(`Ticket ${id} not found.`);
    const ticket = toTicket(rows[0]);
    const comments = await ctx.db.query<CommentRow>(`select ${commentColumns} from ticket_comments c where c.ticket_id = $1 order by c.created_at, c.version`, [id]);
    const customer = ticket.customerId
      ? (await ctx.db.query<CustomerRow>(`select ${customerColumns} from customers cu where cu.id = $1`, [ticket.customerId])).rows[0]
      : undefined;
    return { ticket, customer: customer ? toCustomer(customer) : null, comments: comments.rows.map(toComment) };
  });
}
