import type { Api } from '../../services/api/api';
import { CacheDb, cacheDbName } from '../../services/db/cacheDb';
import { createDraftsRepo, type DraftsRepo } from '../../services/db/draftsRepo';
import { OutboxDb, outboxDbName } from '../../services/db/outboxDb';
import { createOutboxRepo, type OutboxRepo } from '../../services/db/outboxRepo';
import { createCommentsRepo, createConflictsRepo, createTicketsRepo, type CommentsRepo, type ConflictsRepo, type TicketsRepo } from '../../services/db/ticketsRepo';
import type { Host } from '../../services/host/host';
import { attachBrowserTriggers, createHttpTransport, type PokeSocketLike } from '../../services/sync/httpTransport';
import { createSyncEngine, type SyncEngine, type SyncEngineState, type SyncTransport } from '../../services/sync/syncEngine';
import type { AppStore } from '../../stores/appStore';
import type { User } from '../../../core/wire/auth';
import type { Actor } from '../../../core/tickets/scope';

/** What the tickets feature reads and writes for the signed-in user. */
export type TicketsServices = {
  user: User;
  /** True in an offline session (no server sign-in): mutations queue, nothing is sent. */
  offline: boolean;
  tickets: TicketsRepo;
  comments: CommentsRepo;
  conflicts: ConflictsRepo;
  drafts: DraftsRepo;
  outbox: OutboxRepo;
  engine: SyncEngine;
};

export type SyncSessionSnapshot = { services: TicketsServices | null; sync: SyncEngineState | null };

export type SyncSessionDeps = {
  store: AppStore;
  api: Api;
  host: Host;
  /** The server origin (the page's own in web mode). */
  baseUrl: string;
  win?: Window;
  log?: (line: string) => void;
};

/**
 * One cache and one outbox per user (`switchboard-cache-<userId>`): the server ties a sync client id
 * to one user and refuses it for anyone else, and one agent's queued work must never be sent under
 * another agent's sign-in on a shared computer.
 */
const actorOf = (user: User): Actor => ({ userId: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) });

const dbNames = (userId: string) => ({ cache: `${cacheDbName}-${userId}`, outbox: `${outboxDbName}-${userId}` });

/** Used in an offline session: no token exists, so nothing is attempted against the server. */
const notSignedIn: SyncTransport = {
  push: () => Promise.reject(new Error('working offline: sign in to send changes')),
  pull: () => Promise.reject(new Error('working offline: sign in to receive changes')),
  openPokeSocket(handlers) {
    queueMicrotask(() => handlers.onClose());
    return { close() {} };
  },
};

/** The poke socket; the transport authenticates it (its first message is the access token) and waits for `ready`. */
function openPokeSocket(baseUrl: string, path: string): PokeSocketLike {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  const socket: PokeSocketLike = { onopen: null, onmessage: null, onclose: null, onerror: null, close: () => ws.close(), send: (data) => ws.send(data) };
  ws.onopen = (ev) => socket.onopen?.(ev);
  ws.onmessage = (ev) => socket.onmessage?.({ data: ev.data });
  ws.onerror = (ev) => socket.onerror?.(ev);
  ws.onclose = (ev) => socket.onclose?.(ev);
  return socket;
}

/**
 * Runs the sync engine for whoever is signed in: created at sign-in with the user as actor, its state fed
 * to the status bar, woken by `online`, focus and the host's resume, stopped at sign-out. An offline
 * session runs it too (reads and the outbox work), with a transport that sends nothing.
 */
export function createSyncSession(deps: SyncSessionDeps) {
  const win = deps.win ?? window;
  const log = deps.log ?? ((line: string) => console.warn(line));
  let snapshot: SyncSessionSnapshot = { services: null, sync: null };
  const listeners = new Set<() => void>();
  const publish = (next: SyncSessionSnapshot) => {
    snapshot = next;
    for (const l of listeners) l();
  };

  let dbs: { userId: string; cache: CacheDb; outbox: OutboxDb } | null = null;
  let teardown: (() => void) | null = null;
  let currentKey: string | null = null;

  function stopEngine() {
    if (!teardown) return;
    teardown();
    teardown = null;
    // Nobody's outbox is on screen any more; online/offline stays the connectivity probe's to say.
    deps.store.getState().setSync({ pendingCount: 0, lastSyncedAt: null });
  }

  function start(user: User, offline: boolean) {
    stopEngine();
    if (dbs && dbs.userId !== user.id) {
      dbs.cache.close();
      dbs.outbox.close();
      dbs = null;
    }
    const names = dbNames(user.id);
    dbs ??= { userId: user.id, cache: new CacheDb(names.cache), outbox: new OutboxDb(names.outbox) };
    let engineRef: SyncEngine | null = null;
    const transport = offline
      ? notSignedIn
      : createHttpTransport({
          postJson: (path, body) => deps.api.postJson(path, body),
          openWebSocket: (path) => {
            // Not signed in to the server (yet): no socket at all; the engine retries after backoff.
            if (deps.api.accessToken() === null) throw new Error('no access token for the poke socket');
            return openPokeSocket(deps.baseUrl, path);
          },
          // 'open' then means the server said `ready`: the sync that runs on open cannot miss a poke.
          accessToken: () => deps.api.accessToken(),
          clientId: () => engineRef?.clientId(),
          log,
        });
    const engine: SyncEngine = createSyncEngine({
      cacheDb: dbs.cache,
      outboxDb: dbs.outbox,
      transport,
      actor: actorOf(user),
      refreshActor: async () => actorOf(await deps.api.me()),
      clock: {
        now: () => Date.now(),
        setTimeout: (fn, ms) => {
          const id = win.setTimeout(fn, ms);
          return () => win.clearTimeout(id);
        },
      },
      random: Math.random,
      newClientId: () => crypto.randomUUID(),
      // Asks for persistent storage (navigator.storage.persist) so the browser does not evict the outbox.
      storage: win.navigator.storage,
      log,
    });
    engineRef = engine;
    const services: TicketsServices = {
      user,
      offline,
      tickets: createTicketsRepo(dbs.cache),
      comments: createCommentsRepo(dbs.cache),
      conflicts: createConflictsRepo(dbs.cache),
      drafts: createDraftsRepo(dbs.outbox),
      outbox: createOutboxRepo(dbs.outbox),
      engine,
    };
    const unsubscribe = engine.subscribe((sync) => {
      deps.store.getState().setSync({ state: sync.status, pendingCount: sync.pendingCount, lastSyncedAt: sync.lastSyncedAt });
      publish({ services, sync });
    });
    const detach = attachBrowserTriggers(engine, win, win.document);
    const unResume = deps.host.on('power:resumed', () => engine.onResume());
    teardown = () => {
      unsubscribe();
      detach();
      unResume();
      engine.stop();
    };
    publish({ services, sync: engine.getState() });
    engine.start().catch((err: unknown) => log(`[sync] start failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  function onStore() {
    const { user, status, offline } = deps.store.getState();
    const key = user && status === 'signed-in' ? `${user.id}:${offline ? 'offline' : 'online'}` : null;
    if (key === currentKey) return;
    currentKey = key;
    if (user && key) start(user, offline);
    else {
      stopEngine();
      publish({ services: null, sync: null });
    }
  }

  const unsubscribeStore = deps.store.subscribe(onStore);
  onStore();

  return {
    getSnapshot: () => snapshot,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      unsubscribeStore();
      stopEngine();
      dbs?.cache.close();
      dbs?.outbox.close();
    },
  };
}
export type SyncSession = ReturnType<typeof createSyncSession>;
