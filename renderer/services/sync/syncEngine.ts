import { createBackoff } from '../../../core/backoff';
import { mutationTicketId, type FieldConflict, type MutatorArgs, type MutatorName } from '../../../core/tickets/mutators';
import type { Actor } from '../../../core/tickets/scope';
import { limits } from '../../../core/tickets/model';
import { PullResponse, PushResponse, syncRefusalOf, type PokeDelta, type PullRequest, type PushMutation, type PushRequest, type SyncRefusalCode } from '../../../core/sync/wire';
import type { CacheDb } from '../db/cacheDb';
import { createCacheWriter } from '../db/cacheWriter';
import { createOutboxRepo, type PendingMutation } from '../db/outboxRepo';
import type { OutboxDb } from '../db/outboxDb';
import { createOverlay } from '../db/overlay';
import { isCacheLostError, requestPersistentStorage, type PersistenceResult } from '../db/storage';
import { createOutboxDrainer, type OutboxDrainer, type OutboxLane } from '../outbox/outboxDrainer';

/**
 * The client half of Replicache-style sync.
 *
 *   mutate ──► mutator dry run on the cache (refusals throw, nothing stored)
 *          ──► outbox append (strict durability: from here on a crash cannot lose it)
 *          ──► optimistic cache write (if a crash skips it, the next rebase replays the outbox)
 *          ──► sync cycle
 *
 *   sync cycle:  push pending (batches ≤ 500, in id order) ─► pull pages until !more ─► rebase
 *       │ the cycle is the `ticket-sync` lane of the user's one outbox drainer (services/outbox/outboxDrainer.ts):
 *       │ one cycle at a time, a kick during one runs one more after
 *       │ failure: status offline, retry after the drainer's full-jitter backoff; `online`, focus and resume
 *       │ nudge the drainer (retry now)
 *       │ cache lost (quota, DataLoss, closed): rebuild the cache DB, full pull, replay the outbox
 *       │ 409 client-reset / mutation-gap: new client id, pending renumbered 1…n, cycle again
 *       │ 409 cursor-reset (role or teams changed): rebuild the cache DB, full pull, replay the outbox
 *       │ (each recovery at most once per run of rounds; a second one in the same run waits for backoff)
 *
 *   poke socket: open ─► poke ─► cycle; close ─► reconnect after backoff; (re)open ─► cycle (resume from cursor)
 *                poke with a delta from our exact cursor, no cycle running ─► apply it as a pull page, no round trip
 *
 * See db/cacheWriter.ts for how pulled state and pending mutations combine (shadows + replay).
 */

/** `onClose('unauthorized')`: the server ended the socket's authentication (4401: token expired, session ended). */
export type PokeHandlers = { onOpen(): void; onPoke(delta?: PokeDelta): void; onClose(reason?: 'unauthorized'): void };
export type SyncTransport = {
  push(req: PushRequest): Promise<unknown>;
  pull(req: PullRequest): Promise<unknown>;
  /** Opens the poke WebSocket; calls onClose once when it closes or fails to open. */
  openPokeSocket(handlers: PokeHandlers): { close(): void };
};
/** Time, injected so tests control it. setTimeout returns a cancel function. */
export type Clock = { now(): number; setTimeout(fn: () => void, ms: number): () => void };

export type SyncPhase = 'offline' | 'syncing' | 'online';
export type SyncEngineState = {
  status: SyncPhase;
  pendingCount: number;
  lastSyncedAt: number | null;
  /** Non-null while the cache is filled from scratch (first run, or after healing). */
  firstSync: { received: number; estimatedTotal: number | null } | null;
  lastError: string | null;
  nextRetryAt: number | null;
  /** Mutations the server refused for good and the agent has not dismissed (their tickets may be gone). */
  failedCount: number;
  persistence: PersistenceResult | null;
};

export type SyncEngineDeps = {
  cacheDb: CacheDb;
  outboxDb: OutboxDb;
  transport: SyncTransport;
  actor: Actor;
  /**
   * Who the user is now (role, teams), asked after a cursor-reset: the server refuses the cursor because
   * they changed, and rebasing with the old actor would let local mutators allow or refuse by stale scope.
   */
  refreshActor?: () => Promise<Actor>;
  clock: Clock;
  random: () => number;
  /** Mints the client id on first run (crypto.randomUUID in the app). */
  newClientId: () => string;
  storage?: Pick<StorageManager, 'persist' | 'persisted'>;
  /** The poke socket's reconnect backoff; and the retry backoff of the engine's own drainer (when no `drainer`). */
  backoff?: { baseMs: number; maxMs: number };
  /**
   * The user session's outbox drainer: the sync cycle is its `ticket-sync` lane and retries on its backoff.
   * Without one (tests) the engine makes its own, on `clock` and `backoff`.
   */
  drainer?: OutboxDrainer;
  /** Voice first (services/sync/voiceFirst.ts): a first sync's next page waits while a call is live. */
  whileOnCall?: () => Promise<void>;
  log?: (line: string) => void;
};

/** The sync cycle's lane on the outbox drainer. */
export const ticketSyncLane = 'ticket-sync';

/** Push batches stay well under the server's body limit even with 20k-character comments. */
const maxPushBytes = 1_000_000;

export function createSyncEngine(deps: SyncEngineDeps) {
  const { cacheDb, transport, clock } = deps;
  let actor = deps.actor;
  const outbox = createOutboxRepo(deps.outboxDb);
  const writer = createCacheWriter(cacheDb);
  const log = deps.log ?? ((line: string) => console.warn(line));
  const backoffOpts = { ...(deps.backoff ?? { baseMs: 1_000, maxMs: 60_000 }), random: deps.random };
  const socketBackoff = createBackoff(backoffOpts);
  const ownDrainer = () => createOutboxDrainer({ setTimeout: clock.setTimeout, now: clock.now, log, backoff: createBackoff(backoffOpts) });
  let drainer: OutboxDrainer | null = deps.drainer ?? null;

  let state: SyncEngineState = { status: 'offline', pendingCount: 0, lastSyncedAt: null, firstSync: null, lastError: null, nextRetryAt: null, failedCount: 0, persistence: null };
  const listeners = new Set<(s: SyncEngineState) => void>();
  const setState = (patch: Partial<SyncEngineState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };

  /** Cache writes (mutate, pull, heal) run one at a time, so reads outside transactions stay consistent. */
  let lock: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  let clientId: Promise<string> | null = null;
  /** The same id once known, for the poke socket's auth: the server then spares this client its own pokes. */
  let knownClientId: string | undefined;
  const getClientId = () => (clientId ??= outbox.clientId(deps.newClientId).then((id) => (knownClientId = id)));

  let started = false;
  /** True while a cycle (push, pull) runs: a poke's delta must not land between its pull and its write. */
  let cycling = false;
  let cancelReconnect: (() => void) | null = null;
  let socket: { close(): void } | null = null;

  const refreshPending = async () => setState({ pendingCount: await outbox.countPending(), failedCount: await outbox.countFailed() });

  async function pushAll(): Promise<void> {
    const id = await getClientId();
    // Halved on each refused batch until the mutation the server will not take is alone (see below).
    let cap: number = limits.mutationsPerPush;
    for (;;) {
      const pending = await outbox.listPending(cap);
      const batch = takeWithinBytes(pending);
      if (batch.length === 0) return;
      let raw: unknown;
      try {
        raw = await transport.push({ clientId: id, mutations: batch });
      } catch (err) {
        const refusal = batchRefusalOf(err);
        if (refusal === null) throw err;
        // A 400/413 refuses the whole request, so one mutation (a name this server does not know, from an
        // older or newer client; args over its limit) would block the outbox for good. Bisect to it, fail it
        // alone with the server's reason, and let the rest flow.
        if (batch.length > 1) {
          cap = Math.ceil(batch.length / 2);
          continue;
        }
        const row = pending[0]!;
        log(`[sync] ${row.ticketId ?? '-'}: mutation ${row.mutationId} (${row.name}) refused by the server: ${refusal.message}`);
        await outbox.refuseUnsent(row.id, refusal);
        await refreshPending();
        cap = limits.mutationsPerPush;
        continue;
      }
      const res = PushResponse.parse(raw);
      const byId = new Map(pending.map((m) => [m.mutationId, m]));
      const conflicts: FieldConflict[] = [];
      const applied: number[] = [];
      let settled = 0;
      for (const r of res.results) {
        const row = byId.get(r.id);
        if (!row) continue;
        settled += 1;
        if (r.status === 'applied') applied.push(row.id);
        else {
          const error = r.error ?? { code: 'invalid', message: 'refused by the server' };
          log(`[sync] ${row.ticketId ?? '-'}: mutation ${r.id} (${row.name}) refused: ${error.code}: ${error.message}`);
          await outbox.markFailed(row.id, error);
        }
        for (const c of r.conflicts ?? []) conflicts.push({ ticketId: c.ticketId, field: c.field, mine: c.mine, theirs: c.theirs });
      }
      await outbox.confirm(applied);
      await serial(async () => {
        await writer.recordConflicts(conflicts, clock.now());
        await writer.setLastMutationId(res.lastMutationId);
      });
      await refreshPending();
      // No progress (a server that answered for none of them): stop here rather than spin; retry next cycle.
      if (settled === 0) return;
    }
  }

  async function pullAll(): Promise<void> {
    const id = await getClientId();
    let { cursor } = await writer.readMeta();
    if (cursor === null) setState({ firstSync: { received: 0, estimatedTotal: null } });
    for (;;) {
      const page = PullResponse.parse(await transport.pull({ clientId: id, cursor }));
      await serial(async () => {
        const replay = page.more ? [] : (await outbox.listPending()).filter((m) => m.mutationId > page.lastMutationId).map((m) => ({ ...m, id: m.mutationId }));
        const { failures } = await writer.applyPull(page, replay, actor, clock.now);
        for (const f of failures) log(`[sync] mutation ${f.id} has no local effect after rebase: ${String(f.error)}`);
      });
      if (state.firstSync) {
        const received = state.firstSync.received + page.tickets.length;
        setState({ firstSync: { received, estimatedTotal: page.estimatedTotal ?? state.firstSync.estimatedTotal } });
      }
      cursor = page.cursor;
      if (!page.more) break;
      // Only the bulk first sync yields to a call; a routine pull is a page or two of changes.
      if (state.firstSync) await deps.whileOnCall?.();
    }
    setState({ firstSync: null });
  }

  /**
   * A poke's delta is the page our next pull would return, so it is applied like one, but only when
   * nothing can interleave: our cursor is still its base, no cycle is running (a pull started before the
   * change committed could land after it and write older rows), and this is not a first sync.
   */
  async function applyDelta(delta: PokeDelta): Promise<boolean> {
    if (cycling || state.firstSync || delta.page.more) return false;
    const applied = await serial(async () => {
      if (cycling) return false;
      const { cursor } = await writer.readMeta();
      if (cursor === null || cursor !== delta.base) return false;
      const replay = (await outbox.listPending()).filter((m) => m.mutationId > delta.page.lastMutationId).map((m) => ({ ...m, id: m.mutationId }));
      const { failures } = await writer.applyPull(delta.page, replay, actor, clock.now);
      for (const f of failures) log(`[sync] mutation ${f.id} has no local effect after rebase: ${String(f.error)}`);
      return true;
    });
    if (applied) setState({ status: 'online', lastSyncedAt: clock.now(), lastError: null });
    return applied;
  }

  async function heal(reason: unknown): Promise<void> {
    log(`[sync] cache lost (${reason instanceof Error ? reason.name : String(reason)}); rebuilding it from the server, outbox kept`);
    await serial(() => cacheDb.rebuild());
  }

  /** One heal per run: a cache that is lost again right away (disk still full) waits for backoff. */
  let healedThisRun = false;
  /** Likewise one recovery per refusal code per run, so a confused server cannot spin the client. */
  const recoveredThisRun = new Set<SyncRefusalCode>();

  /** Acts on a whole-request refusal (core/sync/wire.ts); false when this run already did. */
  async function recover(code: SyncRefusalCode, err: unknown): Promise<boolean> {
    if (recoveredThisRun.has(code)) return false;
    recoveredThisRun.add(code);
    const why = err instanceof Error ? err.message : String(err);
    if (code === 'cursor-reset') {
      log(`[sync] cursor-reset (${why}); refilling the cache from the server, outbox kept`);
      if (deps.refreshActor) {
        try {
          actor = await deps.refreshActor();
        } catch (err) {
          // The refill still runs; the next cursor-reset (or sign-in) brings the new scope.
          log(`[sync] cursor-reset: could not fetch the user's new role and teams: ${String(err)}`);
        }
      }
      await serial(() => cacheDb.rebuild());
      return true;
    }
    const old = await getClientId();
    const next = await outbox.startNewClient(deps.newClientId);
    clientId = Promise.resolve(next.clientId);
    knownClientId = next.clientId;
    log(`[sync] ${code} for client ${old} (${why}); continuing as ${next.clientId} with ${next.renumbered} pending mutation(s) renumbered from 1`);
    return true;
  }

  /** One cycle: `again` after a recovery (run it once more now), `retry` on failure (the drainer's backoff). */
  async function cycle(): Promise<'done' | 'again' | 'retry'> {
    setState({ status: 'syncing', nextRetryAt: null });
    try {
      await pushAll();
      await pullAll();
      setState({ status: 'online', lastSyncedAt: clock.now(), lastError: null });
      return 'done';
    } catch (caught) {
      let err = caught;
      const refusal = syncRefusalOf(err);
      if (refusal) {
        try {
          if (await recover(refusal, err)) return 'again';
        } catch (recoverErr) {
          err = recoverErr;
        }
      }
      if (isCacheLostError(err) && !healedThisRun) {
        healedThisRun = true;
        try {
          await heal(err);
          return 'again';
        } catch (healErr) {
          err = healErr;
        }
      }
      const message = err instanceof Error ? err.message : String(err);
      setState({ status: 'offline', lastError: message, firstSync: null });
      return 'retry';
    }
  }

  /** Rounds joined by `again` are one run: its recoveries count once, as above. */
  let continuingRun = false;
  const lane: OutboxLane = {
    name: ticketSyncLane,
    async drainOnce() {
      if (!started) return 'done';
      if (!continuingRun) {
        healedThisRun = false;
        recoveredThisRun.clear();
      }
      cycling = true;
      try {
        const outcome = await cycle();
        continuingRun = outcome === 'again' && started;
        return started ? outcome : 'done';
      } finally {
        cycling = false;
      }
    },
    retrying(at) {
      if (!started || state.status !== 'offline') return;
      log(`[sync] cycle failed, retry in ${Math.max(0, at - clock.now())} ms: ${state.lastError ?? ''}`);
      setState({ nextRetryAt: at });
    },
  };

  /** Runs a sync cycle now (or one more after the one running), as the drainer's `ticket-sync` lane. */
  function syncNow(): Promise<void> {
    if (!started || !drainer) return Promise.resolve();
    return drainer.drain(ticketSyncLane);
  }

  function openSocket() {
    if (!started || socket) return;
    cancelReconnect?.();
    cancelReconnect = null;
    socket = transport.openPokeSocket({
      onOpen: () => {
        socketBackoff.reset();
        void syncNow();
      },
      onPoke: (delta) => {
        void (delta ? applyDelta(delta) : Promise.resolve(false)).then(
          (applied) => {
            if (!applied) void syncNow();
          },
          (err: unknown) => {
            log(`[sync] poke delta not applied (${String(err)}); pulling instead`);
            void syncNow();
          },
        );
      },
      onClose: (reason) => {
        socket = null;
        if (!started) return;
        // The access token the socket authenticated with has ended (they live minutes): a pull renews it
        // through the API's 401 path (or finds the session lost), so the next socket has a good one.
        // Without it every reconnect would be refused until some other request happened to refresh.
        if (reason === 'unauthorized') void syncNow();
        cancelReconnect = clock.setTimeout(() => {
          cancelReconnect = null;
          openSocket();
        }, socketBackoff.next());
      },
    });
  }

  /** Network is back, window focused, machine resumed: skip the backoff wait and reconnect now. */
  function wake() {
    if (!started || !drainer) return;
    socketBackoff.reset();
    if (!socket) openSocket();
    // Every lane: what held this one up (the network) held the others too.
    void drainer.nudge();
  }

  return {
    getState: () => state,
    /** This installation's sync client id, once read from the outbox (start() reads it before the socket opens). */
    clientId: (): string | undefined => knownClientId,
    subscribe(listener: (s: SyncEngineState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /**
     * Runs a mutation optimistically and queues it for the server. Rejects with MutationError when the
     * mutation is refused locally (invalid, forbidden …): then nothing is queued. Resolves with the
     * outbox row id (stable; what dismissFailed takes) and the wire mutation id it was given.
     */
    mutate<N extends MutatorName>(name: N, args: MutatorArgs[N]): Promise<{ outboxId: number; mutationId: number }> {
      return serial(async () => {
        const overlay = createOverlay(cacheDb, actor, clock.now);
        try {
          await overlay.run(name, args);
        } catch (err) {
          if (isCacheLostError(err)) void syncNow();
          throw err;
        }
        const { id: outboxId, mutationId } = await outbox.append({ name, args, createdAt: clock.now(), ticketId: mutationTicketId(args) });
        // Durable from here: send it now, while the optimistic write below commits. The push reads only
        // the outbox; the pull that follows waits for this serial section, so it rebases on top of it.
        setState({ pendingCount: state.pendingCount + 1 });
        void syncNow();
        try {
          await writer.commitOptimistic(overlay.writes);
        } catch (err) {
          // Queued is queued: the caller is not told "failed" for a mutation the server will get. The next
          // pull's rebase shows it; a lost cache is healed by that cycle (its pull fails the same way).
          log(`[sync] mutation ${mutationId} queued but not shown yet: ${String(err)}`);
        }
        return { outboxId, mutationId };
      });
    },

    async start(): Promise<void> {
      if (started) return;
      started = true;
      // A stopped drainer stays stopped: an engine of its own gets a new one at each start.
      continuingRun = false;
      const d = deps.drainer ?? ownDrainer();
      drainer = d;
      d.addLane(lane);
      await getClientId();
      await refreshPending();
      setState({ lastSyncedAt: (await writer.readMeta()).lastSyncedAt });
      void requestPersistentStorage(deps.storage).then((persistence) => setState({ persistence }));
      openSocket();
      // A crash may have left an appended mutation unshown; the first pull's rebase replays the outbox.
      await syncNow();
    },

    stop(): void {
      started = false;
      if (!deps.drainer) drainer?.stop();
      cancelReconnect?.();
      cancelReconnect = null;
      socket?.close();
      socket = null;
      setState({ status: 'offline', nextRetryAt: null });
    },

    syncNow,
    onOnline: wake,
    onFocus: wake,
    onResume: wake,
    onOffline(): void {
      setState({ status: 'offline' });
    },
    /** The agent dismissed a refused mutation's notice (by its outbox row id). */
    async dismissFailed(outboxId: number): Promise<void> {
      await outbox.dismissFailed(outboxId);
      await refreshPending();
    },
    /** Every refusal not yet dismissed, including those whose ticket left the agent's scope (no detail view shows them). */
    listFailed: (): Promise<PendingMutation[]> => outbox.listFailed(),
    failedForTicket: (ticketId: string): Promise<PendingMutation[]> => outbox.failedForTicket(ticketId),
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;

/**
 * A request the server refused as malformed (400) or too large (413), with its reason; null for any other
 * error (offline, 5xx, 409 refusals), which is retried rather than blamed on a mutation.
 */
function batchRefusalOf(err: unknown): { code: string; message: string } | null {
  const status = typeof err === 'object' && err !== null && 'status' in err ? err.status : undefined;
  if (status !== 400 && status !== 413) return null;
  const message = err instanceof Error ? err.message : `HTTP ${status}`;
  return { code: 'invalid', message };
}

function takeWithinBytes(pending: readonly PendingMutation[]): PushMutation[] {
  const out: PushMutation[] = [];
  let bytes = 0;
  for (const m of pending) {
    const size = JSON.stringify(m.args).length + 100;
    if (out.length > 0 && bytes + size > maxPushBytes) break;
    bytes += size;
    out.push({ id: m.mutationId, name: m.name, args: m.args, createdAt: m.createdAt });
  }
  return out;
}
