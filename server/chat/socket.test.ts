import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { ChatEvent, ChatSocketServerMessage } from '../../core/wire/chat';
import type { CustomerEvent, WidgetSocketServerMessage } from '../../core/wire/chatWidget';
import type { Person } from '../../tests/support/server/syncWorld';
import { type ChatWorld, type Customer, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';
import { listenForSockets } from '../../tests/support/server/loopback';

// A real listening server on loopback: app.inject cannot carry a WebSocket upgrade.
let w: ChatWorld;
let base: string;

beforeAll(async () => {
  w = await createChatWorld();
  base = await listenForSockets(w.app);
});
afterAll(async () => {
  await w?.close();
});

type Conn<T> = {
  socket: WebSocket;
  all: T[];
  next(): Promise<T>;
  /** Reads on from the last message read until one matches. */
  until(pred: (m: T) => boolean): Promise<T>;
  /** Resolves once any message received so far or later matches, whatever was read. */
  seen(pred: (m: T) => boolean): Promise<T>;
  closed: Promise<number>;
};

function connect<T>(path: string): Promise<Conn<T>> {
  const socket = new WebSocket(`${base}${path}`);
  const all: T[] = [];
  let read = 0;
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as T);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const next = async (): Promise<T> => {
    while (read >= all.length) await new Promise<void>((r) => waiters.push(r));
    return all[read++]!;
  };
  const until = async (pred: (m: T) => boolean): Promise<T> => {
    for (;;) {
      const m = await next();
      if (pred(m)) return m;
    }
  };
  const seen = async (pred: (m: T) => boolean): Promise<T> => {
    for (;;) {
      const hit = all.find(pred);
      if (hit) return hit;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, all, next, until, seen, closed }));
    socket.once('error', reject);
  });
}

async function agentSocket(who: Person, cursor: number | null): Promise<Conn<ChatSocketServerMessage>> {
  const conn = await connect<ChatSocketServerMessage>('/chat/socket');
  conn.socket.send(JSON.stringify({ type: 'auth', token: who.token }));
  expect(await conn.next()).toEqual({ type: 'ready' });
  conn.socket.send(JSON.stringify({ type: 'subscribe', cursor }));
  return conn;
}

async function customerSocket(c: Customer, cursor: number | null = null): Promise<Conn<WidgetSocketServerMessage>> {
  const conn = await connect<WidgetSocketServerMessage>('/widget/socket');
  conn.socket.send(JSON.stringify({ type: 'auth', sessionToken: c.token, cursor }));
  expect((await conn.next()).type).toBe('ready');
  return conn;
}

const events = (conn: Conn<ChatSocketServerMessage>): ChatEvent[] => conn.all.flatMap((m) => (m.type === 'event' ? [m.event] : []));
const customerEvents = (conn: Conn<WidgetSocketServerMessage>): CustomerEvent[] => conn.all.flatMap((m) => (m.type === 'event' ? [m.event] : []));
const agentSend = (who: Person, conversationId: string, body: string, kind: 'text' | 'note' = 'text') =>
  w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/messages`, headers: who.auth, payload: { id: randomUUID(), body, kind } });
const customerSend = (c: Customer, body: string) => w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body } });

describe('agent socket', () => {
  test("a team reply written by the team's lead pokes that team's sockets to refetch the library, not another team's", async () => {
    const anna = await agentSocket(w.anna, null);
    const zed = await agentSocket(w.zed, null);
    await anna.until((m) => m.type === 'subscribed');
    await zed.until((m) => m.type === 'subscribed');
    const body = { teamId: w.teamA, category: 'shipping', shortcut: `poke-${randomUUID().slice(0, 8)}`, title: 'Poke', bodies: { en: 'Hi {{customer.name}}' } };
    expect((await w.app.inject({ method: 'POST', url: '/quick-replies', headers: w.lead.auth, payload: body })).statusCode).toBe(200);
    expect(await anna.until((m) => m.type === 'replies-changed')).toEqual({ type: 'replies-changed' });
    // Zed's socket stays quiet about it: a later event of zed's own reaches zed first.
    const own = { ...body, teamId: null, shortcut: `own-${randomUUID().slice(0, 8)}` };
    expect((await w.app.inject({ method: 'POST', url: '/quick-replies', headers: w.zed.auth, payload: own })).statusCode).toBe(200);
    await zed.until((m) => m.type === 'replies-changed');
    expect(zed.all.filter((m) => m.type === 'replies-changed')).toHaveLength(1);
    anna.socket.close();
    zed.socket.close();
  });

  test('bad token is refused with 4401; no auth in time with 4408', async () => {
    const bad = await connect<unknown>('/chat/socket');
    bad.socket.send(JSON.stringify({ type: 'auth', token: 'not-a-real-token-at-all' }));
    expect(await bad.closed).toBe(4401);
    const silent = await connect<unknown>('/chat/socket');
    expect(await silent.closed).toBe(4408);
  });

  test('a reconnect resumes from the cursor: every event after it once, in order, then live ones', async () => {
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w, { name: 'Resume', language: 'en' });
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: w.anna.auth });
    const first = await agentSocket(w.anna, 0);
    const subscribed = await first.until((m) => m.type === 'subscribed');
    const seen = events(first);
    expect(seen.map((e) => e.type)).toContain('assignment');
    const cursorAtDrop = subscribed.type === 'subscribed' ? subscribed.cursor : 0;
    first.socket.close();
    await first.closed;

    // While the agent is away: the customer writes three times, concurrently with a teammate's note.
    await Promise.all([customerSend(c, 'a'), customerSend(c, 'b'), customerSend(c, 'c'), agentSend(w.bo, c.conversationId, 'note', 'note')]);
    const second = await agentSocket(w.anna, cursorAtDrop);
    // Live events racing the replay: they must come after it, once.
    const racing = customerSend(c, 'd');
    await second.until((m) => m.type === 'subscribed');
    await racing;
    await second.seen((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'd');
    const replayed = events(second);
    const cursors = replayed.map((e) => e.cursor as number);
    expect(cursors.every((x) => x > cursorAtDrop)).toBe(true);
    expect(cursors).toEqual([...new Set(cursors)].sort((a, b) => a - b));
    const bodies = replayed.flatMap((e) => (e.type === 'message' ? [e.message.body] : []));
    expect([...bodies].sort()).toEqual(['a', 'b', 'c', 'd', 'note']);
    second.socket.close();
  });

  test("another team's agent gets none of it", async () => {
    const zed = await agentSocket(w.zed, 0);
    await zed.until((m) => m.type === 'subscribed');
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w, { name: 'Private', language: 'en' });
    await customerSend(c, 'secret');
    // A zh chat is zed's: once it arrives, anything of the English chat would have arrived before it.
    await setPresence(w, w.zed, 'available');
    await startChat(w, { name: '李', language: 'zh-CN' });
    await zed.until((m) => m.type === 'event' && m.event.type === 'assignment');
    expect(events(zed).some((e) => e.conversationId === c.conversationId)).toBe(false);
    zed.socket.close();
  });
});

describe('customer socket', () => {
  test('never carries internal notes or coach whispers; does carry agent text, typing, receipts and the close', async () => {
    await setPresence(w, w.bo, 'available');
    await w.db.query("update agent_presence set presence = 'offline' where user_id <> $1", [w.bo.id]);
    const c = await startChat(w, { name: 'Notes', language: 'en' });
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: w.bo.auth });
    const customer = await customerSocket(c);
    const agent = await agentSocket(w.bo, null);
    await agent.until((m) => m.type === 'subscribed');

    await agentSend(w.bo, c.conversationId, 'INTERNAL: customer is angry', 'note');
    await agentSend(w.lead, c.conversationId, 'COACH: offer the voucher', 'note');
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/typing`, headers: w.bo.auth, payload: { typing: true } });
    await agentSend(w.bo, c.conversationId, 'Hello, how can I help?');
    await customer.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'Hello, how can I help?');

    // Typing the other way, and the agent's read receipt.
    await w.app.inject({ method: 'POST', url: '/widget/typing', headers: c.auth, payload: { typing: true } });
    await agent.until((m) => m.type === 'event' && m.event.type === 'typing' && m.event.who === 'customer');
    const sent = await customerSend(c, 'My parcel is late');
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/read`, headers: w.bo.auth, payload: { upToSeq: sent.json<{ seq: number }>().seq } });
    await customer.until((m) => m.type === 'event' && m.event.type === 'read');
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/close`, headers: w.bo.auth });
    await customer.until((m) => m.type === 'event' && m.event.type === 'state' && m.event.state === 'closed');

    const wire = customer.all.map((m) => JSON.stringify(m)).join('\n');
    expect(wire).not.toContain('INTERNAL');
    expect(wire).not.toContain('COACH');
    expect(wire).not.toContain('"offer"');
    const got = customerEvents(customer);
    expect(got.find((e) => e.type === 'typing')).toMatchObject({ typing: true, agentName: 'bo' });
    expect(got.filter((e) => e.type === 'state').pop()).toMatchObject({ state: 'closed', surveyRequested: true, agentName: 'bo' });
    // The agent's own view does hold the note.
    expect(events(agent).some((e) => e.type === 'message' && e.message.body.startsWith('INTERNAL'))).toBe(true);

    // Reloading the widget: the history over HTTP is filtered the same way.
    const page = await w.app.inject({ method: 'GET', url: '/widget/conversation', headers: c.auth });
    expect(page.body).not.toContain('INTERNAL');
    expect(page.body).not.toContain('COACH');
    customer.socket.close();
    agent.socket.close();
  });

  test('a customer reconnecting with its cursor gets what it missed, once', async () => {
    await setPresence(w, w.bo, 'available');
    const c = await startChat(w, { name: 'Flaky WiFi', language: 'en' });
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: w.bo.auth });
    const first = await customerSocket(c, 0);
    await agentSend(w.bo, c.conversationId, 'one');
    await first.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'one');
    const cursor = Math.max(...customerEvents(first).map((e) => e.cursor ?? 0));
    first.socket.close();
    await first.closed;
    await agentSend(w.bo, c.conversationId, 'two');
    await agentSend(w.bo, c.conversationId, 'three');
    const second = await customerSocket(c, cursor);
    await second.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'three');
    const bodies = customerEvents(second).flatMap((e) => (e.type === 'message' ? [e.message.body] : []));
    expect(bodies).toEqual(['two', 'three']);
    second.socket.close();
  });
});

describe('sync poke', () => {
  test('chat writes to the ticket (accept, close, survey) poke the team\'s sync sockets so their ticket lists pull', async () => {
    const poke = await connect<{ type: string; version?: number }>('/sync/poke');
    poke.socket.send(JSON.stringify({ type: 'auth', token: w.bo.token, clientId: randomUUID() }));
    expect(await poke.next()).toEqual({ type: 'ready' });
    await setPresence(w, w.anna, 'available');
    const c = await startChat(w, { name: 'Poked', language: 'en' });
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: w.anna.auth });
    const first = await poke.until((m) => m.type === 'poke');
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/close`, headers: w.anna.auth });
    await w.app.inject({ method: 'POST', url: '/widget/survey', headers: c.auth, payload: { liked: 'quick', score: 5 } });
    const { rows } = await w.db.query<{ version: string }>('select t.version from conversations c join tickets t on t.id = c.ticket_id where c.id = $1', [c.conversationId]);
    const last = await poke.until((m) => m.type === 'poke' && (m.version ?? 0) >= Number(rows[0]!.version));
    expect(last.version).toBeGreaterThan(first.version!);
    poke.socket.close();
  });
});

