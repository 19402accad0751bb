import { z } from 'zod';
import { QuickReply } from '../../../core/replies/model';
import type { CacheDb } from '../db/cacheDb';
import type { OutboxDb } from '../db/outboxDb';

/** Where the server's quick replies are read from, when it offers them (404: none; the library is local). */
export const quickRepliesPath = '/quick-replies';
const RepliesResponse = z.union([z.array(z.unknown()), z.object({ replies: z.array(z.unknown()) })]);

/**
 * The quick-reply library as the agent sees it: the server's replies (cache) overlaid by the ones created or
 * edited on this computer (outbox, so they survive a cache rebuild and work offline), with use counts
 * being the server's plus the uses counted here.
 */
export function createRepliesRepo(cache: CacheDb, outbox: OutboxDb) {
  return {
    async all(): Promise<QuickReply[]> {
      const [server, mine, uses] = await Promise.all([cache.quickReplies.toArray(), outbox.myReplies.toArray(), outbox.replyUses.toArray()]);
      const byId = new Map<string, QuickReply>(server.map((r) => [r.id, r]));
      for (const { localOnly: _, ...r } of mine) byId.set(r.id, r);
      const extra = new Map(uses.map((u) => [u.id, u.count]));
      return [...byId.values()].map((r) => ({ ...r, useCount: r.useCount + (extra.get(r.id) ?? 0) }));
    },
    async save(reply: QuickReply): Promise<void> {
      const parsed = QuickReply.parse(reply);
      await outbox.myReplies.put({ ...parsed, localOnly: true });
    },
    remove: (id: string) => outbox.myReplies.delete(id),
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
