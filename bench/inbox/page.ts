// Runs inside Chromium, on the app's own origin, for bench/inbox.mjs: fills the app's chat cache (the
// app's CacheDb and chat repo, the same databases the signed-in app opens) and times quick-reply search.
import type { QuickReply } from '../../core/replies/model';
import { buildReplyIndex, searchReplies } from '../../core/replies/search';
import type { Conversation, Message } from '../../core/wire/chat';
import { createChatRepo } from '../../renderer/services/db/chatRepo';
import { CacheDb, cacheDbName } from '../../renderer/services/db/cacheDb';
import { OutboxDb, outboxDbName } from '../../renderer/services/db/outboxDb';

type SeedInput = { userId: string; teamId: string; queueId: string; conversations: number; messages: number };

const uuid = (n: number, tag: number) => `00000000-0000-4000-8${tag.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const names = ['Emma Thompson', 'Lukas Becker', '张伟', '刘洋', '林志明', 'Sofia Rossi', 'Noah Müller', '王芳'];

async function seed(input: SeedInput): Promise<{ conversations: number; messages: number; ms: number }> {
  const t0 = performance.now();
  const cache = new CacheDb(`${cacheDbName}-${input.userId}`);
  const outbox = new OutboxDb(`${outboxDbName}-${input.userId}`);
  const repo = createChatRepo(cache, outbox);
  const now = Date.now();
  const perConv = Math.floor(input.messages / input.conversations);
  const batch = 1_000;
  for (let start = 0; start < input.conversations; start += batch) {
    const convs: Conversation[] = [];
    const msgs: Message[] = [];
    for (let i = start; i < Math.min(input.conversations, start + batch); i++) {
      const id = uuid(i, 1);
      const last = now - i * 30_000;
      // Most of them are the agent's (the "Mine" view is the long list); every fifth waits in the queue.
      const queued = i % 5 === 4;
      convs.push({
        id, ticketId: uuid(i, 2), ticketNumber: 100_000 + i, channel: i % 7 === 0 ? 'messaging' : 'webchat', customerId: uuid(i, 3),
        customerName: `${names[i % names.length]} ${i}`, queueId: input.queueId, teamId: input.teamId,
        assigneeId: queued ? null : input.userId, assigneeName: null, offeredToId: null, offerExpiresAt: null,
        state: queued ? 'queued' : 'active', language: i % 3 === 0 ? 'zh-CN' : 'en', country: null, product: null,
        createdAt: last - perConv * 60_000, lastMessageAt: last, lastSeq: perConv, unreadForAgent: i % 4, customerReadSeq: 0, slaDueAt: null, closedAt: null,
      });
      for (let s = 1; s <= perConv; s++) {
        msgs.push({
          id: uuid(i * 1024 + s, 4), conversationId: id, seq: s,
          author: s % 2 ? 'customer' : 'agent', authorId: s % 2 ? null : input.userId, authorName: null, kind: 'text',
          body: `Message ${s} about order SO-${200_000 + i}: the parcel, the invoice, 退款 and the callback.`,
          attachment: null, eventCode: null, createdAt: last - (perConv - s) * 60_000, readAt: null,
        });
      }
    }
    await repo.putConversations(convs);
    await cache.chatMessages.bulkPut(msgs);
  }
  const counts = { conversations: await cache.conversations.count(), messages: await cache.chatMessages.count() };
  cache.close();
  outbox.close();
  return { ...counts, ms: performance.now() - t0 };
}

const words = ['refund', 'invoice', 'parcel', 'delivery', 'password', 'router', 'callback', 'contract', 'voucher', 'address', 'upgrade', 'warranty'];
const han = ['退款', '发票', '快递', '地址', '密码', '回电', '合同', '發票', '訂單', '保固'];

function library(n: number): QuickReply[] {
  return Array.from({ length: n }, (_, i): QuickReply => {
    const w1 = words[i % words.length]!;
    const w2 = words[(i * 7 + 3) % words.length]!;
    const h1 = han[i % han.length]!;
    const scope = i % 3 === 0 ? 'global' : i % 3 === 1 ? 'team' : 'personal';
    return {
      id: `r${i}`, scope, teamId: scope === 'team' ? 't1' : null, ownerId: scope === 'personal' ? 'u1' : null,
      category: `${w1} ${i % 40}`, shortcut: `${w1.slice(0, 4)}-${i}`, title: `${w1} and ${w2} ${i}`,
      bodies: { en: `Hello {{customer.name}}, about your ${w1}: we checked the ${w2} (case ${i}).`, 'zh-CN': `{{customer.name}}您好，关于您的${h1}问题（${i}）。`, 'zh-TW': `您好，關於${h1}（${i}）。` },
      useCount: (i * 37) % 500, updatedAt: 1_700_000_000_000 + i * 1000,
    };
  });
}

function search(n: number, rounds: number): { replies: number; buildMs: number; queries: number; p50: number; p95: number; max: number } {
  const replies = library(n);
  const t0 = performance.now();
  const index = buildReplyIndex(replies);
  const buildMs = performance.now() - t0;
  // What an agent types after "/": growing prefixes of shortcuts, words, Han runs, two-word queries, misses.
  const queries: string[] = [''];
  for (const w of words) for (let k = 1; k <= w.length; k++) queries.push(w.slice(0, k));
  for (const h of han) queries.push(h[0]!, h);
  queries.push('refund invoice', 'parcel deliv', 'ref-1', 'refu-12', 'inv', 'xyzzy', '退款 refund', '您好', 'case 99');
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const s = performance.now();
      searchReplies(index, q, { language: r % 2 ? 'en' : 'zh-CN' });
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { replies: n, buildMs, queries: times.length, p50: at(0.5), p95: at(0.95), max: times[times.length - 1]! };
}

(window as unknown as { bench: unknown }).bench = { seed, search };
