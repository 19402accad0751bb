import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../core/wire/chat';
import { ApiError } from '../api/api';
import { CacheDb } from '../db/cacheDb';
import { OutboxDb } from '../db/outboxDb';
import { uniqueName } from '../../../tests/support/renderer/dexieProbes';
import { createChatRepo } from '../db/chatRepo';
import { createCallReportsRepo } from '../db/callReports';
import { createChatService, type ChatHttp } from './chatService';
import { createRepliesRepo } from '../db/repliesRepo';

const conversationId = '00000000-0000-4000-8000-000000000001';
const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A fake server that stores each message id once (like the real one) and can be switched off. */
function fakeServer() {
  const stored = new Map<string, Message>();
  const posts: string[] = [];
  let reachable = false;
  const http: ChatHttp = {
    getJson: async () => {
      throw new ApiError(404, 'not-found', 'no');
    },
    async postJson(_path, body) {
      if (!reachable) throw new ApiError(0, 'unreachable', 'offline');
      const b = body as { id: string; body: string; kind: 'text' | 'note' };
      posts.push(b.id);
      const existing = stored.get(b.id);
      if (existing) return existing;
      const m: Message = { id: b.id, conversationId, seq: stored.size + 1, author: 'agent', authorId: 'u1', authorName: 'Ann', kind: b.kind, body: b.body, attachment: null, eventCode: null, createdAt: 1, readAt: null };
      stored.set(b.id, m);
      return m;
    },
    deleteJson: async () => undefined,
    accessToken: () => 'token',
  };
  return { http, stored, posts, setReachable: (r: boolean) => (reachable = r) };
}

function openApp(names: { cache: string; outbox: string }, http: ChatHttp) {
  const cache = new CacheDb(names.cache);
  const outbox = new OutboxDb(names.outbox);
  open.push(cache, outbox);
  const repo = createChatRepo(cache, outbox);
  let id = 0;
  const service = createChatService({
    userId: 'u1',
    repo,
    replies: createRepliesRepo(cache, outbox),
    calls: createCallReportsRepo(outbox),
    http,
    // A socket factory that never connects: these tests drive the outbox only.
    openSocket: () => ({ onopen: null, onmessage: null, onclose: null, onerror: null, send() {}, close() {} }),
    delegate: { onConnected() {}, onOffer() {}, onOfferGone() {}, onCustomerTyping() {}, onChanged() {} },
    newId: () => `00000000-0000-4000-8000-${String(++id + Math.floor(Math.random() * 1e6) * 10).padStart(12, '0')}`,
    // A frozen clock: messages written in the same millisecond must still go out in the order written.
    now: () => 1_000,
    setTimeout: () => () => {},
    log: () => {},
  });
  return { cache, outbox, repo, service };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('chat message outbox', () => {
  it('keeps messages written offline across a restart and sends each exactly once, in order, when the network returns', async () => {
    const names = { cache: uniqueName('chat-cache'), outbox: uniqueName('chat-outbox') };
    const server = fakeServer();
    const first = openApp(names, server.http);
    await first.service.send(conversationId, { kind: 'text', body: 'first' });
    await first.service.send(conversationId, { kind: 'text', body: 'second' });
    await settle();
    const pending = await first.repo.pendingFor(conversationId);
    expect(pending.map((r) => [r.body, r.status])).toEqual([
      ['first', 'pending'],
      ['second', 'pending'],
    ]);
    first.cache.close();
    first.outbox.close();

    // "Restart": new database connections, same names; the network is back.
    server.setReachable(true);
    const second = openApp(names, server.http);
    second.service.nudge();
    second.service.nudge();
    // Sending is asynchronous: wait for the outbox to drain (not a fixed sleep, which a loaded machine outlasts).
    await vi.waitFor(async () => expect(await second.repo.pendingFor(conversationId)).toEqual([]), { timeout: 10_000 });
    await settle();
    expect([...server.stored.values()].map((m) => m.body)).toEqual(['first', 'second']);
    expect((await second.repo.messages(conversationId)).map((m) => m.body)).toEqual(['first', 'second']);
  });

  it('marks a message the server refuses for good as failed and goes on with the next', async () => {
    const server = fakeServer();
    server.setReachable(true);
    const http: ChatHttp = {
      ...server.http,
      postJson: async (path, body) => {
        if ((body as { body: string }).body === 'refused') throw new ApiError(409, 'conflict', 'conversation closed');
        return server.http.postJson(path, body);
      },
    };
    const app = openApp({ cache: uniqueName('chat-cache'), outbox: uniqueName('chat-outbox') }, http);
    await app.service.send(conversationId, { kind: 'text', body: 'refused' });
    await app.service.send(conversationId, { kind: 'note', body: 'kept' });
    await vi.waitFor(() => expect(server.stored.size).toBe(1), { timeout: 10_000 });
    await vi.waitFor(async () => expect((await app.repo.pendingFor(conversationId)).map((r) => r.status)).toEqual(['failed']), { timeout: 10_000 });
    const rows = await app.repo.pendingFor(conversationId);
    expect(rows.map((r) => [r.body, r.status, r.error])).toEqual([['refused', 'failed', 'conversation closed']]);
    expect([...server.stored.values()].map((m) => [m.body, m.kind])).toEqual([['kept', 'note']]);
  });

  it('refuses an empty or over-long message before it reaches the outbox', async () => {
    const app = openApp({ cache: uniqueName('chat-cache'), outbox: uniqueName('chat-outbox') }, fakeServer().http);
    await expect(app.service.send(conversationId, { kind: 'text', body: '   ' })).rejects.toMatchObject({ code: 'empty' });
    await expect(app.service.send(conversationId, { kind: 'text', body: 'x'.repeat(4001) })).rejects.toMatchObject({ code: 'too-long' });
    expect(await app.repo.pendingFor(conversationId)).toEqual([]);
  });
});
