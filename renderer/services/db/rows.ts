import type { Comment, Customer, EditableField, Ticket } from '../../../core/tickets/model';
import { searchWords } from '../../../core/tickets/words';
import type { CallRecord } from '../../../core/call/rules';

/**
 * Row shapes stored in IndexedDB. IndexedDB cannot index null, so derived keys stand in for nullable
 * columns: `assigneeKey`/`teamKey` are '' for "none" (the team queue is `[teamKey+assigneeKey]` = [team, '']),
 * `slaDue` is the earliest open SLA due or `noSla`. `words` are the ticket's search words; each is also a
 * `ticketWords` row (see migrations/cache/0070-search-words.ts).
 */
export type CachedTicket = Ticket & { assigneeKey: string; teamKey: string; slaDue: number; words: string[] };

/** One search word of one ticket; its key [word+updatedAt+ticketId] orders a word's tickets by recency. */
export type TicketWordRow = { word: string; updatedAt: number; ticketId: string };
export type TicketWordKey = [word: string, updatedAt: number, ticketId: string];

export const ticketWordRows = (t: Pick<CachedTicket, 'id' | 'updatedAt' | 'words'>): TicketWordRow[] =>
  t.words.map((word) => ({ word, updatedAt: t.updatedAt, ticketId: t.id }));
export const ticketWordKeys = (t: Pick<CachedTicket, 'id' | 'updatedAt' | 'words'>): TicketWordKey[] =>
  t.words.map((word) => [word, t.updatedAt, t.id]);
export type CachedCustomer = Customer & { phoneKey?: string; emailKey?: string };

/** Sorts after every real due date, so tickets without an SLA come last in "most urgent first". */
export const noSla = Number.MAX_SAFE_INTEGER;

export function toCachedTicket(t: Ticket, customer: Customer | undefined): CachedTicket {
  const open = t.status !== 'solved' && t.status !== 'closed';
  const dues = [t.slaFirstResponseDue, t.slaResolutionDue].filter((d): d is number => d !== null);
  return {
    ...t,
    assigneeKey: t.assigneeId ?? '',
    teamKey: t.teamId ?? '',
    slaDue: open && dues.length > 0 ? Math.min(...dues) : noSla,
    words: searchWords(t.subject, customer?.name, t.number),
  };
}

export function fromCachedTicket(row: CachedTicket): Ticket {
  const { assigneeKey: _a, teamKey: _t, slaDue: _s, words: _w, ...ticket } = row;
  return ticket;
}

/** Phone numbers are looked up by digits only: callers' numbers arrive as +86 138…, 0086-138…, (138) … */
export const phoneKey = (phone: string): string => phone.replace(/\D/g, '').replace(/^00/, '');

export function toCachedCustomer(c: Customer): CachedCustomer {
  const row: CachedCustomer = { ...c };
  if (c.phone) row.phoneKey = phoneKey(c.phone);
  if (c.email) row.emailKey = c.email.trim().toLowerCase();
  return row;
}

/**
 * The server-confirmed version of a row that a pending mutation changed locally (null: the row does not
 * exist on the server yet). Rebase restores these, applies pulled rows, then replays the outbox.
 */
export type ShadowRow = { key: string; ticket?: Ticket | null; comment?: Comment | null };
export const ticketKey = (id: string) => `t:${id}`;
export const commentKey = (id: string) => `c:${id}`;

/**
 * A field the agent changed offline that someone else had changed meanwhile: shown with both values.
 * Dismissing keeps the row (dismissed: true) so the next rebase, which detects the same clash again
 * while the change is still pending, does not bring the notice back; a different value does.
 */
export type ConflictRow = { id: string; ticketId: string; field: EditableField; mine: unknown; theirs: unknown; at: number; dismissed?: true };

export type MetaRow = { key: 'cursor' | 'lastMutationId' | 'lastSyncedAt'; value: string | number | null };

/**
 * A mutation waiting for the server, or one the server refused for good (kept until the agent dismisses it).
 * `id` is the row's local key (stable: the UI dismisses by it); `mutationId` is its id on the wire under the
 * current client id, consecutive from 1, renumbered when the server makes the client start over.
 */
export type OutboxRow = {
  id?: number;
  mutationId: number;
  name: string;
  args: Record<string, unknown>;
  createdAt: number;
  ticketId: string | null;
  status: 'pending' | 'failed';
  error?: { code: string; message: string };
};

export type OutboxMeta = { key: 'clientId'; value: string } | { key: 'nextMutationId'; value: number };

export type DraftRow = { ticketId: string; body: string; kind: Comment['kind']; updatedAt: number };

/** A logged call as the outbox stores it: the call rules' record (core/call/rules.ts), one shape for both. */
export type CallLogRow = CallRecord;
