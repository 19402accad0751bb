import type { Comment } from '../../../core/tickets/model';
import type { OutboxDb } from './outboxDb';
import type { DraftRow } from './rows';

/** Composer drafts, one per ticket, in the strict-durability outbox database: they survive restarts and cache heals. */
export function createDraftsRepo(db: OutboxDb, now: () => number = Date.now) {
  return {
    get: (ticketId: string): Promise<DraftRow | undefined> => db.drafts.get(ticketId),
    async save(ticketId: string, body: string, kind: Comment['kind']): Promise<void> {
      if (body.trim() === '') await db.drafts.delete(ticketId);
      else await db.drafts.put({ ticketId, body, kind, updatedAt: now() });
    },
    clear: (ticketId: string): Promise<void> => db.drafts.delete(ticketId),
  };
}
export type DraftsRepo = ReturnType<typeof createDraftsRepo>;
