import type { Dexie } from 'dexie';

/**
 * The agent's call log. In the outbox database, not the cache: the cache may be deleted to heal, and a
 * disposition the agent chose is their work. [startedAt] lists newest first; ticketId finds a ticket's calls.
 */
export function migration0030CallLog(db: Dexie): void {
  db.version(30).stores({ callLog: 'id, startedAt, ticketId' });
}
