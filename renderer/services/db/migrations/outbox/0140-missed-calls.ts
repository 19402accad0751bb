import type { Dexie } from 'dexie';

/**
 * Missed incoming calls with why (core/call/missed.ts), until issue 15 a JSON list in localStorage: in
 * the outbox database now, which is per user and never healed away, so the list and its badge survive a
 * restart and can be asked questions ("calls missed in the background this week"). [at] lists newest
 * first, [reason] filters by why, [seen] counts the badge (0 not yet looked at, 1 seen: IndexedDB cannot
 * index booleans).
 */
export function migration0140MissedCalls(db: Dexie): void {
  db.version(140).stores({ missedCalls: 'id, at, reason, seen' });
}
