// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { agentAnna, makeTicket } from '../../../tests/support/core/ticketFixtures';
import type { User } from '../../../core/wire/auth';
import { translator } from '../../i18n/i18n';
import { CacheDb } from '../../services/db/cacheDb';
import { createCacheWriter } from '../../services/db/cacheWriter';
import { createDraftsRepo } from '../../services/db/draftsRepo';
import { OutboxDb } from '../../services/db/outboxDb';
import { createOutboxRepo } from '../../services/db/outboxRepo';
import { uniqueName } from '../../../tests/support/renderer/dexieProbes';
import { createCommentsRepo, createConflictsRepo, createTicketsRepo } from '../../services/db/ticketsRepo';
import { createSyncEngine, type SyncTransport } from '../../services/sync/syncEngine';
import type { TicketsServices } from '../../services/sync/syncPart';
import { TicketDetail } from './TicketDetail';

afterEach(cleanup);

const anna: User = { id: agentAnna.userId, username: 'anna', displayName: 'Anna', role: 'agent', teams: [{ id: 't-billing', name: 'Billing' }], language: 'en', extension: null };
/** The server is unreachable for the whole test: everything the agent does must wait in the outbox. */
const unreachable: SyncTransport = {
  push: () => Promise.reject(new Error('offline')),
  pull: () => Promise.reject(new Error('offline')),
  openPokeSocket: (h) => (queueMicrotask(() => h.onClose()), { close() {} }),
};

async function setup(customerName?: string) {
  const cache = new CacheDb(uniqueName('cache'));
  const outbox = new OutboxDb(uniqueName('outbox'));
  const customerId = '44444444-4444-4444-8444-444444444444';
  const ticket = makeTicket({ assigneeId: anna.id, status: 'open', subject: 'Refund for <b>order</b>', ...(customerName ? { customerId } : {}) });
  await createCacheWriter(cache).applyPull(
    {
      cursor: '1',
      lastMutationId: 0,
      tickets: [ticket],
      customers: customerName ? [{ id: customerId, name: customerName, phone: null, email: null, updatedAt: 1 }] : [],
      comments: [{ id: 'c1', ticketId: ticket.id, authorId: null, kind: 'public', body: '<img src=x onerror="alert(1)"> where is my money?', createdAt: 5 }],
      removed: [],
      more: false,
    },
    [],
    agentAnna,
    () => 10,
  );
  const engine = createSyncEngine({
    cacheDb: cache,
    outboxDb: outbox,
    transport: unreachable,
    actor: agentAnna,
    clock: { now: () => Date.now(), setTimeout: () => () => {} },
    random: () => 0.5,
    newClientId: () => '11111111-1111-4111-8111-111111111111',
    log: () => {},
  });
  const services: TicketsServices = {
    user: anna,
    offline: false,
    tickets: createTicketsRepo(cache),
    comments: createCommentsRepo(cache),
    conflicts: createConflictsRepo(cache),
    drafts: createDraftsRepo(outbox),
    outbox: createOutboxRepo(outbox),
    engine,
  };
  render(<TicketDetail services={services} ticketId={ticket.id} locale="en" t={translator('en')} />);
  await screen.findByTestId('ticket-detail');
  return { cache, outbox, ticket, services };
}

describe('ticket detail', () => {
  it('renders customer text as text, never as markup', async () => {
    await setup();
    const comment = await screen.findByTestId('comment');
    expect(comment.textContent).toContain('<img src=x onerror="alert(1)"> where is my money?');
    expect(comment.querySelector('img')).toBeNull();
    expect((screen.getByTestId('field-subject') as HTMLInputElement).value).toBe('Refund for <b>order</b>');
  });

  it('issue 12 item 14: the ticket shows the customer name without the RLO reordering, flagged', async () => {
    await setup('invoice\u202Egpj.exe');
    await waitFor(() => expect(screen.getByTestId('ticket-customer').textContent).toContain('invoicegpj.exe'));
    const customer = screen.getByTestId('ticket-customer');
    expect(customer.textContent).not.toContain('\u202E');
    expect(within(customer).getByRole('img', { name: translator('en')('text.flag.hidden') })).toBeTruthy();
  });

  it('queues an offline edit and a reply, and marks the reply as waiting to sync', async () => {
    const { services, cache, ticket } = await setup();
    await act(async () => void fireEvent.change(screen.getByTestId('field-status'), { target: { value: 'pending' } }));
    await waitFor(async () => expect((await cache.tickets.get(ticket.id))?.status).toBe('pending'));
    fireEvent.change(screen.getByTestId('composer-input'), { target: { value: 'We are on it.' } });
    await act(async () => void fireEvent.click(screen.getByTestId('composer-send')));
    await waitFor(() => {
      const reply = screen.getAllByTestId('comment').find((c) => c.textContent?.includes('We are on it.'));
      expect(reply?.getAttribute('data-pending')).toBe('true');
      expect(reply?.textContent).toContain('Waiting to sync');
    });
    const pending = await services.outbox.listPending();
    expect(pending.map((m) => m.name)).toEqual(['updateTicket', 'addComment']);
    expect(pending[0]!.args).toMatchObject({ changes: { status: 'pending' }, base: { status: 'open' } });
  });

  it('saves a subject edited with Enter once, though focus leaves the field before the cache shows it', async () => {
    const { services } = await setup();
    const input = screen.getByTestId('field-subject');
    fireEvent.change(input, { target: { value: 'Refund for order 1234' } });
    // Enter, then focus moves on at once (the agent clicks the composer): no second save of the same text.
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
      fireEvent.blur(input);
    });
    await waitFor(async () => expect((await services.outbox.listPending()).map((m) => m.name)).toEqual(['updateTicket']));
    await new Promise((r) => setTimeout(r, 50));
    const pending = await services.outbox.listPending();
    expect(pending).toHaveLength(1);
    expect(pending[0]!.args).toMatchObject({ changes: { subject: 'Refund for order 1234' } });
  });

  it('shows both values of a conflict, and "Keep theirs" queues their value and clears the notice', async () => {
    const { services, cache, ticket } = await setup();
    await act(async () => {
      await cache.conflicts.put({ id: `${ticket.id}:status`, ticketId: ticket.id, field: 'status', mine: 'open', theirs: 'solved', at: 1 });
    });
    const notice = await screen.findByTestId('conflict-notice');
    expect(notice.textContent).toContain('You set: Open — someone else set: Solved');
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Keep theirs' })));
    await waitFor(() => expect(screen.queryByTestId('conflict-notice')).toBeNull());
    const pending = await services.outbox.listPending();
    expect(pending.at(-1)?.args).toMatchObject({ changes: { status: 'solved' } });
  });

  it('keeps the composer draft per ticket and restores it when the ticket opens again', async () => {
    const { services, ticket } = await setup();
    fireEvent.change(screen.getByTestId('composer-input'), { target: { value: 'Half a reply' } });
    await waitFor(async () => expect((await services.drafts.get(ticket.id))?.body).toBe('Half a reply'), { timeout: 2_000 });
    cleanup();
    render(<TicketDetail services={services} ticketId={ticket.id} locale="en" t={translator('en')} />);
    await waitFor(() => expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe('Half a reply'));
  });
});
