// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
import { RefusedNotice } from './RefusedNotice';
import type { TicketsServices } from '../../services/sync/syncPart';

afterEach(cleanup);

const anna: User = { id: agentAnna.userId, username: 'anna', displayName: 'Anna', role: 'agent', teams: [{ id: 't-billing', name: 'Billing' }], language: 'en', extension: null };
const unreachable: SyncTransport = {
  push: () => Promise.reject(new Error('offline')),
  pull: () => Promise.reject(new Error('offline')),
  openPokeSocket: (h) => (queueMicrotask(() => h.onClose()), { close() {} }),
};

async function setup() {
  const cache = new CacheDb(uniqueName('cache'));
  const outboxDb = new OutboxDb(uniqueName('outbox'));
  const ticket = makeTicket({ assigneeId: anna.id, subject: 'Refund for order 1234', number: 4711 });
  await createCacheWriter(cache).applyPull({ cursor: '1', lastMutationId: 0, tickets: [ticket], customers: [], comments: [], removed: [], more: false }, [], agentAnna, () => 10);
  const engine = createSyncEngine({
    cacheDb: cache, outboxDb, transport: unreachable, actor: agentAnna,
    clock: { now: () => Date.now(), setTimeout: () => () => {} }, random: () => 0.5,
    newClientId: () => '11111111-1111-4111-8111-111111111111', log: () => {},
  });
  const outbox = createOutboxRepo(outboxDb);
  // Two refusals: one on a cached ticket, one whose ticket left the agent's scope.
  for (const [ticketId, message] of [[ticket.id, 'You can no longer edit this ticket.'], ['00000000-0000-4000-8000-00000000dead', 'unknown mutation mergeTickets']] as const) {
    const { id } = await outbox.append({ name: 'updateTicket', args: { ticketId }, createdAt: 1, ticketId });
    await outbox.markFailed(id, { code: 'forbidden', message });
  }
  const services: TicketsServices = {
    user: anna, offline: false, tickets: createTicketsRepo(cache), comments: createCommentsRepo(cache), conflicts: createConflictsRepo(cache),
    drafts: createDraftsRepo(outboxDb), outbox, engine,
  };
  return { services, ticket };
}

describe('refused changes notice', () => {
  it('says how many changes the server refused, lists them with the reason, opens the ticket and dismisses each', async () => {
    const { services, ticket } = await setup();
    const onOpen = vi.fn();
    render(<RefusedNotice services={services} t={translator('en')} onOpen={onOpen} />);
    expect(await screen.findByText('2 changes were refused by the server')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    const items = await screen.findAllByTestId('refused-item');
    await waitFor(() => expect(items[0]!.textContent).toContain('#4711 Refund for order 1234 — You can no longer edit this ticket.'));
    expect(items[1]!.textContent).toContain('A ticket you no longer see — unknown mutation mergeTickets');

    fireEvent.click(screen.getByRole('button', { name: 'Open ticket' }));
    expect(onOpen).toHaveBeenCalledWith(ticket.id);
    fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss' })[1]!);
    expect(await screen.findByText('1 change was refused by the server')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByTestId('refused-notice')).toBeNull());
    expect(services.engine.getState().failedCount).toBe(0);
  });

  it('speaks Chinese too', async () => {
    const { services } = await setup();
    render(<RefusedNotice services={services} t={translator('zh-TW')} onOpen={() => {}} />);
    expect(await screen.findByText('有 2 項變更被伺服器拒絕')).toBeTruthy();
  });
});
