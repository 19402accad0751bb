import { MutationError, runMutator, type TicketPatch, type TicketTx } from '../../../core/tickets/mutators';
import type { Comment, Customer, Ticket } from '../../../core/tickets/model';
import { canRead, type Actor } from '../../../core/tickets/scope';
import { SyncRefusalError, type PullRequest, type PullResponse, type PushRequest, type PushResponse, type PushResult } from '../../../core/sync/wire';

/**
 * An in-memory sync server: the executable spec of what server/ must do for push and pull, used by the
 * client tests. Every rule that matters is here in small: one "transaction" per mutation that both
 * applies it and advances the client's last mutation id; permanent failures roll back their writes,
 * are stored with their reason, and still advance the id; replays return the stored result; a gap in
 * ids is refused (mutation-gap) and an unknown client must start at 1 (client-reset), before anything
 * runs; pull pages through a global change sequence filtered by the user's read scope.
 */
export type MemoryServer = {
  push(actor: Actor, req: PushRequest): Promise<PushResponse>;
  pull(actor: Actor, req: PullRequest): PullResponse;
  /** Test seam: write rows as if another system (or another agent) did, bumping the change sequence. */
  seed(rows: { tickets?: Ticket[]; customers?: Customer[]; comments?: Comment[] }): void;
  ticket(id: string): Ticket | undefined;
  comments(ticketId: string): Comment[];
  lastMutationId(clientId: string): number;
  /** How many times each (clientId, mutationId) ran its mutator to completion: exactly-once means 1. */
  applications(clientId: string): Map<number, number>;
  /** Called after every committed change, as the real server's poke fan-out is. */
  onChange(listener: () => void): () => void;
  /** Test seam: the server loses this client, as a restore from a backup would (its next push is refused). */
  forgetClient(clientId: string): void;
};

type Versioned<T> = { row: T; seq: number };
type ClientRecord = { userId: string; lastMutationId: number; failures: Map<number, PushResult['error']>; applied: Map<number, number> };

export class ForbiddenClientError extends Error {
  override readonly name = 'ForbiddenClientError';
}

export function createMemoryServer(opts: { now: () => number; pageSize?: number }): MemoryServer {
  const pageSize = opts.pageSize ?? 1000;
  let seq = 0;
  let nextNumber = 1;
  const tickets = new Map<string, Versioned<Ticket>>();
  const customers = new Map<string, Versioned<Customer>>();
  const comments = new Map<string, Versioned<Comment>>();
  const clients = new Map<string, ClientRecord>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());

  function clientFor(actor: Actor, clientId: string, firstMutationId?: number): ClientRecord {
    let c = clients.get(clientId);
    if (!c && firstMutationId !== undefined && firstMutationId !== 1) {
      throw new SyncRefusalError('client-reset', `unknown client ${clientId} starting at mutation ${firstMutationId}`);
    }
    if (!c) clients.set(clientId, (c = { userId: actor.userId, lastMutationId: 0, failures: new Map(), applied: new Map() }));
    // A client id belongs to one user: another user's session may not advance or read its bookkeeping.
    if (c.userId !== actor.userId) throw new ForbiddenClientError(`client ${clientId} belongs to another user`);
    return c;
  }

  /** Buffers writes so a failing mutator leaves no trace (the SQL server uses a savepoint). */
  function transaction(actor: Actor) {
    const tWrites = new Map<string, Ticket>();
    const cWrites = new Map<string, Comment>();
    let numbers = 0;
    const tx: TicketTx = {
      actor,
      now: opts.now,
      getTicket: async (id) => tWrites.get(id) ?? tickets.get(id)?.row ?? null,
      insertTicket: async (t) => {
        // As the SQL server: a customer is in scope through a ticket of one of the actor's teams.
        const inScope = (c: string) => [...tickets.values()].some(({ row }) => row.customerId === c && row.teamId !== null && actor.teamIds.includes(row.teamId));
        if (t.customerId !== null && actor.role !== 'admin' && !inScope(t.customerId)) throw new MutationError('not-found', `customer ${t.customerId} not found`);
        tWrites.set(t.id, t);
      },
      patchTicket: async (id, patch: TicketPatch) => {
        const current = tWrites.get(id) ?? tickets.get(id)?.row;
        if (!current) throw new MutationError('not-found', `ticket ${id} not found`);
        tWrites.set(id, { ...current, ...patch });
      },
      getComment: async (id) => cWrites.get(id) ?? comments.get(id)?.row ?? null,
      insertComment: async (c) => void cWrites.set(c.id, c),
      allocateTicketNumber: async () => nextNumber + numbers++,
    };
    const commit = () => {
      nextNumber += numbers;
      for (const t of tWrites.values()) {
        const version = (tickets.get(t.id)?.row.version ?? 0) + 1;
        tickets.set(t.id, { row: { ...t, version }, seq: ++seq });
      }
      for (const c of cWrites.values()) comments.set(c.id, { row: c, seq: ++seq });
    };
    return { tx, commit };
  }

  return {
    async push(actor, req) {
      const client = clientFor(actor, req.clientId, req.mutations[0]!.id);
      const fresh = req.mutations.filter((m) => m.id > client.lastMutationId);
      fresh.forEach((m, i) => {
        if (m.id !== client.lastMutationId + 1 + i) throw new SyncRefusalError('mutation-gap', `mutation ${m.id} does not follow ${client.lastMutationId + i}`);
      });
      const results: PushResult[] = [];
      for (const m of req.mutations) {
        if (m.id <= client.lastMutationId) {
          const error = client.failures.get(m.id);
          results.push(error ? { id: m.id, status: 'failed', error } : { id: m.id, status: 'applied' });
          continue;
        }
        const { tx, commit } = transaction(actor);
        try {
          const { conflicts } = await runMutator(tx, m.name, m.args);
          commit();
          client.applied.set(m.id, (client.applied.get(m.id) ?? 0) + 1);
          results.push(conflicts.length > 0 ? { id: m.id, status: 'applied', conflicts } : { id: m.id, status: 'applied' });
        } catch (err) {
          // Only a MutationError is permanent; anything else aborts the request and the client retries.
          if (!(err instanceof MutationError)) throw err;
          const error = { code: err.code, message: err.message };
          client.failures.set(m.id, error);
          results.push({ id: m.id, status: 'failed', error });
        }
        client.lastMutationId = m.id;
      }
      if (results.length > 0) changed();
      return { results, lastMutationId: client.lastMutationId };
    },

    pull(actor, req) {
      const client = clientFor(actor, req.clientId);
      const after = req.cursor === null ? 0 : Number(req.cursor);
      type Change = { seq: number; apply: (r: PullResponse) => void };
      const changes: Change[] = [];
      const visible = new Set<string>();
      for (const { row } of tickets.values()) if (canRead(actor, row)) visible.add(row.id);
      for (const { row, seq: s } of tickets.values()) {
        if (s <= after) continue;
        if (visible.has(row.id)) changes.push({ seq: s, apply: (r) => r.tickets.push(row) });
        else if (req.cursor !== null) changes.push({ seq: s, apply: (r) => r.removed.push(row.id) });
      }
      for (const { row, seq: s } of comments.values()) {
        if (s > after && visible.has(row.ticketId)) changes.push({ seq: s, apply: (r) => r.comments.push(row) });
      }
      const referenced = new Set([...tickets.values()].filter((t) => visible.has(t.row.id)).map((t) => t.row.customerId));
      for (const { row, seq: s } of customers.values()) {
        if (s > after && referenced.has(row.id)) changes.push({ seq: s, apply: (r) => r.customers.push(row) });
      }
      changes.sort((a, b) => a.seq - b.seq);
      const page = changes.slice(0, pageSize);
      const more = changes.length > pageSize;
      const res: PullResponse = {
        cursor: String(more ? page[page.length - 1]!.seq : seq),
        lastMutationId: client.lastMutationId,
        tickets: [],
        customers: [],
        comments: [],
        removed: [],
        more,
      };
      if (req.cursor === null) res.estimatedTotal = changes.length;
      for (const c of page) c.apply(res);
      // A page carries the customers its tickets reference, so the client can index a ticket under its
      // customer's name as it stores it, instead of re-deriving thousands of tickets when they come later.
      const sent = new Set(res.customers.map((c) => c.id));
      for (const t of res.tickets) {
        const customer = t.customerId === null ? undefined : customers.get(t.customerId)?.row;
        if (customer && !sent.has(customer.id)) {
          sent.add(customer.id);
          res.customers.push(customer);
        }
      }
      return res;
    },

    seed(rows) {
      for (const t of rows.tickets ?? []) tickets.set(t.id, { row: t, seq: ++seq });
      for (const c of rows.customers ?? []) customers.set(c.id, { row: c, seq: ++seq });
      for (const c of rows.comments ?? []) comments.set(c.id, { row: c, seq: ++seq });
      for (const t of rows.tickets ?? []) if (t.number !== null && t.number >= nextNumber) nextNumber = t.number + 1;
      changed();
    },
    ticket: (id) => tickets.get(id)?.row,
    comments: (ticketId) => [...comments.values()].map((c) => c.row).filter((c) => c.ticketId === ticketId).sort((a, b) => a.createdAt - b.createdAt),
    lastMutationId: (clientId) => clients.get(clientId)?.lastMutationId ?? 0,
    forgetClient: (clientId) => void clients.delete(clientId),
    applications: (clientId) => new Map(clients.get(clientId)?.applied ?? []),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
