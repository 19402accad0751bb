import { z } from 'zod';
import { isWellFormed } from '../chat/wellFormed';

/**
 * Ticket domain types shared by the server (columns of `tickets`, `customers`, `ticket_comments`,
 * camelCased) and the client cache. Timestamps are epoch milliseconds (UTC): they sort as numbers in
 * IndexedDB compound indexes and need no parsing; the server converts `timestamptz` at the edge.
 */

/** Limits every side enforces, so an oversized payload is refused with a clear error, never truncated. */
export const limits = {
  subject: 300,
  commentBody: 20_000,
  tags: 20,
  tag: 40,
  customerName: 200,
  /** JSON length of one mutation's args: a 20k-character comment plus headroom. */
  argsJson: 64 * 1024,
  mutationsPerPush: 500,
} as const;

/** The database stores UTF-8, where a lone surrogate becomes U+FFFD: refused, never stored altered. */
const wellFormedMessage = 'text has an unpaired UTF-16 surrogate (not valid Unicode)';

export const Id = z.string().min(1).max(64);
export const Timestamp = z.number().int().nonnegative();

export const TicketStatus = z.enum(['new', 'open', 'pending', 'solved', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;
export const ticketStatuses: readonly TicketStatus[] = TicketStatus.options;

export const TicketPriority = z.enum(['low', 'normal', 'high', 'urgent']);
export type TicketPriority = z.infer<typeof TicketPriority>;

export const Subject = z
  .string()
  .max(limits.subject, `subject is longer than ${limits.subject} characters`)
  .refine((s) => s.trim().length > 0, 'subject is empty')
  .refine(isWellFormed, wellFormedMessage);
export const Tag = z
  .string()
  .max(limits.tag, `a tag is longer than ${limits.tag} characters`)
  .refine((s) => s.trim().length > 0 && s === s.trim(), 'a tag is empty or has surrounding spaces')
  .refine(isWellFormed, wellFormedMessage);
export const Tags = z
  .array(Tag)
  .max(limits.tags, `more than ${limits.tags} tags`)
  .refine((tags) => new Set(tags).size === tags.length, 'duplicate tags');
export const CommentBody = z
  .string()
  .max(limits.commentBody, `comment is longer than ${limits.commentBody} characters`)
  .refine((s) => s.trim().length > 0, 'comment is empty')
  .refine(isWellFormed, wellFormedMessage);

export const Ticket = z.object({
  id: Id,
  /** Human-facing number from a server sequence; null only for a ticket created offline and not yet pushed. */
  number: z.number().int().positive().nullable(),
  subject: Subject,
  status: TicketStatus,
  priority: TicketPriority,
  customerId: Id.nullable(),
  assigneeId: Id.nullable(),
  teamId: Id.nullable(),
  tags: Tags,
  channel: z.string().min(1).max(32),
  slaFirstResponseDue: Timestamp.nullable(),
  slaResolutionDue: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Server row version, bumped on every write; the client never changes it. */
  version: z.number().int().nonnegative(),
});
export type Ticket = z.infer<typeof Ticket>;

/** The fields an agent edits; field-level last-writer-wins applies to each independently. */
export const editableFields = ['subject', 'status', 'priority', 'assigneeId', 'tags'] as const;
export type EditableField = (typeof editableFields)[number];

export const Customer = z.object({
  id: Id,
  name: z.string().max(limits.customerName),
  phone: z.string().max(40).nullable(),
  email: z.string().max(254).nullable(),
  updatedAt: Timestamp,
});
export type Customer = z.infer<typeof Customer>;

export const CommentKind = z.enum(['public', 'internal']);
export type CommentKind = z.infer<typeof CommentKind>;

/** Comments are append-only: never edited, never deleted, so they cannot conflict. */
export const Comment = z.object({
  id: Id,
  ticketId: Id,
  /** Null for a comment written by the customer (it arrived through the ticket's channel). */
  authorId: Id.nullable(),
  kind: CommentKind,
  body: CommentBody,
  createdAt: Timestamp,
});
export type Comment = z.infer<typeof Comment>;

const hour = 3_600_000;
/** Default SLA targets by priority (first response, resolution); the server may override per team later. */
export const slaTargets: Record<TicketPriority, { firstResponse: number; resolution: number }> = {
  urgent: { firstResponse: 1 * hour, resolution: 4 * hour },
  high: { firstResponse: 4 * hour, resolution: 24 * hour },
  normal: { firstResponse: 8 * hour, resolution: 48 * hour },
  low: { firstResponse: 24 * hour, resolution: 96 * hour },
};
