import { z } from 'zod';
import {
  CommentBody,
  CommentKind,
  Id,
  Subject,
  Tags,
  TicketPriority,
  TicketStatus,
  editableFields,
  slaTargets,
  type Comment,
  type EditableField,
  type Ticket,
} from './model';
import { canAssign, canComment, canRead, canWrite, type Actor } from './scope';

/**
 * Ticket mutators: pure functions over `TicketTx`, run optimistically on the client (over Dexie) and
 * authoritatively on the server (over SQL, inside the transaction that records the client's last
 * mutation id). Same code both sides, so the optimistic result is the server's result unless someone
 * else changed the ticket in between.
 *
 * Conflict rule: field-level last-writer-wins in server order. A mutator writes only the fields that
 * change (`patchTicket`), so two agents editing different fields never clobber each other. `base`
 * carries the values the agent saw; when the stored value differs from both base and the new value,
 * someone else wrote that field in between and the outcome lists it as a conflict (mine vs theirs),
 * which the client shows as a notice on the ticket. The write still happens: last writer wins.
 */

export type MutationErrorCode = 'not-found' | 'forbidden' | 'invalid' | 'conflict';

/** A mutation that can never succeed as sent; the server records it as failed and the client is told. */
export class MutationError extends Error {
  override readonly name = 'MutationError';
  constructor(
    readonly code: MutationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Only these ticket fields are written by mutators after creation. */
export type TicketPatch = Partial<Pick<Ticket, EditableField | 'updatedAt'>>;

/**
 * What a mutator may touch. The server implements it over SQL (patchTicket = `UPDATE … SET` of the
 * given columns only, bumping `version`); the client over its Dexie cache.
 *
 * Mutators check the actor against the ticket's team (scope.ts). What only the server knows is checked
 * by its implementation, which refuses with MutationError('forbidden'): a customer a new ticket names
 * must be in the actor's scope, and an assignee must be a member of the ticket's team. The client
 * cannot tell and lets the server decide.
 */
export type TicketTx = {
  readonly actor: Actor;
  now(): number;
  getTicket(id: string): Promise<Ticket | null>;
  insertTicket(ticket: Ticket): Promise<void>;
  patchTicket(id: string, patch: TicketPatch): Promise<void>;
  getComment(id: string): Promise<Comment | null>;
  insertComment(comment: Comment): Promise<void>;
  /** The next ticket number; null on the client, where the number is only known once the server applied it. */
  allocateTicketNumber(): Promise<number | null>;
};

export type FieldConflict = { ticketId: string; field: EditableField; mine: unknown; theirs: unknown };
export type MutationOutcome = { conflicts: FieldConflict[] };

const TicketChanges = z
  .object({
    subject: Subject,
    status: TicketStatus,
    priority: TicketPriority,
    assigneeId: Id.nullable(),
    tags: Tags,
  })
  .partial()
  .strict();

export const UpdateTicketArgs = z.object({
  ticketId: Id,
  changes: TicketChanges.refine((c) => Object.keys(c).length > 0, 'no changes'),
  /** The values the agent saw before editing, for the changed fields. */
  base: z.record(z.string(), z.unknown()).default({}),
});
export type UpdateTicketArgs = z.input<typeof UpdateTicketArgs>;

export const AddCommentArgs = z.object({
  /** Minted by the client, so a retried push cannot add the comment twice. */
  commentId: z.uuid(),
  ticketId: Id,
  kind: CommentKind,
  body: CommentBody,
});
export type AddCommentArgs = z.input<typeof AddCommentArgs>;

export const CreateTicketArgs = z.object({
  ticketId: z.uuid(),
  subject: Subject,
  customerId: Id.nullable(),
  teamId: Id,
  priority: TicketPriority.default('normal'),
  channel: z.string().min(1).max(32).default('phone'),
  tags: Tags.default([]),
  assigneeId: Id.nullable().default(null),
});
export type CreateTicketArgs = z.input<typeof CreateTicketArgs>;

function parse<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const r = schema.safeParse(args);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new MutationError('invalid', `${where}${issue?.message ?? 'invalid arguments'}`);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function updateTicket(tx: TicketTx, raw: unknown): Promise<MutationOutcome> {
  const args = parse(UpdateTicketArgs, raw);
  const ticket = await tx.getTicket(args.ticketId);
  if (!ticket || !canRead(tx.actor, ticket)) throw new MutationError('not-found', `ticket ${args.ticketId} not found`);
  if (!canWrite(tx.actor, ticket)) throw new MutationError('forbidden', `ticket ${args.ticketId} is outside your queue`);
  if (ticket.status === 'closed') throw new MutationError('conflict', `ticket ${args.ticketId} is closed`);
  if ('assigneeId' in args.changes && args.changes.assigneeId !== undefined && !canAssign(tx.actor, args.changes.assigneeId)) {
    throw new MutationError('forbidden', 'agents may assign tickets only to themselves or the queue');
  }
  const patch: TicketPatch = {};
  const conflicts: FieldConflict[] = [];
  for (const field of editableFields) {
    if (!(field in args.changes)) continue;
    const mine = args.changes[field];
    const theirs = ticket[field];
    if (same(mine, theirs)) continue;
    if (field in args.base && !same(args.base[field], theirs)) {
      conflicts.push({ ticketId: ticket.id, field, mine, theirs });
    }
    Object.assign(patch, { [field]: mine });
  }
  if (Object.keys(patch).length > 0) await tx.patchTicket(ticket.id, { ...patch, updatedAt: tx.now() });
  return { conflicts };
}

async function addComment(tx: TicketTx, raw: unknown): Promise<MutationOutcome> {
  const args = parse(AddCommentArgs, raw);
  const ticket = await tx.getTicket(args.ticketId);
  if (!ticket || !canRead(tx.actor, ticket)) throw new MutationError('not-found', `ticket ${args.ticketId} not found`);
  if (!canComment(tx.actor, ticket)) throw new MutationError('forbidden', `ticket ${args.ticketId} belongs to a team you are not in`);
  const existing = await tx.getComment(args.commentId);
  if (existing) {
    if (existing.ticketId === args.ticketId && existing.authorId === tx.actor.userId && existing.body === args.body) {
      return { conflicts: [] };
    }
    throw new MutationError('conflict', `comment id ${args.commentId} is already used`);
  }
  const now = tx.now();
  await tx.insertComment({ id: args.commentId, ticketId: ticket.id, authorId: tx.actor.userId, kind: args.kind, body: args.body, createdAt: now });
  await tx.patchTicket(ticket.id, { updatedAt: now });
  return { conflicts: [] };
}

async function createTicket(tx: TicketTx, raw: unknown): Promise<MutationOutcome> {
  const args = parse(CreateTicketArgs, raw);
  if (!canWrite(tx.actor, { teamId: args.teamId, assigneeId: null })) {
    throw new MutationError('forbidden', `you are not a member of team ${args.teamId}`);
  }
  if (!canAssign(tx.actor, args.assigneeId)) {
    throw new MutationError('forbidden', 'agents may assign tickets only to themselves or the queue');
  }
  if (await tx.getTicket(args.ticketId)) throw new MutationError('conflict', `ticket id ${args.ticketId} is already used`);
  const now = tx.now();
  const sla = slaTargets[args.priority];
  await tx.insertTicket({
    id: args.ticketId,
    number: await tx.allocateTicketNumber(),
    subject: args.subject,
    status: 'new',
    priority: args.priority,
    customerId: args.customerId,
    assigneeId: args.assigneeId,
    teamId: args.teamId,
    tags: args.tags,
    channel: args.channel,
    slaFirstResponseDue: now + sla.firstResponse,
    slaResolutionDue: now + sla.resolution,
    createdAt: now,
    updatedAt: now,
    version: 0,
  });
  return { conflicts: [] };
}

export const mutators = { updateTicket, addComment, createTicket } as const;
export type MutatorName = keyof typeof mutators;
export type MutatorArgs = { updateTicket: UpdateTicketArgs; addComment: AddCommentArgs; createTicket: CreateTicketArgs };

export const isMutatorName = (name: string): name is MutatorName => Object.hasOwn(mutators, name);

/** Runs one mutation by name; an unknown name is a permanent failure like any invalid argument. */
export function runMutator(tx: TicketTx, name: string, args: unknown): Promise<MutationOutcome> {
  if (!isMutatorName(name)) return Promise.reject(new MutationError('invalid', `unknown mutation ${name}`));
  return mutators[name](tx, args);
}

/** The ticket a mutation is about, for error and conflict notices (all mutators carry `ticketId`). */
export function mutationTicketId(args: unknown): string | null {
  if (typeof args !== 'object' || args === null || !('ticketId' in args)) return null;
  return typeof args.ticketId === 'string' ? args.ticketId : null;
}
