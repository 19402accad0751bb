import { Dexie } from 'dexie';
import type { ChatEvent, Conversation, ConversationDetail, Message } from '../../../core/wire/chat';
import type { CacheDb } from './cacheDb';
import type { OutboxDb } from './outboxDb';
import { assigneeKeyOf, type CachedConversation, type ChatOutboxRow } from './chatRows';

/** Which conversations the inbox lists. */
export type InboxView = 'mine' | 'offers' | 'queue' | 'closed';

const withKey = (c: Conversation): CachedConversation => ({ ...c, assigneeKey: assigneeKeyOf(c) });

/**
 * The only writer of the chat tables. The realtime cursor is stored in the same cache transaction as the
 * event it follows, so after a crash the socket resumes exactly where the cache stands.
 */
export function createChatRepo(cache: CacheDb, outbox: OutboxDb) {
  const chatTables = [cache.conversations, cache.chatMessages, cache.chatState] as const;

  async function applyOne(event: ChatEvent): Promise<void> {
    switch (event.type) {
      case 'message': {
        await cache.chatMessages.put(event.message);
        const existing = await cache.conversations.get(event.conversationId);
        if (existing && existing.lastSeq < event.message.seq) {
          await cache.conversations.update(event.conversationId, { lastSeq: event.message.seq, lastMessageAt: event.message.createdAt });
        }
        return;
      }
      case 'read': {
        const existing = await cache.conversations.get(event.conversationId);
        if (!existing) return;
        if (event.by === 'customer') {
          await cache.conversations.update(event.conversationId, { customerReadSeq: Math.max(existing.customerReadSeq, event.upToSeq) });
        } else {
          await cache.conversations.update(event.conversationId, { unreadForAgent: 0 });
        }
        return;
      }
      case 'offer':
      case 'assignment':
      case 'conversation':
        await cache.conversations.put(withKey(event.conversation));
        return;
      case 'typing':
        return;
    }
  }

  async function unreadCount(userId: string): Promise<number> {
    let unread = 0;
    await cache.conversations
      .where('[assigneeKey+lastMessageAt]')
      .between([userId, Dexie.minKey], [userId, Dexie.maxKey])
      .each((c) => {
        unread += c.unreadForAgent;
      });
    return unread;
  }

  return {
    async cursor(): Promise<number | null> {
      const row = await cache.chatState.get('cursor');
      return row?.value ?? null;
    },
    async putConversations(list: readonly Conversation[]): Promise<void> {
      await cache.conversations.bulkPut(list.map(withKey));
    },
    async putDetail(detail: ConversationDetail): Promise<void> {
      await cache.transaction('rw', cache.conversations, cache.chatMessages, async () => {
        await cache.conversations.put(withKey(detail.conversation));
        await cache.chatMessages.bulkPut(detail.messages);
      });
      await outbox.chatOutbox.bulkDelete(detail.messages.map((m) => m.id));
    },
    async setCursorIfUnset(cursor: number): Promise<void> {
      await cache.transaction('rw', cache.chatState, async () => {
        if (!(await cache.chatState.get('cursor'))) await cache.chatState.put({ key: 'cursor', value: cursor });
      });
    },
    /** Applies durable events in cursor order; an event at or below the stored cursor was applied already. */
    async applyEvents(events: readonly ChatEvent[]): Promise<void> {
      const confirmed: string[] = [];
      await cache.transaction('rw', chatTables, async () => {
        let cursor = (await cache.chatState.get('cursor'))?.value ?? 0;
        for (const event of events) {
          if (event.cursor !== null && event.cursor <= cursor) continue;
          await applyOne(event);
          if (event.type === 'message' && event.message.author === 'agent') confirmed.push(event.message.id);
          if (event.cursor !== null) cursor = event.cursor;
        }
        await cache.chatState.put({ key: 'cursor', value: cursor });
      });
      if (confirmed.length > 0) await outbox.chatOutbox.bulkDelete(confirmed);
    },
    async resetCursor(): Promise<void> {
      await cache.chatState.delete('cursor');
    },

    // Reads (wrap in useLiveQuery).
    list(view: InboxView, userId: string): Promise<CachedConversation[]> {
      const key = view === 'mine' ? userId : view === 'offers' ? `offer:${userId}` : view;
      return cache.conversations.where('[assigneeKey+lastMessageAt]').between([key, Dexie.minKey], [key, Dexie.maxKey]).reverse().toArray();
    },
    /**
     * Rows per view: index counts, no row read. The unread total is not here: it walks every one of my
     * conversations, and a live query re-runs on each chat write, so only the nav badge (`unread`) pays it.
     */
    async counts(userId: string): Promise<Record<InboxView, number>> {
      const count = (key: string) => cache.conversations.where('[assigneeKey+lastMessageAt]').between([key, Dexie.minKey], [key, Dexie.maxKey]).count();
      const [mine, offers, queue, closed] = await Promise.all([count(userId), count(`offer:${userId}`), count('queue'), count('closed')]);
      return { mine, offers, queue, closed };
    },
    /** Unread customer messages in my conversations (the nav badge). */
    unread: unreadCount,
    conversation: (id: string) => cache.conversations.get(id),
    messages: (conversationId: string): Promise<Message[]> =>
      cache.chatMessages.where('[conversationId+seq]').between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey]).toArray(),
    /** The customer's other conversations, newest first (the history panel). */
    async history(customerId: string, exceptId: string): Promise<CachedConversation[]> {
      const rows = await cache.conversations.where('customerId').equals(customerId).toArray();
      return rows.filter((c) => c.id !== exceptId).sort((a, b) => b.lastMessageAt - a.lastMessageAt);
    },
    pendingFor: (conversationId: string): Promise<ChatOutboxRow[]> => outbox.chatOutbox.where('conversationId').equals(conversationId).sortBy('createdAt'),

    // The outbox.
    /** createdAt is the send order: made strictly increasing, so two messages in one millisecond keep their order. */
    enqueue: (row: ChatOutboxRow) =>
      outbox.transaction('rw', outbox.chatOutbox, async () => {
        const last = await outbox.chatOutbox.orderBy('createdAt').last();
        await outbox.chatOutbox.add({ ...row, createdAt: Math.max(row.createdAt, (last?.createdAt ?? 0) + 1) });
      }),
    pending: (): Promise<ChatOutboxRow[]> => outbox.chatOutbox.orderBy('createdAt').filter((r) => r.status === 'pending').toArray(),
    async confirm(message: Message): Promise<void> {
      // Cache first: if the app dies between the two writes the row is sent again, and the server answers
      // with the stored message (same id), so nothing is shown or sent twice.
      await cache.chatMessages.put(message);
      await outbox.chatOutbox.delete(message.id);
    },
    markFailed: (id: string, error: string) => outbox.chatOutbox.update(id, { status: 'failed', error }),
    retry: (id: string) => outbox.chatOutbox.update(id, { status: 'pending', error: undefined }),
    discard: (id: string) => outbox.chatOutbox.delete(id),
  };
}
export type ChatRepo = ReturnType<typeof createChatRepo>;
