import type { StateCreator } from 'zustand';
import type { TicketPriority, TicketStatus } from '../../core/tickets/model';
import type { AppState } from './appStore';

/** The list's views: assigned to me, my teams' unassigned queue, everything open that I can see. */
export const ticketViews = ['mine', 'team-queue', 'all-open'] as const;
export type TicketViewId = (typeof ticketViews)[number];
export type TicketSortId = 'updated' | 'sla';
export type TicketFilters = { status: TicketStatus | null; priority: TicketPriority | null; tag: string | null };

/**
 * What the tickets page shows, not the tickets: rows live in Dexie and are read with useLiveQuery, so
 * the store never holds a second, stale copy of them.
 */
export type TicketsSlice = {
  ticketView: TicketViewId;
  ticketSort: TicketSortId;
  ticketFilters: TicketFilters;
  /** The local search box; non-empty switches the list from the view to search results. */
  ticketSearch: string;
  selectedTicketId: string | null;
  setTicketView(view: TicketViewId): void;
  setTicketSort(sort: TicketSortId): void;
  setTicketFilter(patch: Partial<TicketFilters>): void;
  setTicketSearch(query: string): void;
  selectTicket(id: string | null): void;
};

export const noTicketFilters: TicketFilters = { status: null, priority: null, tag: null };

export const createTicketsSlice = (): StateCreator<AppState, [], [], TicketsSlice> => (set, get) => ({
  ticketView: 'mine',
  ticketSort: 'updated',
  ticketFilters: noTicketFilters,
  ticketSearch: '',
  selectedTicketId: null,
  setTicketView: (ticketView) => set({ ticketView }),
  setTicketSort: (ticketSort) => set({ ticketSort }),
  setTicketFilter: (patch) => set({ ticketFilters: { ...get().ticketFilters, ...patch } }),
  setTicketSearch: (ticketSearch) => set({ ticketSearch }),
  selectTicket: (selectedTicketId) => set({ selectedTicketId }),
});
