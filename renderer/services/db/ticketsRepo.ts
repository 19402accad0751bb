import { Dexie, type Collection } from 'dexie';
import type { Comment, TicketPriority, TicketStatus } from '../../../core/tickets/model';
import type { CacheDb } from './cacheDb';
import { searchTickets } from './ticketSearch';
import { phoneKey, type CachedCustomer, type CachedTicket, type ConflictRow } from './rows';

/** The list views of the inbox; each maps to one compound index per sort order. */
export type TicketView =
  | { kind: 'mine'; userId: string }
  | { kind: 'team-queue'; teamId: string }
  | { kind: 'status'; status: TicketStatus };
/** 'updated': most recently active first; 'sla': most urgent due date first. */
export type TicketSort = 'updated' | 'sla';
/** Narrowing inside a view; applied while walking the index, so it costs a scan of that view only. */
export type TicketFilter = { statuses?: readonly TicketStatus[]; priorities?: readonly TicketPriority[]; tag?: string };
export type ListOptions = { sort?: TicketSort; filter?: TicketFilter; offset?: number; limit?: number };

const { minKey, maxKey } = Dexie;

function viewRange(db: CacheDb, view: TicketView, sort: TicketSort): Collection<CachedTicket, string> {
  const field = sort === 'updated' ? 'updatedAt' : 'slaDue';
  let collection: Collection<CachedTicket, string>;
  switch (view.kind) {
    case 'mine':
      collection = db.tickets.where(`[assigneeKey+${field}]`).between([view.userId, minKey], [view.userId, maxKey]);
      break;
    case 'team-queue':
      collection = db.tickets.where(`[teamKey+assigneeKey+${field}]`).between([view.teamId, '', minKey], [view.teamId, '', maxKey]);
      break;
    case 'status':
      collection = db.tickets.where(`[status+${field}]`).between([view.status, minKey], [view.status, maxKey]);
      break;
  }
  return sort === 'updated' ? collection.reverse() : collection;
}

function withFilter(c: Collection<CachedTicket, string>, f: TicketFilter | undefined): Collection<CachedTicket, string> {
  if (!f || (!f.statuses && !f.priorities && f.tag === undefined)) return c;
  return c.filter(
    (t) =>
      (!f.statuses || f.statuses.includes(t.status)) &&
      (!f.priorities || f.priorities.includes(t.priority)) &&
      (f.tag === undefined || t.tags.includes(f.tag)),
  );
}

/** Read side of the cache, for the UI (wrap calls in `useLiveQuery`). The sync engine is the only writer. */
export function createTicketsRepo(db: CacheDb) {
  return {
    get: (id: string): Promise<CachedTicket | undefined> => db.tickets.get(id),
    getByNumber: (n: number): Promise<CachedTicket | undefined> => db.tickets.where('number').equals(n).first(),
    list(view: TicketView, opts: ListOptions = {}): Promise<CachedTicket[]> {
      return withFilter(viewRange(db, view, opts.sort ?? 'updated'), opts.filter)
        .offset(opts.offset ?? 0)
        .limit(opts.limit ?? 50)
        .toArray();
    },
    count: (view: TicketView, filter?: TicketFilter): Promise<number> => withFilter(viewRange(db, view, 'updated'), filter).count(),

    /** Tickets whose words every query token prefixes, newest first (see ticketSearch.ts). */
    search: (query: string, limit = 50): Promise<CachedTicket[]> => searchTickets(db, query, limit),

    customer: (id: string): Promise<CachedCustomer | undefined> => db.customers.get(id),
    /** Screen pop: the caller's number in any common notation. */
    customerByPhone: (phone: string): Promise<CachedCustomer | undefined> => db.customers.where('phoneKey').equals(phoneKey(phone)).first(),
    customerByEmail: (email: string): Promise<CachedCustomer | undefined> => db.customers.where('emailKey').equals(email.trim().toLowerCase()).first(),
    ticketsOfCustomer: (customerId: string): Promise<CachedTicket[]> => db.tickets.where('customerId').equals(customerId).reverse().sortBy('updatedAt'),
  };
}
export type TicketsRepo = ReturnType<typeof createTicketsRepo>;

export function createCommentsRepo(db: CacheDb) {
  return {
    /** A ticket's conversation, oldest first. */
    forTicket: (ticketId: string): Promise<Comment[]> => db.comments.where('[ticketId+createdAt]').between([ticketId, minKey], [ticketId, maxKey]).toArray(),
  };
}
export type CommentsRepo = ReturnType<typeof createCommentsRepo>;

/** Conflict notices: a field the agent changed offline that someone else had changed meanwhile. */
export function createConflictsRepo(db: CacheDb) {
  return {
    forTicket: (ticketId: string): Promise<ConflictRow[]> => db.conflicts.where('ticketId').equals(ticketId).filter((c) => !c.dismissed).toArray(),
    /** The agent has seen it. (A write by the UI, but a notice's own state, not synced data.) */
    dismiss: async (id: string): Promise<void> => void (await db.conflicts.update(id, { dismissed: true })),
  };
}
export type ConflictsRepo = ReturnType<typeof createConflictsRepo>;
