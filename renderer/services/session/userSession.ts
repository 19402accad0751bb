import type { User } from '../../../core/wire/auth';
import { createCallLogRepo, type CallLogRepo } from '../db/callLogRepo';
import { createMissedCallsRepo, type MissedCallsRepo } from '../db/missedCallsRepo';
import { openUserDatabases, type UserDatabases } from '../db/userDatabases';
import { createOutboxDrainer, type OutboxDrainer } from '../outbox/outboxDrainer';

/** Why a user's parts stop: the reason decides nothing here, but each part logs it and may act on it. */
export type StopReason = 'sign-out' | 'session-lost' | 'user-changed' | 'mode-changed' | 'disposed';

/** What every per-user part is started with: the user, and the one connection to each of their databases. */
export type UserSessionContext = {
  readonly user: User;
  /** True in an offline session (no server sign-in): work queues, nothing is sent. */
  readonly offline: boolean;
  readonly dbs: UserDatabases;
  /** The one drainer of the user's outbox; parts add their lanes to it. */
  readonly drainer: OutboxDrainer;
  /** The call log, on the session's outbox connection: a logged call kicks the call-reports lane. */
  readonly callLog: CallLogRepo;
  /** Missed incoming calls with why, on the same outbox connection. */
  readonly missedCalls: MissedCallsRepo;
};

/** A per-user part (sync, chat, coaching, phone): started at sign-in, stopped at sign-out or a lost session. */
export type UserPart = { readonly name: string; start(session: UserSessionContext): void; stop(reason: StopReason): void };

export type UserSessionDeps = {
  setTimeout(fn: () => void, ms: number): () => void;
  log(line: string): void;
  openDatabases?: (userId: string) => UserDatabases;
};

/** The outbox lane the call log kicks (services/chat/chatService.ts registers it). */
export const callReportsLane = 'call-reports';

/**
 * The signed-in user's session: opens their databases once, runs the outbox drainer, and starts and stops the
 * registered parts in order (stopped in reverse, so a part never outlives what it was started after).
 *
 * ```
 *   signed-out ──signedIn(user, offline)──► running ──signedOut(reason)──► signed-out
 *                                            │  ▲
 *                                            └──┘ signedIn(other user or mode): stop all, (re)open, start all
 * ```
 */
export function createUserSession(deps: UserSessionDeps) {
  const open = deps.openDatabases ?? openUserDatabases;
  const parts: UserPart[] = [];
  let current: { key: string; context: UserSessionContext } | null = null;

  // Parts report to the store while they start and stop, and the store's subscriber calls back in here: such a
  // call is kept and applied once the change under way is complete (usually it asks for what is being done).
  let changing = false;
  let queued: (() => void) | null = null;
  function change(fn: () => void) {
    if (changing) {
      queued = fn;
      return;
    }
    changing = true;
    try {
      fn();
    } finally {
      changing = false;
    }
    const next = queued;
    queued = null;
    if (next) change(next);
  }

  function stopParts(reason: StopReason) {
    if (!current) return;
    for (const part of [...parts].reverse()) {
      try {
        part.stop(reason);
      } catch (err) {
        deps.log(`[session] ${part.name} did not stop cleanly (${reason}): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    current.context.drainer.stop();
  }

  function signedOut(reason: StopReason): void {
    change(() => {
      if (!current) return;
      stopParts(reason);
      current.context.dbs.close();
      current = null;
    });
  }

  function signedIn(user: User, offline: boolean): void {
    change(() => {
      const key = `${user.id}:${offline ? 'offline' : 'online'}`;
      if (current?.key === key) return;
      const previous = current;
      stopParts(previous?.context.user.id === user.id ? 'mode-changed' : 'user-changed');
      // The same user switching between offline and online keeps their connections; another user never sees them.
      const dbs = previous && previous.context.user.id === user.id ? previous.context.dbs : open(user.id);
      if (previous && previous.context.dbs !== dbs) previous.context.dbs.close();
      const drainer = createOutboxDrainer({ setTimeout: deps.setTimeout, log: deps.log });
      const logged = createCallLogRepo(dbs.outbox);
      const callLog: CallLogRepo = {
        ...logged,
        async put(row) {
          await logged.put(row);
          void drainer.drain(callReportsLane);
        },
      };
      current = { key, context: { user, offline, dbs, drainer, callLog, missedCalls: createMissedCallsRepo(dbs.outbox) } };
      for (const part of parts) part.start(current.context);
    });
  }

  return {
    /** Registers a part; parts start in the order registered. */
    register(part: UserPart): void {
      parts.push(part);
    },
    current: (): UserSessionContext | null => current?.context ?? null,

    signedIn,
    signedOut,

    dispose(): void {
      signedOut('disposed');
    },
  };
}
export type UserSession = ReturnType<typeof createUserSession>;
