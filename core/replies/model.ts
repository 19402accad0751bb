import { z } from 'zod';
import { refuseUnstorable } from '../chat/storable';
import type { Locale } from '../locale';

/**
 * Quick replies (canned answers) as they travel on the wire: the `quick_replies` table of
 * server/db/migrations/0002-tickets.sql, camelCased. The table has no scope column: team_id set means
 * the team's, owner_id set means personal, both null means everyone's. `scope` is carried explicitly so
 * the composer can group and badge replies without re-deriving it, and the schema refuses a row whose
 * scope disagrees with its ids. Timestamps are epoch milliseconds, as in core/tickets/model.ts.
 */

export const replyLimits = {
  /** Same rule as the table's check constraint: starts with a letter or digit, then up to 39 more. */
  shortcut: 40,
  title: 120,
  category: 60,
  /** A reply is one chat message; a comment holds 20k, so a filled-in reply always fits. */
  body: 5_000,
} as const;

export const ReplyId = z.string().min(1).max(64);

export const QuickReplyScope = z.enum(['global', 'team', 'personal']);
export type QuickReplyScope = z.infer<typeof QuickReplyScope>;

export const Shortcut = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a shortcut is 1 to 40 lowercase letters, digits or hyphens, not starting with a hyphen');

const nonBlank = (what: string, max: number) =>
  z
    .string()
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => s.trim().length > 0, `${what} is empty`)
    .superRefine(refuseUnstorable);

export const ReplyBody = nonBlank('a reply body', replyLimits.body);

/**
 * One body per shipped locale. Keys for languages this client does not ship are dropped rather than
 * refused, so a server that adds a language does not break older clients.
 */
export const ReplyBodies = z
  .object({ en: ReplyBody.optional(), 'zh-CN': ReplyBody.optional(), 'zh-TW': ReplyBody.optional() })
  .refine((b) => b.en !== undefined || b['zh-CN'] !== undefined || b['zh-TW'] !== undefined, 'a reply needs at least one body');
export type ReplyBodies = z.infer<typeof ReplyBodies>;

export const QuickReply = z
  .object({
    id: ReplyId,
    scope: QuickReplyScope,
    teamId: ReplyId.nullable(),
    ownerId: ReplyId.nullable(),
    /** Free text chosen by the team (e.g. "Refunds", "Shipping DE"); groups the library view. */
    category: nonBlank('a category', replyLimits.category),
    shortcut: Shortcut,
    title: nonBlank('a title', replyLimits.title),
    bodies: ReplyBodies,
    useCount: z.number().int().nonnegative(),
    updatedAt: z.number().int().nonnegative(),
  })
  .superRefine((reply, ctx) => {
    const expected = replyScope(reply);
    if (reply.teamId !== null && reply.ownerId !== null) {
      ctx.addIssue({ code: 'custom', path: ['ownerId'], message: 'a reply belongs to a team or to a person, not both' });
    } else if (expected !== reply.scope) {
      ctx.addIssue({ code: 'custom', path: ['scope'], message: `scope "${reply.scope}" does not match the ids (expected "${expected}")` });
    }
  });
export type QuickReply = z.infer<typeof QuickReply>;

/** The scope the table's ids imply (the server derives `scope` with this when it reads a row). */
export function replyScope(ids: { teamId: string | null; ownerId: string | null }): QuickReplyScope {
  if (ids.ownerId !== null) return 'personal';
  if (ids.teamId !== null) return 'team';
  return 'global';
}

/** Languages a reply has a usable body for, in the order the locale list ships them. */
export function replyLanguages(bodies: ReplyBodies): Locale[] {
  return (['en', 'zh-CN', 'zh-TW'] as const).filter((l) => (bodies[l] ?? '').trim() !== '');
}
