import { z } from 'zod';
import { Comment, Customer, Id, Ticket, Timestamp, editableFields, limits } from '../tickets/model';
import { illFormedTextPath, maxJsonDepth, nestsDeeperThan } from './jsonShape';

/**
 * Sync wire contract (Replicache model). Routes, all authenticated with the access token:
 *
 *   POST /sync/push   PushRequest  → PushResponse   apply mutations, in order, each exactly once
 *   POST /sync/pull   PullRequest  → PullResponse   changes in the user's scope since the cursor
 *   GET  /sync/poke   WebSocket; server → client `Poke` when something in the user's scope changed
 *
 * Push: mutation ids of a client are consecutive from 1 (1, 2, 3 …, no gaps, never reused). For each
 * mutation with id > the client's last mutation id, the server runs the core mutator and stores the new
 * last id in the SAME transaction. A MutationError (or args that fail the mutator's schema) is a permanent
 * failure: its writes are rolled back (savepoint), the failure is stored with its reason, the id still
 * advances. A replayed id (≤ last) is not run again: its stored result is returned. Anything else
 * (database down) fails the whole request with 5xx and the client retries later. An envelope that fails
 * `PushRequest` is refused with 400 and the `ApiError` body.
 *
 * Why no gaps: a gap means mutations the client believes sent never reached the server (or the server
 * lost them in a restore); applying later ones on top would break "each mutation in order, exactly once".
 * The client numbers its outbox consecutively, so a gap never comes from a healthy client.
 *
 * Refusals of the whole request (HTTP 409, `ApiError` with one of `SyncRefusalCode`), and what the client does:
 *   mutation-gap   the first new id is not last + 1. The server lost mutations it had confirmed (backup
 *                  restore): the client continues as a new client (as for client-reset).
 *   client-reset   an unknown client whose first mutation is not 1, or a client silent for over 30 days
 *                  (retired). The client mints a new client id, renumbers its pending mutations from 1
 *                  (same order) and resends. A retired client's replayed ids are still answered first, so a
 *                  mutation applied before the silence is never renumbered and applied twice.
 *   cursor-reset   (pull) the user's role or teams changed, so the cursor's scope no longer holds: the client
 *                  drops its cached tickets, comments and customers and pulls from a null cursor; the outbox
 *                  is kept and replayed on top.
 *
 * Pull: `cursor` is opaque to the client (the server's change sequence). A page holds rows changed
 * after the cursor, in change order; `more` says another page follows (first sync of 100k tickets).
 * `removed` lists tickets changed since the cursor that are no longer in the user's scope.
 *
 * Poke socket: browsers cannot set headers on a WebSocket, so the client's first message is `SocketAuth`
 * (within 5 s); the server answers `SocketReady`, then sends `Poke` whenever something in scope changed.
 * Close codes in `pokeCloseCodes`: 4401 bad or expired token (refresh it, then reconnect), 4408 no auth
 * message in time.
 */
export const syncRoutes = { push: '/sync/push', pull: '/sync/pull', poke: '/sync/poke' } as const;

export const ClientId = z.uuid();

export const PushMutation = z.object({
  /** Per-client mutation id: consecutive from 1 across requests (the server refuses a gap with 409 mutation-gap). */
  id: z.number().int().positive(),
  name: z.string().min(1).max(64),
  args: z.record(z.string(), z.unknown()).superRefine((args, ctx) => {
    // Depth first: the size check below is JSON.stringify, which recurses (jsonShape.ts).
    if (nestsDeeperThan(args)) {
      ctx.addIssue({ code: 'custom', message: `mutation args nest deeper than ${maxJsonDepth} levels` });
      return;
    }
    if (JSON.stringify(args).length > limits.argsJson) ctx.addIssue({ code: 'custom', message: `mutation args are larger than ${limits.argsJson} bytes` });
    const bad = illFormedTextPath(args);
    if (bad) ctx.addIssue({ code: 'custom', path: bad, message: 'text has an unpaired UTF-16 surrogate (not valid Unicode); it cannot be stored as sent' });
  }),
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
    // Strictly increasing here; a gap (within the batch or after the last id) is the server's 409 mutation-gap.
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

/**
 * A small change delivered with its poke: exactly the pull page the client would fetch from `base`, its
 * cursor at the time of the last pull the server saw. The client applies it only if its own cursor is
 * still `base` and no sync cycle is running; otherwise it pulls as for a plain poke. It saves the
 * round trip that dominates "agent A's change appears in agent B's list".
 */
export const PokeDelta = z.object({ base: z.string().max(200), page: PullResponse });
export type PokeDelta = z.infer<typeof PokeDelta>;

/** Server → client over the poke socket: pull now (or apply `delta`). A lost poke costs only latency. */
export const Poke = z.object({ type: z.literal('poke'), version: z.number().int().nonnegative().optional(), delta: PokeDelta.optional() });
export type Poke = z.infer<typeof Poke>;

/** Deltas above this size go as a plain poke (the client pulls them in pages). */
export const maxPokeDeltaBytes = 64 * 1024;

/** Client → server, the first message on the poke socket: the access token (no headers on a browser WebSocket). */
export const SocketAuth = z.object({ type: z.literal('auth'), token: z.string().min(10).max(4096), clientId: z.uuid().optional() });
export type SocketAuth = z.infer<typeof SocketAuth>;

/** Server → client once the socket is authenticated: from now on pokes are delivered. */
export const SocketReady = z.object({ type: z.literal('ready') });

export const pokeCloseCodes = {
  /** The first message was not a valid `SocketAuth` of a live session. */
  unauthorized: 4401,
  /** No auth message within the deadline. */
  authTimeout: 4408,
  /** A message the server does not understand. */
  badMessage: 4400,
  /** No pong to the last heartbeat ping: the peer is gone (sleeping laptop, dead Wi-Fi). */
  heartbeat: 4000,
} as const;

/** Whole-request refusals (HTTP 409); see the contract above for what the client does with each. */
export const SyncRefusalCode = z.enum(['client-reset', 'mutation-gap', 'cursor-reset']);
export type SyncRefusalCode = z.infer<typeof SyncRefusalCode>;

/** The refusal code carried by an error from the transport (an API error with `code`), or null. */
export function syncRefusalOf(err: unknown): SyncRefusalCode | null {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  const parsed = SyncRefusalCode.safeParse(code);
  return parsed.success ? parsed.data : null;
}

/** The in-memory spec server's refusal, shaped like the HTTP client's error (it has `code`). */
export class SyncRefusalError extends Error {
  override readonly name = 'SyncRefusalError';
  constructor(
    readonly code: SyncRefusalCode,
    message: string,
  ) {
    super(message);
  }
}
