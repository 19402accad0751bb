import type { Actor } from '../../../core/tickets/scope';
import type { User } from '../../../core/wire/auth';
import type { Api } from '../api/api';
import { createDraftsRepo, type DraftsRepo } from '../db/draftsRepo';
import { createOutboxRepo, type OutboxRepo } from '../db/outboxRepo';
import { createCommentsRepo, createConflictsRepo, createTicketsRepo, type CommentsRepo, type ConflictsRepo, type TicketsRepo } from '../db/ticketsRepo';
import type { Host } from '../host/host';
import { openBrowserSocket } from '../realtime/browserSocket';
import type { UserPart } from '../session/userSession';
import { attachBrowserTriggers, createHttpTransport } from './httpTransport';
import { createSyncEngine, type SyncEngine, type SyncEngineState, type SyncTransport } from './syncEngine';

/** What the tickets feature (and the phone's screen pop and notes) reads and writes for the signed-in user. */
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

/** Where the sync part reports: the store's tickets slice in the app. */
export type SyncPartDelegate = {
  onServices(services: TicketsServices | null): void;
  onEngineState(state: SyncEngineState | null): void;
};

export type SyncPartDeps = {
  api: Api;
  host: Host;
  /** The server origin (the page's own in web mode). */
  baseUrl: string;
  win?: Window;
  log?: (line: string) => void;
  /** Voice first: the first sync waits between pages while a call is live (services/sync/voiceFirst.ts). */
  whileOnCall?: () => Promise<void>;
};

const actorOf = (user: User): Actor => ({ userId: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) });

/** Used in an offline session: no token exists, so nothing is attempted against the server. */
const notSignedIn: SyncTransport = {
  push: () => Promise.reject(new Error('working offline: sign in to send changes')),
  pull: () => Promise.reject(new Error('working offline: sign in to receive changes')),
  openPokeSocket(handlers) {
    queueMicrotask(() => handlers.onClose());
    return { close() {} };
  },
};

/**
 * Runs the sync engine for whoever is signed in: created at sign-in with the user as actor, its state reported
 * to the store, woken by `online`, focus and the host's resume, stopped at sign-out. An offline session runs it
 * too (reads and the outbox work), with a transport that sends nothing.
 */
export function createSyncPart(deps: SyncPartDeps): UserPart & { current(): TicketsServices | null; connect(delegate: SyncPartDelegate): void } {
  const win = deps.win ?? window;
  const log = deps.log ?? ((line: string) => console.warn(line));
  let teardown: (() => void) | null = null;
  let services: TicketsServices | null = null;
  let delegate: SyncPartDelegate = { onServices() {}, onEngineState() {} };

  return {
    name: 'sync',
    /** The services it started for the signed-in user (the phone's screen pop and notes use them). */
    current: () => services,
    /** Where it reports: the store, which is built after the phone that needs `current` (app/compose.ts). */
    connect(d) {
      delegate = d;
    },
    start({ user, offline, dbs, drainer }) {
      let engineRef: SyncEngine | null = null;
      const transport = offline
        ? notSignedIn
        : createHttpTransport({
            postJson: (path, body) => deps.api.postJson(path, body),
            openWebSocket: (path) => {
              // Not signed in to the server (yet): no socket at all; the engine retries after backoff.
              if (deps.api.accessToken() === null) throw new Error('no access token for the poke socket');
              return openBrowserSocket(deps.baseUrl, path);
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
        // Mutations are one lane of the session's outbox drainer: one retry and backoff policy for all pending work.
        drainer,
        ...(deps.whileOnCall ? { whileOnCall: deps.whileOnCall } : {}),
        log,
      });
      engineRef = engine;
      services = {
        user,
        offline,
        tickets: createTicketsRepo(dbs.cache),
        comments: createCommentsRepo(dbs.cache),
        conflicts: createConflictsRepo(dbs.cache),
        drafts: createDraftsRepo(dbs.outbox),
        outbox: createOutboxRepo(dbs.outbox),
        engine,
      };
      delegate.onServices(services);
      const unsubscribe = engine.subscribe((state) => delegate.onEngineState(state));
      const detach = attachBrowserTriggers(engine, win, win.document);
      const unResume = deps.host.on('power:resumed', () => engine.onResume());
      teardown = () => {
        unsubscribe();
        detach();
        unResume();
        engine.stop();
      };
      delegate.onEngineState(engine.getState());
      engine.start().catch((err: unknown) => log(`[sync] start failed: ${err instanceof Error ? err.message : String(err)}`));
    },
    stop() {
      teardown?.();
      teardown = null;
      services = null;
      delegate.onServices(null);
      delegate.onEngineState(null);
    },
  };
}
