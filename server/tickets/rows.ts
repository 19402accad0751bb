import type { Comment, Customer, Ticket, TicketPriority, TicketStatus, CommentKind } from '../../core/tickets/model';

/**
 * SQL rows of 0002-tickets.sql (+ 0003-sync.sql) mapped to the core shapes. Timestamps leave the
 * database as epoch milliseconds (core/tickets/model.ts), and `bigint` versions as numbers: the
 * sequence would need 2^53 writes to lose precision.
 */

export const ticketColumns = `t.id, t.number, t.subject, t.status, t.priority, t.customer_id, t.assignee_id, t.team_id, t.tags, t.channel,
  t.sla_first_response_due, t.sla_resolution_due, t.created_at, t.updated_at, t.version`;

export type TicketRow = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  customer_id: string | null;
  assignee_id: string | null;
  team_id: string | null;
  tags: string[];
  channel: string;
  sla_first_response_due: Date | null;
  sla_resolution_due: Date | null;
  created_at: Date;
  updated_at: Date;
  version: string | number;
};

const ms = (d: Date) => d.getTime();
const msOrNull = (d: Date | null) => (d ? d.getTime() : null);

export function toTicket(r: TicketRow): Ticket {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    customerId: r.customer_id,
    assigneeId: r.assignee_id,
    teamId: r.team_id,
    tags: r.tags,
    channel: r.channel,
    slaFirstResponseDue: msOrNull(r.sla_first_response_due),
    slaResolutionDue: msOrNull(r.sla_resolution_due),
    createdAt: ms(r.created_at),
    updatedAt: ms(r.updated_at),
    version: Number(r.version),
  };
}

export const commentColumns = 'c.id, c.ticket_id, c.author_id, c.kind, c.body, c.created_at, c.version';

export type CommentRow = {
  id: string;
  ticket_id: string;
  author_id: string | null;
  kind: CommentKind;
  body: string;
  created_at: Date;
  version: string | number;
};

export const toComment = (r: CommentRow): Comment => ({
  id: r.id,
  ticketId: r.ticket_id,
  authorId: r.author_id,
  kind: r.kind,
  body: r.body,
  createdAt: ms(r.created_at),
});

export const customerColumns = 'cu.id, cu.name, cu.phone, cu.email, cu.updated_at, cu.version';

export type CustomerRow = { id: string; name: string; phone: string | null; email: string | null; updated_at: Date; version: string | number };

export const toCustomer = (r: CustomerRow): Customer => ({ id: r.id, name: r.name, phone: r.phone, email: r.email, updatedAt: ms(r.updated_at) });

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids in SQL are uuids; anything else cannot name a row, and must not reach a `uuid` parameter (22P02). */
export const isUuid = (s: string) => uuidPattern.test(s);
