import { describe, expect, it } from 'vitest';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

describe('tickets slice', () => {
  it('starts on my tickets, newest first, unfiltered, nothing selected', () => {
    const store = createAppStore(fakeDeps().deps);
    expect(store.getState()).toMatchObject({ ticketView: 'mine', ticketSort: 'updated', ticketSearch: '', selectedTicketId: null });
    expect(store.getState().ticketFilters).toEqual({ status: null, priority: null, tag: null });
  });

  it('merges filter changes and keeps the others', () => {
    const store = createAppStore(fakeDeps().deps);
    store.getState().setTicketFilter({ status: 'open' });
    store.getState().setTicketFilter({ tag: 'refund' });
    expect(store.getState().ticketFilters).toEqual({ status: 'open', priority: null, tag: 'refund' });
    store.getState().setTicketFilter({ status: null });
    expect(store.getState().ticketFilters.status).toBeNull();
  });

  it('remembers view, sort, search and the open ticket', () => {
    const store = createAppStore(fakeDeps().deps);
    store.getState().setTicketView('team-queue');
    store.getState().setTicketSort('sla');
    store.getState().setTicketSearch('#1042');
    store.getState().selectTicket('t-1');
    expect(store.getState()).toMatchObject({ ticketView: 'team-queue', ticketSort: 'sla', ticketSearch: '#1042', selectedTicketId: 't-1' });
  });
});
