import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MemoryServer } from '../../../tests/support/core/memoryServer';
import { agentAnna, agentBo, leadLi, makeTicket } from '../../../tests/support/core/ticketFixtures';
import type { Actor } from '../../../core/tickets/scope';
import { createCommentsRepo, createConflictsRepo, createTicketsRepo } from '../db/ticketsRepo';
import { createOutboxRepo } from '../db/outboxRepo';
import { createCacheWriter } from '../db/cacheWriter';
import { agentApp, fakeClock, newServer, uuid } from '../../../tests/support/renderer/syncWorld';
import { createVoiceFirst } from './voiceFirst';

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

/** Someone else's change, made through the server's own push path. */
async function serverEdit(server: MemoryServer, actor: Actor, name: string, args: Record<string, unknown>) {
  const res = await server.push(actor, { clientId: uuid(), mutations: [{ id: 1, name, args, createdAt: 0 }] });
  expect(res.results[0]?.status).toBe('applied');
}

describe('sync engine against the in-memory spec server', () => {
  it('shows a change at once, then lands it on the server exactly once although the push response was lost', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();

    anna.net.losePushResponses = 1;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { status: 'pending' }, base: { status: 'open' } });
    expect((await createTicketsRepo(anna.cacheDb).get(t.id))?.status).toBe('pending');

    // The lost response fails the cycle; the retry (backoff timer or the server's poke) pushes id 1 again.
    anna.clock.advance(60_000);
    await vi.waitFor(() => expect(anna.engine.getState()).toMatchObject({ status: 'online', pendingCount: 0 }));
    expect(anna.net.pushes).toBe(2);
    expect(server.ticket(t.id)?.status).toBe('pending');
    expect([...server.applications(await createOutboxRepo(anna.outboxDb).clientId(uuid))]).toEqual([[1, 1]]);
    expect((await createTicketsRepo(anna.cacheDb).get(t.id))?.version).toBe(2);
  });

  it('keeps offline work across a restart and sends it, in order, when the network is back', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const first = app(server, agentAnna);
    await first.engine.start();
    first.net.up = false;
    const commentId = uuid();
    await first.engine.mutate('updateTicket', { ticketId: t.id, changes: { priority: 'high' }, base: { priority: 'normal' } });
    await first.engine.mutate('addComment', { commentId, ticketId: t.id, kind: 'public', body: '已为您办理退款' });
    first.engine.stop();
    first.cacheDb.close();
    first.outboxDb.close();

    const second = app(server, agentAnna, { names: first.names });
    await second.engine.start();
    await vi.waitFor(() => expect(second.engine.getState()).toMatchObject({ status: 'online', pendingCount: 0 }));
    expect(server.ticket(t.id)?.priority).toBe('high');
    expect(server.comments(t.id).map((c) => c.body)).toEqual(['已为您办理退款']);
    expect((await createCommentsRepo(second.cacheDb).forTicket(t.id)).map((c) => c.id)).toEqual([commentId]);
  });

  it('shows a mutation the app crashed before drawing: the outbox is replayed on start', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId, status: 'open' });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    anna.net.deferPushes = true;
    // As if the app died right after the strict outbox write, before the optimistic cache write.
    await createOutboxRepo(anna.outboxDb).append({ name: 'updateTicket', args: { ticketId: t.id, changes: { status: 'solved' } }, createdAt: 1, ticketId: t.id });
    await anna.engine.start();
    expect(await createTicketsRepo(anna.cacheDb).get(t.id)).toMatchObject({ status: 'solved' });
    expect(server.ticket(t.id)?.status).toBe('open');
  });

  it('rebases pending work on pulled changes and notices a field someone else overwrote', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId, priority: 'normal', subject: 'Refund' });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();

    anna.net.deferPushes = true;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { priority: 'high', status: 'pending' }, base: { priority: 'normal', status: 'open' } });
    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { priority: 'urgent', subject: 'Refund (VIP)' } });
    await anna.engine.syncNow();

    const seen = await createTicketsRepo(anna.cacheDb).get(t.id);
    expect(seen).toMatchObject({ subject: 'Refund (VIP)', priority: 'high', status: 'pending' });
    const conflicts = createConflictsRepo(anna.cacheDb);
    const [notice] = await conflicts.forTicket(t.id);
    expect(notice).toMatchObject({ field: 'priority', mine: 'high', theirs: 'urgent' });
    expect(anna.engine.getState().pendingCount).toBe(1);
    // Seen and dismissed: the next rebase finds the same clash but does not bring the notice back.
    await conflicts.dismiss(notice!.id);
    await anna.engine.syncNow();
    expect(await conflicts.forTicket(t.id)).toEqual([]);

    anna.net.deferPushes = false;
    await anna.engine.syncNow();
    expect(server.ticket(t.id)).toMatchObject({ subject: 'Refund (VIP)', priority: 'high', status: 'pending' });
    expect(anna.engine.getState().pendingCount).toBe(0);
  });

  it('is told about a conflict the server saw when the agent pushed before pulling', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId, status: 'open' });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    anna.net.up = false;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { status: 'solved' }, base: { status: 'open' } });
    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { status: 'pending' } });
    anna.net.up = true;
    anna.engine.onOnline();
    await vi.waitFor(() => expect(anna.engine.getState()).toMatchObject({ status: 'online', pendingCount: 0 }));
    expect(await createConflictsRepo(anna.cacheDb).forTicket(t.id)).toMatchObject([{ field: 'status', mine: 'solved', theirs: 'pending' }]);
    expect(server.ticket(t.id)?.status).toBe('solved');
  });

  it('keeps a refused mutation as a visible failure and rolls back its optimistic effect', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: null, status: 'open' });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    anna.net.up = false;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { status: 'pending' } });
    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { assigneeId: agentBo.userId } });
    anna.net.up = true;
    await anna.engine.syncNow();
    expect(anna.engine.getState().status).toBe('online');
    expect((await anna.engine.failedForTicket(t.id)).map((m) => m.error?.code)).toEqual(['forbidden']);
    expect(await createTicketsRepo(anna.cacheDb).get(t.id)).toMatchObject({ status: 'open', assigneeId: agentBo.userId });
  });

  it('refuses an invalid mutation up front and queues nothing', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    await expect(anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { subject: 'x'.repeat(301) } })).rejects.toThrow(/subject is longer than 300/);
    expect(await createOutboxRepo(anna.outboxDb).countPending()).toBe(0);
  });

  it('backs off with growing, capped, jittered delays and retries at once when the network returns', async () => {
    const server = newServer();
    const clock = fakeClock();
    const anna = app(server, agentAnna, { clock });
    const retryDelays: number[] = [];
    anna.engine.subscribe((s) => {
      if (s.nextRetryAt !== null && s.status === 'offline') retryDelays.push(s.nextRetryAt - clock.clock.now());
    });
    anna.net.up = false;
    await anna.engine.start();
    for (let i = 0; i < 7; i++) {
      const before = anna.net.pulls;
      clock.advance(retryDelays.at(-1)!);
      await vi.waitFor(() => expect(retryDelays).toHaveLength(i + 2));
      expect(anna.net.pulls).toBe(before + 1);
    }
    // random() = 0.5 draws half of each ceiling: 1 s · 2^n, capped at 60 s.
    expect(retryDelays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);

    const before = anna.net.pulls;
    anna.net.up = true;
    anna.engine.onOnline();
    // No clock advance: the retry happens now, not when the 30 s timer would have fired.
    await vi.waitFor(() => expect(anna.engine.getState().status).toBe('online'));
    expect(anna.net.pulls).toBeGreaterThan(before);
  });

  it('pulls within a poke of someone else’s change, and resumes from its cursor after the socket drops', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    await vi.waitFor(() => expect(anna.net.sockets).toHaveLength(1));

    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { priority: 'urgent' } });
    await vi.waitFor(async () => expect((await createTicketsRepo(anna.cacheDb).get(t.id))?.priority).toBe('urgent'));

    anna.net.up = false;
    anna.net.sockets[0]!.onClose();
    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { priority: 'low' } });
    anna.net.up = true;
    anna.clock.advance(60_000);
    await vi.waitFor(async () => expect((await createTicketsRepo(anna.cacheDb).get(t.id))?.priority).toBe('low'));
  });

  it('pulls at once when the server ends the poke socket for its token (4401), so the access token is renewed before the next socket', async () => {
    const server = newServer();
    const anna = app(server, agentAnna);
    await anna.engine.start();
    await vi.waitFor(() => expect(anna.net.sockets).toHaveLength(1));
    await vi.waitFor(() => expect(anna.engine.getState().status).toBe('online'));
    const before = anna.net.pulls;
    anna.net.sockets[0]!.onClose('unauthorized');
    // No clock advance: the pull is not waiting for the reconnect backoff.
    await vi.waitFor(() => expect(anna.net.pulls).toBeGreaterThan(before));
  });

  it('applies a poke that carries the change from its own cursor without pulling, and pulls for a stale one', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId, subject: 'Before' });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    await vi.waitFor(() => expect(anna.net.sockets).toHaveLength(1));
    anna.net.mutePokes = true;
    // Anna has a change of her own waiting: the delta must be rebased under it, as a pull would be.
    anna.net.deferPushes = true;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { subject: 'Mine' } });
    await anna.engine.syncNow();
    const pulls = anna.net.pulls;
    const base = (await createCacheWriter(anna.cacheDb).readMeta()).cursor!;

    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { priority: 'urgent' } });
    const page = JSON.parse(JSON.stringify(server.pull(agentAnna, { clientId: anna.engine.clientId()!, cursor: base })));
    anna.net.sockets[0]!.onPoke({ base, page });
    await vi.waitFor(async () => expect(await createTicketsRepo(anna.cacheDb).get(t.id)).toMatchObject({ priority: 'urgent', subject: 'Mine' }));
    expect(anna.net.pulls).toBe(pulls);
    expect(await createOutboxRepo(anna.outboxDb).countPending()).toBe(1);
    expect((await createCacheWriter(anna.cacheDb).readMeta()).cursor).toBe(page.cursor);

    // The same delta again: its base is no longer our cursor, so the engine pulls instead of applying it.
    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { priority: 'low' } });
    anna.net.sockets[0]!.onPoke({ base, page });
    await vi.waitFor(async () => expect((await createTicketsRepo(anna.cacheDb).get(t.id))?.priority).toBe('low'));
    expect(anna.net.pulls).toBeGreaterThan(pulls);
  });

  it('reports first-sync progress page by page', async () => {
    const server = newServer(2);
    server.seed({ tickets: Array.from({ length: 5 }, () => makeTicket({ assigneeId: agentAnna.userId })) });
    const anna = app(server, agentAnna);
    const progress: Array<[number, number | null]> = [];
    anna.engine.subscribe((s) => {
      const last = progress.at(-1);
      if (s.firstSync && (last?.[0] !== s.firstSync.received)) progress.push([s.firstSync.received, s.firstSync.estimatedTotal]);
    });
    await anna.engine.start();
    expect(progress).toEqual([[0, null], [2, 5], [4, 5], [5, 5]]);
    expect(anna.engine.getState().firstSync).toBeNull();
    expect(await createTicketsRepo(anna.cacheDb).count({ kind: 'mine', userId: agentAnna.userId })).toBe(5);
  });

  it('voice first (issue 15): a first sync stops between pages while a call is live and finishes when it ends', async () => {
    const server = newServer(2);
    server.seed({ tickets: Array.from({ length: 6 }, () => makeTicket({ assigneeId: agentAnna.userId })) });
    const voice = createVoiceFirst({ enabled: () => true });
    voice.setCallLive(true);
    const anna = app(server, agentAnna, { whileOnCall: () => voice.whileOnCall() });
    const started = anna.engine.start();
    await vi.waitFor(() => expect(anna.engine.getState().firstSync?.received).toBe(2));
    // Held after its first page for as long as the call lasts.
    await new Promise((r) => setTimeout(r, 50));
    expect(anna.net.pulls).toBe(1);
    expect(anna.engine.getState().firstSync?.received).toBe(2);
    voice.setCallLive(false);
    await started;
    await vi.waitFor(() => expect(anna.engine.getState().firstSync).toBeNull());
    expect(await createTicketsRepo(anna.cacheDb).count({ kind: 'mine', userId: agentAnna.userId })).toBe(6);
  });

  it('voice first off by policy: the first sync runs straight through a call', async () => {
    const server = newServer(2);
    server.seed({ tickets: Array.from({ length: 6 }, () => makeTicket({ assigneeId: agentAnna.userId })) });
    const voice = createVoiceFirst({ enabled: () => false });
    voice.setCallLive(true);
    const anna = app(server, agentAnna, { whileOnCall: () => voice.whileOnCall() });
    await anna.engine.start();
    await vi.waitFor(() => expect(anna.engine.getState().firstSync).toBeNull());
    expect(await createTicketsRepo(anna.cacheDb).count({ kind: 'mine', userId: agentAnna.userId })).toBe(6);
  });

  it('heals a cache that lost its data: rebuilds it from the server and keeps the outbox', async () => {
    const server = newServer();
    const t = makeTicket({ assigneeId: agentAnna.userId, subject: 'Before' });
    server.seed({ tickets: [t] });
    const anna = app(server, agentAnna);
    await anna.engine.start();
    anna.net.deferPushes = true;
    await anna.engine.mutate('updateTicket', { ticketId: t.id, changes: { subject: 'Mine, offline' } });
    await serverEdit(server, leadLi, 'updateTicket', { ticketId: t.id, changes: { priority: 'high' } });

    const dataLoss = Object.assign(new Error('simulated: backing store lost'), { name: 'DataLossError' });
    const spy = vi.spyOn(anna.cacheDb.tickets, 'bulkPut').mockRejectedValueOnce(dataLoss);
    await anna.engine.syncNow();
    spy.mockRestore();

    expect(anna.logs.some((l) => l.includes('cache lost (DataLossError)'))).toBe(true);
    expect(await createOutboxRepo(anna.outboxDb).countPending()).toBe(1);
    expect(await createTicketsRepo(anna.cacheDb).get(t.id)).toMatchObject({ subject: 'Mine, offline', priority: 'high' });

    anna.net.deferPushes = false;
    await anna.engine.syncNow();
    expect(server.ticket(t.id)).toMatchObject({ subject: 'Mine, offline', priority: 'high' });
  });
});
