import type { Dexie } from 'dexie';

/**
 * Chat: conversations and their messages as the server last said, quick replies from the server, and
 * the realtime cursor (`chatState`). All of it can be refetched, so it lives in the cache.
 * [assigneeKey+lastMessageAt] pages the inbox newest first without a sort; [conversationId+seq] reads a
 * conversation's messages in server order.
 */
export function migration0020Chat(db: Dexie): void {
  db.version(20).stores({
    conversations: 'id, lastMessageAt, [assigneeKey+lastMessageAt], customerId, ticketId',
    chatMessages: 'id, [conversationId+seq]',
    quickReplies: 'id, category',
    chatState: 'key',
  });
}
