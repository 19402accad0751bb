import { describe, expect, it } from 'vitest';
import { agentAnna, agentBo, makeTicket } from '../../tests/support/core/ticketFixtures';
import { createMemoryServer, ForbiddenClientError } from '../../tests/support/core/memoryServer';
import { PushRequest, SyncRefusalError } from './wire';

const clientId = '5a1c2f3e-0000-4000-8000-000000000001';

describe('memory sync server (the spec server/ implements)', () => {
  it('applies each mutation exactly once, even when a push is retried', async () => {
    const server = createMemoryServer({ now: () => 9_000 });
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const req = PushRequest.parse({
      clientId,
      mutations: [
        { id: 1, name: 'updateTicket', args: { ticketId: t.id, changes: { status: 'pending' } }, createdAt: 1 },
        { id: 2, name: 'addComment', args: { commentId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', ticketId: t.id, kind: 'public', body: 'hi' }, createdAt: 2 },
      ],
    });
    const first = await server.push(agentAnna, req);
    const again = await server.push(agentAnna, req);
    expect(first).toEqual({ results: [{ id: 1, status: 'applied' }, { id: 2, status: 'applied' }], lastMutationId: 2 });
    expect(again).toEqual(first);
    expect([...server.applications(clientId)]).toEqual([[1, 1], [2, 1]]);
    expect(server.comments(t.id)).toHaveLength(1);
  });

  it('records a permanent failure with its reason, rolls back its writes and still advances the id; a replay returns the same failure', async () => {
    const server = createMemoryServer({ now: () => 9_000 });
    const t = makeTicket({ assigneeId: agentBo.userId });
    server.seed({ tickets: [t] });
    const req = PushRequest.parse({ clientId, mutations: [{ id: 1, name: 'updateTicket', args: { ticketId: t.id, changes: { status: 'solved' } }, createdAt: 1 }] });
    const res = await server.push(agentAnna, req);
    expect(res.results[0]).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(res.lastMutationId).toBe(1);
    expect(server.ticket(t.id)?.status).toBe('open');
    expect(await server.push(agentAnna, req)).toEqual(res);
  });

  it('refuses a client id used by another user', async () => {
    const server = createMemoryServer({ now: () => 9_000 });
    server.pull(agentAnna, { clientId, cursor: null });
    expect(() => server.pull(agentBo, { clientId, cursor: null })).toThrow(ForbiddenClientError);
  });

  it('pages a first sync, then sends only changes and tickets that left the scope', async () => {
    const server = createMemoryServer({ now: () => 9_000, pageSize: 2 });
    const mine = [1, 2, 3].map(() => makeTicket({ assigneeId: agentAnna.userId }));
    server.seed({ tickets: [...mine, makeTicket({ teamId: 't-tech' })] });
    const p1 = server.pull(agentAnna, { clientId, cursor: null });
    expect([p1.tickets.length, p1.more, p1.estimatedTotal]).toEqual([2, true, 3]);
    const p2 = server.pull(agentAnna, { clientId, cursor: p1.cursor });
    expect([p2.tickets.length, p2.more]).toEqual([1, false]);
    server.seed({ tickets: [{ ...mine[0]!, teamId: 't-tech', assigneeId: 'u-other' }] });
    const p3 = server.pull(agentAnna, { clientId, cursor: p2.cursor });
    expect(p3).toMatchObject({ tickets: [], removed: [mine[0]!.id], more: false });
  });

  it('refuses malformed push envelopes before anything runs', () => {
    const bad = (mutations: unknown) => PushRequest.safeParse({ clientId, mutations }).success;
    expect(bad([{ id: 2, name: 'x', args: {}, createdAt: 1 }, { id: 2, name: 'x', args: {}, createdAt: 1 }])).toBe(false);
    expect(bad([{ id: 1, name: 'x', args: { body: 'x'.repeat(70_000) }, createdAt: 1 }])).toBe(false);
    expect(bad(Array.from({ length: 501 }, (_, i) => ({ id: i + 1, name: 'x', args: {}, createdAt: 1 })))).toBe(false);
    expect(bad([{ id: 1, name: 'x', args: {}, createdAt: 1 }])).toBe(true);
  });

  it('refuses a gap in mutation ids and an unknown client past mutation 1, before anything runs', async () => {
    const server = createMemoryServer({ now: () => 9_000 });
    const t = makeTicket({ assigneeId: agentAnna.userId });
    server.seed({ tickets: [t] });
    const m = (id: number, status: string) => ({ id, name: 'updateTicket', args: { ticketId: t.id, changes: { status } }, createdAt: 1 });
    await expect(server.push(agentAnna, { clientId, mutations: [m(3, 'pending')] })).rejects.toMatchObject({ code: 'client-reset' });
    await server.push(agentAnna, { clientId, mutations: [m(1, 'pending')] });
    const gap = server.push(agentAnna, { clientId, mutations: [m(2, 'solved'), m(4, 'open')] });
    await expect(gap).rejects.toBeInstanceOf(SyncRefusalError);
    await expect(gap).rejects.toMatchObject({ code: 'mutation-gap' });
    expect(server.ticket(t.id)?.status).toBe('pending');
    expect(server.lastMutationId(clientId)).toBe(1);
  });
});
