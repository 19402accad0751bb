import { describe, expect, it } from 'vitest';
import type { Comment, Ticket } from './model';
import { MutationError, runMutator, type TicketTx } from './mutators';
import type { Actor } from './scope';
import { agentAnna, agentBo, leadLi, makeTicket, outsider } from '../../tests/support/core/ticketFixtures';

function memoryTx(actor: Actor, tickets: Ticket[] = [], now = 5_000) {
  const t = new Map(tickets.map((x) => [x.id, x]));
  const c = new Map<string, Comment>();
  const patches: Array<{ id: string; patch: object }> = [];
  const tx: TicketTx = {
    actor,
    now: () => now,
    getTicket: async (id) => t.get(id) ?? null,
    insertTicket: async (x) => void t.set(x.id, x),
    patchTicket: async (id, patch) => {
      patches.push({ id, patch });
      t.set(id, { ...t.get(id)!, ...patch });
    },
    getComment: async (id) => c.get(id) ?? null,
    insertComment: async (x) => void c.set(x.id, x),
    allocateTicketNumber: async () => 77,
  };
  return { tx, tickets: t, comments: c, patches };
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof MutationError ? e.code : e),
  );

describe('updateTicket', () => {
  it('writes only the changed fields and bumps updatedAt', async () => {
    const ticket = makeTicket({ assigneeId: agentAnna.userId, status: 'open', priority: 'normal' });
    const { tx, tickets, patches } = memoryTx(agentAnna, [ticket]);
    const out = await runMutator(tx, 'updateTicket', { ticketId: ticket.id, changes: { status: 'pending', priority: 'normal' }, base: { status: 'open' } });
    expect(out.conflicts).toEqual([]);
    expect(patches).toEqual([{ id: ticket.id, patch: { status: 'pending', updatedAt: 5_000 } }]);
    expect(tickets.get(ticket.id)?.status).toBe('pending');
  });

  it('reports a conflict when the field changed since the agent saw it, and still writes (last writer wins)', async () => {
    const ticket = makeTicket({ assigneeId: agentAnna.userId, priority: 'high' });
    const { tx, tickets } = memoryTx(agentAnna, [ticket]);
    const out = await runMutator(tx, 'updateTicket', { ticketId: ticket.id, changes: { priority: 'urgent' }, base: { priority: 'normal' } });
    expect(out.conflicts).toEqual([{ ticketId: ticket.id, field: 'priority', mine: 'urgent', theirs: 'high' }]);
    expect(tickets.get(ticket.id)?.priority).toBe('urgent');
  });

  it('enforces scope: agents edit their own tickets and the team queue, leads the whole team', async () => {
    const colleagues = makeTicket({ assigneeId: agentBo.userId });
    const queue = makeTicket({ assigneeId: null });
    const change = (t: Ticket) => ({ ticketId: t.id, changes: { status: 'pending' } });
    expect(await rejection(runMutator(memoryTx(agentAnna, [colleagues]).tx, 'updateTicket', change(colleagues)))).toBe('forbidden');
    expect(await rejection(runMutator(memoryTx(agentAnna, [queue]).tx, 'updateTicket', change(queue)))).toBeNull();
    expect(await rejection(runMutator(memoryTx(leadLi, [colleagues]).tx, 'updateTicket', change(colleagues)))).toBeNull();
    expect(await rejection(runMutator(memoryTx(outsider, [queue]).tx, 'updateTicket', change(queue)))).toBe('not-found');
  });

  it('lets an agent take a queue ticket but not hand it to a colleague', async () => {
    const queue = makeTicket({ assigneeId: null });
    expect(await rejection(runMutator(memoryTx(agentAnna, [queue]).tx, 'updateTicket', { ticketId: queue.id, changes: { assigneeId: agentAnna.userId } }))).toBeNull();
    expect(await rejection(runMutator(memoryTx(agentAnna, [queue]).tx, 'updateTicket', { ticketId: queue.id, changes: { assigneeId: agentBo.userId } }))).toBe('forbidden');
  });

  it('refuses oversized or malformed changes with a clear message', async () => {
    const ticket = makeTicket({ assigneeId: agentAnna.userId });
    const { tx } = memoryTx(agentAnna, [ticket]);
    await expect(runMutator(tx, 'updateTicket', { ticketId: ticket.id, changes: { subject: 'x'.repeat(301) } })).rejects.toThrow(/subject is longer than 300/);
    await expect(runMutator(tx, 'updateTicket', { ticketId: ticket.id, changes: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } })).rejects.toThrow(/more than 20 tags/);
    await expect(runMutator(tx, 'updateTicket', { ticketId: ticket.id, changes: { version: 9 } })).rejects.toThrow(MutationError);
    await expect(runMutator(tx, 'updateTicket', { ticketId: ticket.id, changes: {} })).rejects.toThrow(/no changes/);
    await expect(runMutator(tx, 'dropTable', {})).rejects.toThrow(/unknown mutation dropTable/);
  });

  it('treats a closed ticket as a conflict', async () => {
    const ticket = makeTicket({ assigneeId: agentAnna.userId, status: 'closed' });
    expect(await rejection(runMutator(memoryTx(agentAnna, [ticket]).tx, 'updateTicket', { ticketId: ticket.id, changes: { status: 'open' } }))).toBe('conflict');
  });
});

describe('addComment', () => {
  const commentId = '9b2f4f4e-6a43-4d0e-9a51-5d5c7c1d2e3f';
  it('appends a comment once; the same comment again is a no-op, a reused id with other content a conflict', async () => {
    const ticket = makeTicket({ assigneeId: agentAnna.userId });
    const { tx, comments, tickets } = memoryTx(agentAnna, [ticket]);
    const args = { commentId, ticketId: ticket.id, kind: 'internal', body: '客户要求退款' };
    await runMutator(tx, 'addComment', args);
    await runMutator(tx, 'addComment', args);
    expect([...comments.values()]).toEqual([{ id: commentId, ticketId: ticket.id, authorId: agentAnna.userId, kind: 'internal', body: '客户要求退款', createdAt: 5_000 }]);
    expect(tickets.get(ticket.id)?.updatedAt).toBe(5_000);
    expect(await rejection(runMutator(tx, 'addComment', { ...args, body: 'other' }))).toBe('conflict');
  });

  it('refuses an empty or 20k+ body', async () => {
    const ticket = makeTicket({ assigneeId: agentAnna.userId });
    const { tx } = memoryTx(agentAnna, [ticket]);
    await expect(runMutator(tx, 'addComment', { commentId, ticketId: ticket.id, kind: 'public', body: '  ' })).rejects.toThrow(/comment is empty/);
    await expect(runMutator(tx, 'addComment', { commentId, ticketId: ticket.id, kind: 'public', body: 'x'.repeat(20_001) })).rejects.toThrow(/longer than 20000/);
  });
});

describe('createTicket', () => {
  const ticketId = '3f0c0a7e-1111-4222-8333-444455556666';
  it('creates a new ticket in the team with SLA dues from its priority and the allocated number', async () => {
    const { tx, tickets } = memoryTx(agentAnna);
    await runMutator(tx, 'createTicket', { ticketId, subject: 'Refund', customerId: null, teamId: 't-billing', priority: 'urgent' });
    expect(tickets.get(ticketId)).toMatchObject({ number: 77, status: 'new', priority: 'urgent', slaFirstResponseDue: 5_000 + 3_600_000, assigneeId: null });
  });
  it('refuses a team the agent is not in and a reused id', async () => {
    expect(await rejection(runMutator(memoryTx(agentAnna).tx, 'createTicket', { ticketId, subject: 'x', customerId: null, teamId: 't-tech' }))).toBe('forbidden');
    const { tx } = memoryTx(agentAnna, [makeTicket({ id: ticketId })]);
    expect(await rejection(runMutator(tx, 'createTicket', { ticketId, subject: 'x', customerId: null, teamId: 't-billing' }))).toBe('conflict');
  });
});

describe('issue 12 item 3 (team scope)', () => {
  it("issue 12 item 3 (team scope): being the assignee is not enough; the ticket's team must be the actor's", async () => {
    const elsewhere = makeTicket({ teamId: 't-tech', assigneeId: agentAnna.userId });
    const mine = () => memoryTx(agentAnna, [elsewhere]).tx;
    expect(await rejection(runMutator(mine(), 'updateTicket', { ticketId: elsewhere.id, changes: { status: 'solved' } }))).toBe('forbidden');
    expect(await rejection(runMutator(mine(), 'addComment', { commentId: '00000000-0000-4000-8000-0000000000aa', ticketId: elsewhere.id, kind: 'public', body: 'x' }))).toBe('forbidden');
    const create = (teamId: string, assigneeId: string | null) => ({ ticketId: '00000000-0000-4000-8000-0000000000ab', subject: 'S', customerId: null, teamId, assigneeId });
    expect(await rejection(runMutator(mine(), 'createTicket', create('t-tech', agentAnna.userId)))).toBe('forbidden');
    expect(await rejection(runMutator(memoryTx(leadLi).tx, 'createTicket', create('t-tech', leadLi.userId)))).toBe('forbidden');
    expect(await rejection(runMutator(mine(), 'createTicket', create('t-billing', agentAnna.userId)))).toBeNull();
  });
});
