import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api';
import { CacheDb } from '../db/cacheDb';
import { createCallLogRepo } from '../db/callLogRepo';
import { OutboxDb } from '../db/outboxDb';
import type { CallLogRow } from '../db/rows';
import { uniqueName } from '../../../tests/support/renderer/dexieProbes';
import { callReportOf, createCallReportsRepo } from '../db/callReports';
import { createChatRepo } from '../db/chatRepo';
import { createChatService, type ChatHttp } from './chatService';
import { createRepliesRepo } from '../db/repliesRepo';
import { openUserDatabases } from '../db/userDatabases';
import type { OutboxDrainer } from '../outbox/outboxDrainer';
import { createUserSession } from '../session/userSession';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const ticketId = '00000000-0000-4000-8000-0000000000a1';
const logged = (over: Partial<CallLogRow> = {}): CallLogRow => ({
  id: 'c1k2', direction: 'inbound', remote: '+4930123456', startedAt: 1_000, durationMs: 95_000, outcome: 'answered', ticketId, ...over,
});

/** A /chat/calls server that records each report id once and can be switched off. */
function fakeServer() {
  const stored = new Map<string, unknown>();
  let posts = 0;
  let reachable = false;
  const http: ChatHttp = {
    getJson: async () => {
      throw new ApiError(404, 'not-found', 'no');
    },
    async postJson(_path, body) {
      if (!reachable) throw new ApiError(0, 'unreachable', 'offline');
      posts++;
      const b = body as { id: string; outcome: string };
      if (b.outcome === 'refused') throw new ApiError(400, 'bad-request', 'Invalid body');
      const duplicate = stored.has(b.id);
      stored.set(b.id, body);
      return { conversationId: '00000000-0000-4000-8000-0000000000c1', messageId: b.id, ticketId, duplicate };
    },
    deleteJson: async () => undefined,
    accessToken: () => 'token',
  };
  return { http, stored, posts: () => posts, setReachable: (r: boolean) => (reachable = r) };
}

const chatServiceOf = (cache: CacheDb, outbox: OutboxDb, http: ChatHttp, drainer?: OutboxDrainer) =>
  createChatService({
    userId: 'u1', repo: createChatRepo(cache, outbox), replies: createRepliesRepo(cache, outbox), calls: createCallReportsRepo(outbox), http,
    openSocket: () => ({ onopen: null, onmessage: null, onclose: null, onerror: null, send() {}, close() {} }),
    delegate: { onConnected() {}, onOffer() {}, onOfferGone() {}, onCustomerTyping() {}, onChanged() {} },
    newId: () => crypto.randomUUID(), now: () => 1_000, setTimeout: () => () => {}, log: () => {},
    ...(drainer ? { drainer } : {}),
  });

/** The chat service on one connection to each database (the user session's), with the call log on the same outbox connection. */
function openApp(name: string, http: ChatHttp) {
  const cache = new CacheDb(`${name}-cache`);
  const outbox = new OutboxDb(name);
  open.push(cache, outbox);
  return { service: chatServiceOf(cache, outbox, http), calls: createCallReportsRepo(outbox), callLog: createCallLogRepo(outbox), outbox };
}

describe('calls reported to the conversation history', () => {
  it('a call logged offline is kept with the log row, survives a restart and is recorded once when the server is back', async () => {
    const name = uniqueName('calls-outbox');
    const server = fakeServer();
    const first = openApp(name, server.http);
    await first.callLog.put(logged({ outcome: 'missed', durationMs: 0 }));
    // Wrap-up writes the row again: still one report, with the same id, now saying what wrap-up decided.
    await first.callLog.put(logged({ disposition: 'callback' }));
    await first.service.sendCallReports();
    const queued = await first.calls.pending();
    expect(queued.map((r) => [r.callId, r.report.outcome, r.report.disposition])).toEqual([['c1k2', 'answered', 'callback']]);
    expect(await first.outbox.callLog.count()).toBe(1);

    const second = openApp(name, server.http);
    server.setReachable(true);
    await second.service.sendCallReports();
    await second.service.sendCallReports();
    expect(server.posts()).toBe(1);
    expect([...server.stored.values()]).toEqual([expect.objectContaining({ id: queued[0]!.report.id, callId: 'c1k2', direction: 'inbound', remote: '+4930123456', ticketId })]);
    expect(await second.calls.pending()).toEqual([]);
  });

  it('a report the server refuses is kept as failed and does not hold up the next call', async () => {
    const server = fakeServer();
    server.setReachable(true);
    const app = openApp(uniqueName('calls-outbox'), server.http);
    await app.callLog.put(logged({ id: 'a', outcome: 'refused' }));
    await app.callLog.put(logged({ id: 'b', startedAt: 2_000 }));
    await app.service.sendCallReports();
    expect([...server.stored.values()]).toEqual([expect.objectContaining({ callId: 'b' })]);
    expect((await app.outbox.callReports.toArray()).map((r) => [r.callId, r.status, r.error])).toEqual([['a', 'failed', 'Invalid body']]);
  });

  it("a call the phone logs through the user session goes to the server by the outbox drainer's call-reports lane, with nothing else asking", async () => {
    const server = fakeServer();
    server.setReachable(true);
    const userId = uniqueName('calls-user');
    const session = createUserSession({ setTimeout: () => () => {}, log: () => {}, openDatabases: (id) => openUserDatabases(id) });
    // The chat part's service, on the session's connections and its one drainer (as services/chat/chatPart.ts starts it).
    session.register({ name: 'chat', start: ({ dbs, drainer }) => void chatServiceOf(dbs.cache, dbs.outbox, server.http, drainer), stop() {} });
    session.signedIn({ id: userId, username: 'agent', displayName: 'Agent', role: 'agent', teams: [], language: 'en', extension: null }, false);
    const { callLog, dbs } = session.current()!;
    open.push(dbs);
    await callLog.put(logged());
    await vi.waitFor(() => expect([...server.stored.values()]).toEqual([expect.objectContaining({ callId: 'c1k2', direction: 'inbound', remote: '+4930123456', ticketId })]));
    await vi.waitFor(async () => expect(await createCallReportsRepo(dbs.outbox).pendingCount()).toBe(0));
    expect(server.posts()).toBe(1);
    session.dispose();
  });

  it("makes a valid report of whatever the phone logged: outcome words, ids that are not the server's, no number", () => {
    const report = callReportOf(logged({ outcome: 'Remote Hangup!', remote: '  ', customerId: 'local-only', ticketId: 'pending-123' }), crypto.randomUUID());
    expect(report).toMatchObject({ outcome: 'remote-hangup', remote: 'unknown' });
    expect(report).not.toHaveProperty('customerId');
    expect(report).not.toHaveProperty('ticketId');
  });
});
