import type { Conversation, Message } from '../../../core/wire/chat';
import type { QuickReply } from '../../../core/replies/model';

/**
 * `assigneeKey` indexes the inbox views: the assignee's id, `offer:<agentId>` while offered, `queue` for
 * the unassigned queue, `closed` once closed (Dexie cannot index null, and one compound index then
 * answers "mine, newest first" as a range scan).
 */
export type CachedConversation = Conversation & { assigneeKey: string };

export type CachedChatMessage = Message;

/** The server's quick replies (team and everyone's); the agent's own edits are MyReplyRow in the outbox. */
export type CachedQuickReply = QuickReply;

export type ChatStateRow = { key: 'cursor'; value: number } | { key: 'repliesFetchedAt'; value: number };

/**
 * A chat message the agent wrote that the server has not confirmed. The id is the message id on the wire:
 * the server stores a given id once, so a resend after a crash or a lost response cannot duplicate it.
 */
export type ChatOutboxRow = {
  id: string;
  conversationId: string;
  kind: 'text' | 'note';
  body: string;
  quickReplyId?: string;
  createdAt: number;
  /** `failed`: the server refused it for good (too long, conversation closed); the agent decides. */
  status: 'pending' | 'failed';
  error?: string;
};

/**
 * A quick reply created, edited (`op: 'put'`) or deleted (`op: 'delete'`) on this computer that the server
 * has not confirmed: it shows in the library at once (offline too) and is sent by the chat service. `failed`:
 * the server refused it for good (not allowed, invalid); it stays visible with the reason until the agent
 * discards it, so the library never differs from the server's without saying so. Rows written before
 * replies were sent have only `localOnly` and count as pending puts.
 */
export type MyReplyRow = QuickReply & { localOnly?: true; op?: 'put' | 'delete'; status?: 'pending' | 'failed'; error?: string };

export type ReplyUseRow = { id: string; count: number };

export function assigneeKeyOf(c: Conversation): string {
  if (c.state === 'closed') return 'closed';
  if (c.state === 'offered' && c.offeredToId !== null) return `offer:${c.offeredToId}`;
  return c.assigneeId ?? 'queue';
}
