import type { Comment, Ticket } from '../../core/tickets/model';
import { MutationError, type TicketPatch, type TicketTx } from '../../core/tickets/mutators';
import type { Actor } from '../../core/tickets/scope';
import type { Queryable } from '../db/db';
import { recordResponse, recordStatus, startTicketTimers } from '../sla/timers';
import { customerScopePredicate } from '../tickets/scope';
import { commentColumns, isUuid, ticketColumns, toComment, toTicket, type CommentRow, type TicketRow } from '../tickets/rows';

/** Who may need a poke after this transaction commits: the teams and users a changed ticket belongs or belonged to. */
export type Touched = { ticketIds: Set<string>; teamIds: Set<string>; userIds: Set<string> };

export const emptyTouched = (): Touched => ({ ticketIds: new Set(), teamIds: new Set(), userIds: new Set() });

export function mergeTouched(into: Touched, from: Touched): void {
  for (const k of ['ticketIds', 'teamIds', 'userIds'] as const) for (const v of from[k]) into[k].add(v);
}

const patchColumns = { subject: 'subject', status: 'status', priority: 'priority', assigneeId: 'assignee_id', tags: 'tags', updatedAt: 'updated_at' } as const;

function requireUuid(what: string, value: string | null): void {
  if (value !== null && !isUuid(value)) throw new MutationError('invalid', `${what} ${value} is not a valid id`);
}

/**
 * `TicketTx` over SQL inside the push transaction. Reads lock the ticket row because the mutator that
 * read it may write it next, and another push must not interleave between the two; the push holds the
 * sync write locks first (writeLock.ts). FOR NO KEY UPDATE, the lock an UPDATE of non-key columns takes,
 * lets foreign-key checks of other writers (a comment or conversation referencing the ticket) through.
 * Versions and scope changes are stamped by triggers (0003-sync.sql, 0060-sync-lock-order.sql), not here.
 */
export function createSqlTicketTx(q: Queryable, actor: Actor, now: () => number, touched: Touched): TicketTx {
  const note = (t: { id: string; teamId: string | null; assigneeId: string | null }) => {
    touched.ticketIds.add(t.id);
    if (t.teamId) touched.teamIds.add(t.teamId);
    if (t.assigneeId) touched.userIds.add(t.assigneeId);
  };
  const lockTicket = async (id: string): Promise<Ticket | null> => {
    if (!isUuid(id)) return null;
    const { rows } = await q.query<TicketRow>(`select ${ticketColumns} from tickets t where t.id = $1 for no key update`, [id]);
    return rows[0] ? toTicket(rows[0]) : null;
  };

  /** Outside the scope (tickets/scope.ts) and nonexistent look the same, so customer ids of other teams cannot be probed. */
  const requireCustomerInScope = async (customerId: string) => {
    const params: unknown[] = [customerId];
    const scope = customerScopePredicate(actor, params);
    const { rows } = await q.query<{ id: string }>(`select cu.id from customers cu where cu.id = $1 and ${scope}`, params);
    if (!rows[0]) throw new MutationError('not-found', `customer ${customerId} not found`);
  };
  /** An assignee works the team's queue: a member of the ticket's team (or an admin, who sees everything anyway). */
  const requireAssignable = async (assigneeId: string, teamId: string | null) => {
    const { rows } = await q.query<{ ok: boolean }>(
      `select exists (select 1 from team_members where team_id = $2 and user_id = $1)
           or exists (select 1 from users where id = $1 and role = 'admin' and not disabled) as ok`,
      [assigneeId, teamId],
    );
    if (!rows[0]?.ok) throw new MutationError('forbidden', `assignee ${assigneeId} is not a member of the ticket's team`);
  };

  return {
    actor,
    now,
    getTicket: lockTicket,
    async insertTicket(t) {
      requireUuid('ticket', t.id);
      requireUuid('team', t.teamId);
      requireUuid('customer', t.customerId);
      requireUuid('assignee', t.assigneeId);
      if (t.customerId !== null) await requireCustomerInScope(t.customerId);
      if (t.assigneeId !== null) await requireAssignable(t.assigneeId, t.teamId);
      const ts = (v: number | null) => (v === null ? null : new Date(v));
      await q.query(
        `insert into tickets (id, number, subject, status, priority, customer_id, assignee_id, team_id, tags, channel,
           sla_first_response_due, sla_resolution_due, created_at, updated_at)
         values ($1, coalesce($2, nextval('ticket_number_seq')), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [t.id, t.number, t.subject, t.status, t.priority, t.customerId, t.assigneeId, t.teamId, t.tags, t.channel,
          ts(t.slaFirstResponseDue), ts(t.slaResolutionDue), new Date(t.createdAt), new Date(t.updatedAt)],
      );
      // The team's SLA policy decides the due times (the client's optimistic ones are the fixed defaults);
      // the client pulls the server's values after this push.
      if (t.status !== 'solved' && t.status !== 'closed') {
        await startTicketTimers(q, { id: t.id, teamId: t.teamId, channel: t.channel, priority: t.priority, now: new Date(t.createdAt) });
      }
      note(t);
    },
    async patchTicket(id, patch: TicketPatch) {
      const before = await lockTicket(id);
      if (!before) throw new MutationError('not-found', `ticket ${id} not found`);
      if (patch.assigneeId !== undefined) requireUuid('assignee', patch.assigneeId);
      if (patch.assigneeId) await requireAssignable(patch.assigneeId, before.teamId);
      const params: unknown[] = [id];
      const sets: string[] = [];
      for (const [field, column] of Object.entries(patchColumns)) {
        const value = patch[field as keyof TicketPatch];
        if (value === undefined) continue;
        params.push(field === 'updatedAt' ? new Date(value as number) : value);
        sets.push(`${column} = $${params.length}`);
      }
      if (sets.length === 0) return;
      await q.query(`update tickets set ${sets.join(', ')} where id = $1`, params);
      if (patch.status !== undefined && patch.status !== before.status) await recordStatus(q, id, patch.status, new Date(now()));
      note(before);
      if (patch.assigneeId) touched.userIds.add(patch.assigneeId);
    },
    async getComment(id) {
      if (!isUuid(id)) return null;
      const { rows } = await q.query<CommentRow>(`select ${commentColumns} from ticket_comments c where c.id = $1`, [id]);
      return rows[0] ? toComment(rows[0]) : null;
    },
    async insertComment(c: Comment) {
      requireUuid('comment', c.id);
      await q.query('insert into ticket_comments (id, ticket_id, author_id, kind, body, created_at) values ($1, $2, $3, $4, $5, $6)', [
        c.id, c.ticketId, c.authorId, c.kind, c.body, new Date(c.createdAt),
      ]);
      // A public comment by an agent is the response on tickets made in the app (core/sla/policy.ts); an internal one is not.
      if (c.kind === 'public' && c.authorId !== null) await recordResponse(q, c.ticketId, new Date(c.createdAt));
      touched.ticketIds.add(c.ticketId);
    },
    async allocateTicketNumber() {
      const { rows } = await q.query<{ n: string | number }>("select nextval('ticket_number_seq') as n");
      return Number(rows[0]!.n);
    },
  };
}
