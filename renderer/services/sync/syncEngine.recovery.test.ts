import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agentAnna, agentBo, leadLi, makeTicket } from '../../../tests/support/core/ticketFixtures';
import { SyncRefusalError } from '../../../core/sync/wire';
import { createCommentsRepo, createTicketsRepo } from '../db/ticketsRepo';
import { createOutboxRepo } from '../db/outboxRepo';
import { agentApp, newServer, uuid } from '../../../tests/support/renderer/syncWorld';

const apps: Array<ReturnType<typeof agentApp>> = [];
function app(...args: Parameters<typeof agentApp>) {
  const a = agentApp(...args);
  apps.push(a);
  return a;
}
afterEach(async () => {
  for (const a of apps.splice(0)) {
    a.engine.stop();
    await a.cacheDb.delete();
    await a.outboxDb.delete();
  }
});

const clientIdOf = (a: ReturnType<typeof agentApp>) => createOutboxRepo(a.outboxDb).clientId(() => 'never-minted');
const applications = (server: ReturnType<typeof newServer>, clientId: string) => [...server.applications(clientId).values()];

describe('sync engine: mutation ids and the server’s refusals', () => {
  it('numbers mutations without gaps across refusals, dismissals and restarts (the server refuses gaps)', async () => {
    const server = newServer();
    const mine = makeTicket({ assigneeId: agentAnna.userId });
    const queue = makeTicket({ assigneeId: null });
    server.seed({ tickets: [mine, queue] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    anna.net.up = false;
    await anna.engine.mutate('updateTicket', { ticketId: queue.id, changes: { status: 'pending' } });
    await server.push(leadLi, { clientId: uuid(), mutations: [{ id: 1, name: 'updateTicket', args: { ticketId: queue.id, changes: { assigneeId: agentBo.userId } }, createdAt: 0 }] });
    anna.net.up = true;
    await anna.engine.syncNow();
    const [refused] = await anna.engine.listFailed();
    expect(refused?.error?.code).toBe('forbidden');
    await anna.engine.dismissFailed(refused!.id);

    const { mutationId } = await anna.engine.mutate('updateTicket', { ticketId: mine.id, changes: { priority: 'high' } });
    expect(mutationId).toBe(2);
    await anna.engine.syncNow();
    anna.engine.stop();
    const again = app(server, agentAnna, { names: anna.names });
    await again.engine.start();
    expect((await again.engine.mutate('updateTicket', { ticketId: mine.id, changes: { priority: 'low' } })).mutationId).toBe(3);
    await again.engine.syncNow();
    expect(again.engine.getState()).toMatchObject({ status: 'online', pendingCount: 0, lastError: null });
    expect(server.lastMutationId(await clientIdOf(again))).toBe(3);
    expect(server.ticket(mine.id)?.priority).toBe('low');
  });

  it('continues as a new client, renumbered from 1, when the server forgot it (client-reset); nothing lost, nothing twice', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { status: 'pending' } });
    await anna.engine.syncNow();
    const oldClient = await clientIdOf(anna);

    anna.net.up = false;
    await anna.engine.mutate('addComment', { commentId: uuid(), ticketId: t.id, kind: 'public', body: 'refund sent' });
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { priority: 'urgent' } });
    server.forgetClient(oldClient);
    anna.net.up = true;
    await anna.engine.syncNow();

    const newClient = await clientIdOf(anna);
    expect(newClient).not.toBe(oldClient);
    // What the poke socket's next auth names, so the server spares this client its own pokes.
    expect(anna.engine.clientId()).toBe(newClient);
    expect(applications(server, newClient)).toEqual([1, 1]);
    expect(server.lastMutationId(newClient)).toBe(2);
    expect(server.comments(t.id)).toHaveLength(1);
    expect(server.ticket(t.id)).toMatchObject({ status: 'pending', priority: 'urgent' });
    expect(anna.engine.getState()).toMatchObject({ status: 'online', pendingCount: 0 });
    expect(anna.logs.some((l) => l.includes('client-reset'))).toBe(true);
    expect((await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { priority: 'low' } })).mutationId).toBe(3);
  });

  it('treats a gap the server reports (it lost confirmed mutations in a restore) the same way', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { status: 'pending' } });
    await anna.engine.syncNow();
    const oldClient = await clientIdOf(anna);
    anna.net.up = false;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { priority: 'high' } });
    // The restored server knows the client but not its mutation 1: the next id it accepts is 1, we send 2.
    server.forgetClient(oldClient);
    server.pull(agentAnna, { clientId: oldClient, cursor: null });
    anna.net.up = true;
    await anna.engine.syncNow();
    expect(anna.logs.some((l) => l.includes('mutation-gap'))).toBe(true);
    expect(applications(server, await clientIdOf(anna))).toEqual([1]);
    expect(server.ticket(t.id)?.priority).toBe('high');
  });

  it('isolates a mutation the server refuses as a whole request (400), fails it alone with the reason, and sends the rest', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    // As the real server does: a name it does not know refuses the whole batch before anything runs.
    const pushes: number[] = [];
    const real = anna.transport.push;
    anna.transport.push = (req) => {
      pushes.push(req.mutations.length);
      const unknown = req.mutations.find((m) => m.name === 'mergeTickets');
      if (!unknown) return real(req);
      return Promise.reject(Object.assign(new Error(`Invalid body: mutations: unknown mutation mergeTickets (id ${unknown.id})`), { status: 400, code: 'bad-request' }));
    };
    await anna.engine.start();
    anna.net.up = false;
    for (const priority of ['low', 'high'] as const) await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { priority } });
    // Queued by a newer version of the app (its outbox is shared across an update or a downgrade).
    await createOutboxRepo(anna.outboxDb).append({ name: 'mergeTickets', args: { ticketId: t.id, into: uuid() }, createdAt: 1, ticketId: t.id });
    await anna.engine.mutate('addComment', { commentId: uuid(), ticketId: t.id, kind: 'public', body: 'sent the refund' });
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { status: 'pending' } });
    anna.net.up = true;
    pushes.length = 0;
    await anna.engine.syncNow();

    expect(anna.engine.getState()).toMatchObject({ status: 'online', pendingCount: 0, failedCount: 1, lastError: null, nextRetryAt: null });
    const [refused] = await anna.engine.failedForTicket(t.id);
    expect(refused).toMatchObject({ name: 'mergeTickets', error: { code: 'invalid', message: expect.stringContaining('unknown mutation mergeTickets') } });
    expect(server.ticket(t.id)).toMatchObject({ priority: 'high', status: 'pending' });
    expect(server.comments(t.id)).toHaveLength(1);
    // Applied once each, under consecutive ids with no gap where the refused one was.
    const clientId = await clientIdOf(anna);
    expect(server.lastMutationId(clientId)).toBe(4);
    expect(applications(server, clientId)).toEqual([1, 1, 1, 1]);
    // Bisected, not one request per mutation and never a retry loop.
    expect(pushes.length).toBeLessThan(8);
    expect((await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { priority: 'urgent' } })).mutationId).toBe(5);
    await anna.engine.syncNow();
    expect(server.ticket(t.id)?.priority).toBe('urgent');
  });

  it('refills the cache from a null cursor on cursor-reset and keeps the outbox', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    const gone = makeTicket({ assigneeId: null, teamId: 't-billing' });
    server.seed({ tickets: [t, gone] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    anna.net.up = false;
    const commentId = uuid();
    await anna.engine.mutate('addComment', { commentId, ticketId: t.id, kind: 'internal', body: '先别关单' });
    // Anna left the billing team: the server's change sequence would not say so, the cursor-reset does.
    server.seed({ tickets: [{ ...gone, teamId: 't-tech' }] });
    const pull = anna.transport.pull;
    let refusals = 0;
    anna.transport.pull = (req) => (req.cursor !== null && refusals++ === 0 ? Promise.reject(new SyncRefusalError('cursor-reset', 'teams changed')) : pull(req));
    anna.net.up = true;
    await anna.engine.syncNow();
    expect(refusals).toBe(1);
    expect(anna.engine.getState()).toMatchObject({ status: 'online', pendingCount: 0 });
    expect(await createTicketsRepo(anna.cacheDb).get(gone.id)).toBeUndefined();
    expect((await createCommentsRepo(anna.cacheDb).forTicket(t.id)).map((c) => c.id)).toEqual([commentId]);
    expect(server.comments(t.id).map((c) => c.id)).toEqual([commentId]);
  });

  it('after a cursor-reset asks who the user now is, so local checks follow the new team', async () => {
    const server = newServer();
    const techQueue = makeTicket({ assigneeId: null, teamId: 't-tech' });
    server.seed({ tickets: [techQueue] });
    let now = { ...agentAnna, teamIds: ['t-billing'] };
    const refreshActor = vi.fn(async () => now);
    const anna = app(server, agentAnna, { serverActor: () => now, refreshActor });
    await anna.engine.start();
    expect(await createTicketsRepo(anna.cacheDb).get(techQueue.id)).toBeUndefined();

    // Moved to the tech team: the server refuses the old cursor once, as scope changed.
    now = { ...agentAnna, teamIds: ['t-tech'] };
    const pull = anna.transport.pull;
    let refusals = 0;
    anna.transport.pull = (req) => (req.cursor !== null && refusals++ === 0 ? Promise.reject(new SyncRefusalError('cursor-reset', 'teams changed')) : pull(req));
    await anna.engine.syncNow();
    expect(refreshActor).toHaveBeenCalledTimes(1);
    expect(await createTicketsRepo(anna.cacheDb).get(techQueue.id)).toBeDefined();
    // With the old actor the local dry run would refuse this as outside her teams.
    await anna.engine.mutate('updateTicket', { ticketId: techQueue.id, changes: { priority: 'high' } });
    await anna.engine.syncNow();
    expect(server.ticket(techQueue.id)?.priority).toBe('high');
  });

  it('keeps counting a refusal whose ticket then left the agent’s scope, so it never vanishes', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    anna.net.up = false;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { subject: 'Refund for order 1234' } });
    server.seed({ tickets: [{ ...t, assigneeId: 'u-other', teamId: 't-tech' }] });
    anna.net.up = true;
    await anna.engine.syncNow();
    expect(await createTicketsRepo(anna.cacheDb).get(t.id)).toBeUndefined();
    expect(anna.engine.getState().failedCount).toBe(1);
    expect((await anna.engine.listFailed()).map((m) => [m.ticketId, m.args.changes])).toEqual([[t.id, { subject: 'Refund for order 1234' }]]);
  });
});
