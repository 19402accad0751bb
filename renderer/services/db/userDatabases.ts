import { CacheDb, cacheDbName } from './cacheDb';
import { OutboxDb, outboxDbName } from './outboxDb';

/**
 * One cache and one outbox per user (`switchboard-cache-<userId>`, `switchboard-outbox-<userId>`): the server
 * ties a sync client id to one user and refuses it for anyone else, and one agent's queued work must never be
 * sent under another agent's sign-in on a shared computer. The only place these names are built.
 */
export const userDbNames = (userId: string) => ({ cache: `${cacheDbName}-${userId}`, outbox: `${outboxDbName}-${userId}` });

/** The signed-in user's databases: one connection each, shared by every part of the session. */
export type UserDatabases = { readonly userId: string; readonly cache: CacheDb; readonly outbox: OutboxDb; close(): void };

export function openUserDatabases(userId: string): UserDatabases {
  const names = userDbNames(userId);
  const cache = new CacheDb(names.cache);
  const outbox = new OutboxDb(names.outbox);
  return {
    userId,
    cache,
    outbox,
    close() {
      cache.close();
      outbox.close();
    },
  };
}
