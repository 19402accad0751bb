import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuickReply } from '../../../core/replies/model';
import { ApiError } from '../api/api';
import { CacheDb } from '../db/cacheDb';
import { OutboxDb } from '../db/outboxDb';
import { uniqueName } from '../../../tests/support/renderer/dexieProbes';
import { createChatRepo } from '../db/chatRepo';
import { createCallReportsRepo } from '../db/callReports';
import { createChatService, type ChatHttp } from './chatService';
import { createRepliesRepo } from '../db/repliesRepo';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const teamId = '00000000-0000-4000-8000-0000000000aa';
const reply = (id: string, over: Partial<QuickReply> = {}): QuickReply => ({
  id, scope: 'team', teamId, ownerId: null, category: 'shipping', shortcut: 'late', title: 'Late parcel',
  bodies: { en: 'Sorry {{customer.name}}' }, useCount: 0, updatedAt: 1_000, ...over,
});

/** A quick-reply server like server/chat/quickReplies.ts: POST is create-or-replace by id; `refuse` ids get 403. */
function fakeServer() {
  const stored = new Map<string, QuickReply>();
  const calls: string[] = [];
  const refuse = new Set<string>();
  let reachable = false;
  const http: ChatHttp = {
    getJson: async () => ({ replies: [...stored.values()] }),
    async postJson(path, body) {
      if (!reachable) throw new ApiError(0, 'unreachable', 'offline');
      const b = body as Omit<QuickReply, 'scope' | 'ownerId' | 'useCount' | 'updatedAt'>;
      calls.push(`POST ${b.id}`);
      if (refuse.has(b.id)) throw new ApiError(403, 'forbidden', 'Only the owner or a lead of the team can change this reply.');
      const r = reply(b.id, { ...b, updatedAt: 5_000 });
      stored.set(r.id, r);
      return r;
    },
    async deleteJson(path) {
      if (!reachable) throw new ApiError(0, 'unreachable', 'offline');
      calls.push(`DELETE ${path}`);
      const id = path.split('/').pop()!;
      if (!stored.delete(id)) throw new ApiError(404, 'not-found', 'No such quick reply.');
      return undefined;
    },
    accessToken: () => 'token',
  };
  return { http, stored, calls, refuse, setReachable: (r: boolean) => (reachable = r) };
}

function openApp(names: { cache: string; outbox: string }, http: ChatHttp) {
  const cache = new CacheDb(names.cache);
  const outbox = new OutboxDb(names.outbox);
  open.push(cache, outbox);
  const replies = createRepliesRepo(cache, outbox);
  const service = createChatService({
    userId: 'lead',
    repo: createChatRepo(cache, outbox),
    replies,
    calls: createCallReportsRepo(outbox),
    http,
    openSocket: () => ({ onopen: null, onmessage: null, onclose: null, onerror: null, send() {}, close() {} }),
    delegate: { onConnected() {}, onOffer() {}, onOfferGone() {}, onCustomerTyping() {}, onChanged() {} },
    newId: () => crypto.randomUUID(),
    now: () => 1_000,
    setTimeout: () => () => {},
    log: () => {},
  });
  return { replies, service };
}

const id1 = '00000000-0000-4000-8000-000000000001';
const id2 = '00000000-0000-4000-8000-000000000002';

describe('quick replies written in the app', () => {
  it('a team reply written offline shows at once as waiting, survives a restart and reaches the server once', async () => {
    const names = { cache: uniqueName('replies-cache'), outbox: uniqueName('replies-outbox') };
    const server = fakeServer();
    const first = openApp(names, server.http);
    await first.replies.save(reply(id1));
    await first.service.sendReplyChanges();
    expect((await first.replies.all()).map((r) => r.shortcut)).toEqual(['late']);
    expect((await first.replies.changes()).map((c) => [c.op, c.status])).toEqual([['put', 'pending']]);
    expect(server.stored.size).toBe(0);

    const second = openApp(names, server.http);
    server.setReachable(true);
    await second.service.refreshReplies();
    expect(server.calls).toEqual([`POST ${id1}`]);
    expect(await second.replies.changes()).toEqual([]);
    expect((await second.replies.all()).map((r) => [r.id, r.updatedAt])).toEqual([[id1, 5_000]]);
  });

  it('a refused change stays visible with the reason until discarded, and the next one still goes', async () => {
    const server = fakeServer();
    server.setReachable(true);
    server.refuse.add(id1);
    const app = openApp({ cache: uniqueName('replies-cache'), outbox: uniqueName('replies-outbox') }, server.http);
    await app.replies.save(reply(id1, { updatedAt: 1 }));
    await app.replies.save(reply(id2, { shortcut: 'early', updatedAt: 2 }));
    await app.service.sendReplyChanges();
    expect((await app.replies.changes()).map((c) => [c.id, c.status, c.error])).toEqual([[id1, 'failed', 'Only the owner or a lead of the team can change this reply.']]);
    expect([...server.stored.keys()]).toEqual([id2]);
    expect((await app.replies.all()).map((r) => r.id).sort()).toEqual([id1, id2]);

    await app.replies.discard(id1);
    expect((await app.replies.all()).map((r) => r.id)).toEqual([id2]);
  });

  it('a delete hides the reply at once, is sent when online, and an already-deleted reply counts as done', async () => {
    const server = fakeServer();
    server.setReachable(true);
    const app = openApp({ cache: uniqueName('replies-cache'), outbox: uniqueName('replies-outbox') }, server.http);
    await app.replies.save(reply(id1));
    await app.replies.save(reply(id2, { shortcut: 'early' }));
    await app.service.sendReplyChanges();
    server.setReachable(false);
    await app.replies.remove((await app.replies.all()).find((r) => r.id === id1)!);
    await app.service.sendReplyChanges();
    expect((await app.replies.all()).map((r) => r.id)).toEqual([id2]);
    expect(server.stored.has(id1)).toBe(true);

    server.setReachable(true);
    server.stored.delete(id2);
    await app.replies.remove((await app.replies.all()).find((r) => r.id === id2)!);
    await app.service.sendReplyChanges();
    expect(server.stored.size).toBe(0);
    expect(await app.replies.changes()).toEqual([]);
    expect(await app.replies.all()).toEqual([]);
  });
});
