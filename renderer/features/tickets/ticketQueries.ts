import type { TicketStatus } from '../../../core/tickets/model';
import type { User } from '../../../core/wire/auth';
import type { CachedTicket } from '../../services/db/rows';
import type { TicketFilter, TicketSort, TicketView, TicketsRepo } from '../../services/db/ticketsRepo';
import type { TicketFilters, TicketSortId, TicketViewId } from '../../stores/ticketsSlice';

/** Statuses an agent still has work on; "All open" is these. */
export const openStatuses: readonly TicketStatus[] = ['new', 'open', 'pending'];

const sortKey = (sort: TicketSortId) => (t: CachedTicket) => (sort === 'updated' ? -t.updatedAt : t.slaDue);

/**
 * The repo's views are single index ranges (one assignee, one team, one status), so a view that spans
 * several (my teams' queues, the open statuses) merges the first `limit` of each range: the merged
 * first `limit` is then exact without reading anything past it.
 */
function rangesOf(view: TicketViewId, user: User, filters: TicketFilters): TicketView[] {
  switch (view) {
    case 'mine':
      return [{ kind: 'mine', userId: user.id }];
    case 'team-queue':
      return user.teams.map((t) => ({ kind: 'team-queue', teamId: t.id }));
    case 'all-open':
      return openStatuses.filter((s) => filters.status === null || s === filters.status).map((status) => ({ kind: 'status', status }));
  }
}

export function repoFilter(filters: TicketFilters): TicketFilter {
  const f: TicketFilter = {};
  if (filters.status) f.statuses = [filters.status];
  if (filters.priority) f.priorities = [filters.priority];
  if (filters.tag) f.tag = filters.tag;
  return f;
}

export function matchesFilters(t: CachedTicket, filters: TicketFilters): boolean {
  return (filters.status === null || t.status === filters.status) && (filters.priority === null || t.priority === filters.priority) && (filters.tag === null || t.tags.includes(filters.tag));
}

export type ListQuery = { view: TicketViewId; sort: TicketSortId; filters: TicketFilters; search: string; limit: number };

/** The rows the list shows: search results when the box has text, else the view, newest or most urgent first. */
export async function loadTicketList(repo: TicketsRepo, user: User, q: ListQuery): Promise<CachedTicket[]> {
  if (q.search.trim() !== '') {
    const found = await repo.search(q.search, Math.max(q.limit, 200));
    return found.filter((t) => matchesFilters(t, q.filters)).slice(0, q.limit);
  }
  const ranges = rangesOf(q.view, user, q.filters);
  const sort: TicketSort = q.sort;
  const parts = await Promise.all(ranges.map((view) => repo.list(view, { sort, filter: repoFilter(q.filters), limit: q.limit })));
  if (parts.length === 1) return parts[0] ?? [];
  const key = sortKey(q.sort);
  return parts
    .flat()
    .sort((a, b) => key(a) - key(b))
    .slice(0, q.limit);
}
