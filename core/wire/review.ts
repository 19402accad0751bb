import { z } from 'zod';

/**
 * The review wire (issue 19): a lead finds any conversation of their teams and opens its whole record.
 *
 *   GET /review/conversations                 search (lead: own teams; admin: all); keyset paging by `after`
 *   GET /review/conversations/:id             the whole record: transcript, notes, whispers, attachments, wrap-up, survey
 *   GET /review/audit?teamId=                 who reviewed what in the team (lead of the team, admin)
 *   GET /review/teams/:teamId/settings        review retention in days (default 365)
 *   PUT /review/teams/:teamId/settings
 *
 * Every search and every opened record writes a row to review_audit, refused attempts included.
 */
export const reviewRoutes = {
  search: '/review/conversations',
  record: (id: string) => `/review/conversations/${encodeURIComponent(id)}`,
  audit: '/review/audit',
  settings: (teamId: string) => `/review/teams/${encodeURIComponent(teamId)}/settings`,
} as const;

export const ReviewChannel = z.enum(['webchat', 'messaging', 'email', 'voice']);
export type ReviewChannel = z.infer<typeof ReviewChannel>;

// A real calendar day (2026-02-30 matches the pattern but PostgreSQL's date cast would refuse it).
const realDay = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
};
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine(realDay, 'must be a real date');
const csat = z.coerce.number().int().min(1).max(5);

/** Query string of a search. `from`/`to` are UTC days, both inclusive; `after` is the previous page's `next`. */
export const ReviewSearchQuery = z
  .object({
    teamId: z.uuid('must be a team id').optional(),
    agentId: z.uuid('must be a user id').optional(),
    /** A customer id, or an e-mail address (exact, case-insensitive). */
    customer: z.string().trim().min(1).max(320).optional(),
    channel: ReviewChannel.optional(),
    from: day.optional(),
    to: day.optional(),
    tag: z.string().trim().min(1).max(64).optional(),
    csatMin: csat.optional(),
    csatMax: csat.optional(),
    /** The ticket's number (#1042 → 1042). */
    ticket: z.coerce.number().int().positive().max(2147483647).optional(),
    // Microseconds since 1970 (at most 17 digits until the year 5138) and a uuid: a bigint and a uuid cast that cannot fail.
    after: z.string().regex(/^\d{1,17}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be the `next` of the previous page').optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((q) => q.csatMin === undefined || q.csatMax === undefined || q.csatMin <= q.csatMax, { message: '`csatMin` must not exceed `csatMax`', path: ['csatMin'] });
export type ReviewSearchQuery = z.input<typeof ReviewSearchQuery>;

export type ReviewHit = {
  id: string;
  teamId: string;
  channel: ReviewChannel;
  state: string;
  agentId: string | null;
  agentName: string | null;
  customerName: string;
  customerEmail: string | null;
  ticketNumber: number;
  ticketSubject: string;
  tags: string[];
  csat: number | null;
  createdAt: number;
  closedAt: number | null;
};
export type ReviewSearchResult = { hits: ReviewHit[]; next: string | null; retentionDays: number };

export type ReviewMessage = {
  seq: number;
  /** customer, agent, system, or coach (a lead's whisper). */
  author: 'customer' | 'agent' | 'system' | 'coach';
  authorName: string | null;
  /** note = internal note (never shown to the customer). */
  kind: 'text' | 'note' | 'event' | 'attachment';
  body: string;
  attachmentId: string | null;
  at: number;
};

export type ReviewRecord = {
  conversation: ReviewHit & { language: string; handleMs: number | null; transfers: number };
  messages: ReviewMessage[];
  attachments: { id: string; name: string; mime: string; size: number; at: number }[];
  wrapUp: { wrapUpMs: number; disposition: string | null; at: number } | null;
  survey: { score: number; liked: string; disliked: string; improve: string; at: number } | null;
};

export type ReviewAuditEntry = {
  id: number;
  at: number;
  actorId: string;
  actorName: string | null;
  actorRole: string;
  action: 'search' | 'open';
  outcome: 'allowed' | 'refused';
  conversationId: string | null;
  query: Record<string, unknown>;
};
export const ReviewAuditQuery = z.object({ teamId: z.uuid('must be a team id'), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export type ReviewAuditList = { entries: ReviewAuditEntry[] };

export const ReviewSettings = z.object({ retentionDays: z.number().int().min(30).max(3650) }).strict();
export type ReviewSettings = z.infer<typeof ReviewSettings>;
