import { z } from 'zod';
import { Comment, Customer, Id, Ticket, Timestamp, editableFields, limits } from '../tickets/model';

/**
 * Sync wire contract (Replicache model). Routes, all authenticated with the access token:
 *
 *   POST /sync/push   PushRequest  → PushResponse   apply mutations, in order, each exactly once
 *   POST /sync/pull   PullRequest  → PullResponse   changes in the user's scope since the cursor
 *   GET  /sync/poke   WebSocket; server → client `Poke` when something in the user's scope changed
 *
 * Push: for each mutation with id > the client's last mutation id, the server runs the core mutator
 * and stores the new last id in the SAME transaction. A MutationError (or args that fail the mutator's
 * schema) is a permanent failure: its writes are rolled back (savepoint), the failure is stored with its
 * reason, the id still advances. A replayed id (≤ last) is not run again: its stored result is returned.
 * Anything else (database down) fails the whole request with 5xx and the client retries later.
 * An envelope that fails `PushRequest` is refused with 400 and the `ApiError` body.
 *
 * Pull: `cursor` is opaque to the client (the server's change sequence). A page holds rows changed
 * after the cursor, in change order; `more` says another page follows (first sync of 100k tickets).
 * `removed` lists tickets changed since the cursor that are no longer in the user's scope.
 */
export const syncRoutes = { push: '/sync/push', pull: '/sync/pull', poke: '/sync/poke' } as const;

export const ClientId = z.uuid();

export const PushMutation = z.object({
  /** Per-client mutation id: positive, strictly increasing within a request and across requests (gaps allowed). */
  id: z.number().int().positive(),
  name: z.string().min(1).max(64),
  args: z
    .record(z.string(), z.unknown())
    .refine((args) => JSON.stringify(args).length <= limits.argsJson, `mutation args are larger than ${limits.argsJson} bytes`),
  createdAt: Timestamp,
});
export type PushMutation = z.infer<typeof PushMutation>;

export const PushRequest = z.object({
  clientGroupId: z.string().max(64).optional(),
  clientId: ClientId,
  mutations: z
    .array(PushMutation)
    .min(1)
    .max(limits.mutationsPerPush, `more than ${limits.mutationsPerPush} mutations in one push`)
    .refine((ms) => ms.every((m, i) => i === 0 || m.id > ms[i - 1]!.id), 'mutation ids must be strictly increasing'),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const MutationErrorCode = z.enum(['not-found', 'forbidden', 'invalid', 'conflict']);

export const FieldConflictWire = z.object({
  ticketId: Id,
  field: z.enum(editableFields),
  mine: z.unknown(),
  theirs: z.unknown(),
});

export const PushResult = z.object({
  id: z.number().int().positive(),
  status: z.enum(['applied', 'failed']),
  error: z.object({ code: MutationErrorCode, message: z.string().max(1000) }).optional(),
  /** Fields this mutation overwrote although the agent had seen another value (notice, not failure). */
  conflicts: z.array(FieldConflictWire).optional(),
});
export type PushResult = z.infer<typeof PushResult>;

export const PushResponse = z.object({
  /** One per processed mutation, in order; mutations after a missing result were not processed yet. */
  results: z.array(PushResult),
  lastMutationId: z.number().int().nonnegative(),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const PullRequest = z.object({
  clientId: ClientId,
  cursor: z.string().max(200).nullable(),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullResponse = z.object({
  cursor: z.string().max(200),
  /** The last mutation id of this client that the returned state already includes. */
  lastMutationId: z.number().int().nonnegative(),
  tickets: z.array(Ticket),
  /** Customers changed since the cursor in scope, plus every customer this page's tickets reference. */
  customers: z.array(Customer),
  comments: z.array(Comment),
  removed: z.array(Id),
  more: z.boolean(),
  /** On a first sync (cursor null): about how many rows will come in all, for a progress bar. */
  estimatedTotal: z.number().int().nonnegative().optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Server → client over the poke socket: pull now. Carries no data, so a lost poke costs only latency. */
export const Poke = z.object({ type: z.literal('poke') });
export type Poke = z.infer<typeof Poke>;
