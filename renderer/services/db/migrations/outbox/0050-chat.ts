import type { Dexie } from 'dexie';

/**
 * What the agent wrote in chat that the server has not confirmed (`chatOutbox`, sent in createdAt order),
 * the quick replies they created or edited here (`myReplies`, kept until the server takes them), and
 * local use counts (`replyUses`). In the outbox database: the cache may be deleted to heal, this may not.
 */
export function migration0050Chat(db: Dexie): void {
  db.version(50).stores({
    chatOutbox: 'id, createdAt, conversationId',
    myReplies: 'id',
    replyUses: 'id',
  });
}
