import { z } from 'zod';
import { QuickReply } from '../../../core/replies/model';
import type { CacheDb } from './cacheDb';
import type { OutboxDb } from './outboxDb';
import type { MyReplyRow } from './chatRows';

/** Where the server's quick replies are read from, when it offers them (404: none; the library is local). */
export const quickRepliesPath = '/quick-replies';
export const quickReplyPath = (id: string) => `${quickRepliesPath}/${encodeURIComponent(id)}`;
const RepliesResponse = z.union([z.array(z.unknown()), z.object({ replies: z.array(z.unknown()) })]);

/** A reply change waiting for the server (or refused by it), as the Replies page shows it. */
export type ReplyChange = { id: string; op: 'put' | 'delete'; status: 'pending' | 'failed'; error?: string; reply: QuickReply };

const changeOf = (row: MyReplyRow): ReplyChange => {
  const { localOnly: _l, op, status, error, ...reply } = row;
  return { id: row.id, op: op ?? 'put', status: status ?? 'pending', ...(error ? { error } : {}), reply };
};

/**
 * The quick-reply library as the agent sees it: the server's replies (cache) overlaid by the changes made on
 * this computer and not yet confirmed (outbox, so they survive a cache rebuild, an app restart and work
 * offline), with use counts being the server's plus the uses counted here.
 */
export function createRepliesRepo(cache: CacheDb, outbox: OutboxDb) {
  /** Removes the outbox row only if it is still the change that was sent (an edit made meanwhile stays queued). */
  const settle = (sent: ReplyChange, update?: (row: MyReplyRow) => MyReplyRow) =>
    outbox.transaction('rw', outbox.myReplies, async () => {
      const row = await outbox.myReplies.get(sent.id);
      if (!row || (row.op ?? 'put') !== sent.op || row.updatedAt !== sent.reply.updatedAt) return;
      if (update) await outbox.myReplies.put(update(row));
      else await outbox.myReplies.delete(sent.id);
    });

  return {
    async all(): Promise<QuickReply[]> {
      const [server, mine, uses] = await Promise.all([cache.quickReplies.toArray(), outbox.myReplies.toArray(), outbox.replyUses.toArray()]);
      const byId = new Map<string, QuickReply>(server.map((r) => [r.id, r]));
      for (const change of mine.map(changeOf)) {
        // A refused delete shows the reply again; a refused edit keeps showing what the agent wrote (flagged).
        if (change.op === 'delete' && change.status === 'pending') byId.delete(change.id);
        else if (change.op === 'put') byId.set(change.id, change.reply);
      }
      const extra = new Map(uses.map((u) => [u.id, u.count]));
      return [...byId.values()].map((r) => ({ ...r, useCount: r.useCount + (extra.get(r.id) ?? 0) }));
    },
    /** Changes not confirmed by the server, oldest first (the order they are sent in). */
    async changes(): Promise<ReplyChange[]> {
      const rows = await outbox.myReplies.toArray();
      return rows.map(changeOf).sort((a, b) => a.reply.updatedAt - b.reply.updatedAt);
    },
    async save(reply: QuickReply): Promise<void> {
      const parsed = QuickReply.parse(reply);
      await outbox.myReplies.put({ ...parsed, op: 'put', status: 'pending' });
    },
    async remove(reply: QuickReply): Promise<void> {
      await outbox.myReplies.put({ ...QuickReply.parse(reply), op: 'delete', status: 'pending', updatedAt: Date.now() });
    },
    /** Gives up a local change (pending or refused): the server's version shows again. */
    discard: (id: string) => outbox.myReplies.delete(id),
    /** The server took a put: its row goes into the cache, then the local change is dropped. */
    async confirmPut(sent: ReplyChange, stored: unknown): Promise<void> {
      const reply = QuickReply.parse(stored);
      await cache.quickReplies.put(reply);
      await settle(sent);
    },
    async confirmDelete(sent: ReplyChange): Promise<void> {
      await cache.quickReplies.delete(sent.id);
      await settle(sent);
    },
    markFailed: (sent: ReplyChange, error: string) => settle(sent, (row) => ({ ...row, status: 'failed', error })),
    async recordUse(id: string): Promise<void> {
      await outbox.transaction('rw', outbox.replyUses, async () => {
        const row = await outbox.replyUses.get(id);
        await outbox.replyUses.put({ id, count: (row?.count ?? 0) + 1 });
      });
    },
    /** Replaces the server copy; rows that fail the schema are skipped (and counted), never shown half-valid. */
    async replaceServerReplies(raw: unknown): Promise<{ stored: number; skipped: number }> {
      const parsed = RepliesResponse.safeParse(raw);
      if (!parsed.success) return { stored: 0, skipped: 0 };
      const rows = Array.isArray(parsed.data) ? parsed.data : parsed.data.replies;
      const good: QuickReply[] = [];
      for (const row of rows) {
        const r = QuickReply.safeParse(row);
        if (r.success) good.push(r.data);
      }
      await cache.transaction('rw', cache.quickReplies, async () => {
        await cache.quickReplies.clear();
        await cache.quickReplies.bulkPut(good);
      });
      return { stored: good.length, skipped: rows.length - good.length };
    },
  };
}
export type RepliesRepo = ReturnType<typeof createRepliesRepo>;
