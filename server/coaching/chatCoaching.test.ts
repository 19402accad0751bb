import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { ChatSocketServerMessage, Conversation, Message } from '../../core/wire/chat';
import type { WidgetSocketServerMessage } from '../../core/wire/chatWidget';
import { type ChatWorld, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';
import type { Person } from '../../tests/support/server/syncWorld';
import { listenForSockets } from '../../tests/support/server/loopback';

// Chat coaching over real sockets on loopback: the lead's whisper reaches the agent and never the
// customer's widget (asserted on the wire), and a takeover moves the chat and tells the agent.
let w: ChatWorld;
let base: string;

beforeAll(async () => {
  w = await createChatWorld();
  base = await listenForSockets(w.app);
});
afterAll(async () => {
  await w?.close();
});

type Conn<T> = { socket: WebSocket; all: T[]; seen(pred: (m: T) => boolean): Promise<T> };

async function connect<T>(path: string, first: unknown): Promise<Conn<T>> {
  const socket = new WebSocket(`${base}${path}`);
  const all: T[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as T);
    for (const wake of waiters.splice(0)) wake();
  });
  const seen = async (pred: (m: T) => boolean): Promise<T> => {
    for (;;) {
      const hit = all.find(pred);
      if (hit) return hit;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify(first));
  await seen((m) => (m as { type: string }).type === 'ready');
  return { socket, all, seen };
}

const send = (who: Person, conversationId: string, body: string, kind: 'text' | 'note' = 'text') =>
  w.app.inject({ method: 'POST', url: `/chat/conversations/${conversationId}/messages`, headers: who.auth, payload: { id: randomUUID(), body, kind } });

describe('chat coaching', () => {
  test('a whisper reaches only the agent; a takeover reassigns the chat to the lead and the agent is told', async () => {
    await setPresence(w, w.anna, 'available');
    await w.db.query("update agent_presence set presence = 'offline' where user_id <> $1", [w.anna.id]);
    const c = await startChat(w, { name: 'Coached', language: 'en' });
    expect((await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: w.anna.auth })).statusCode).toBe(200);
    const agent = await connect<ChatSocketServerMessage>('/chat/socket', { type: 'auth', token: w.anna.token });
    agent.socket.send(JSON.stringify({ type: 'subscribe', cursor: null }));
    await agent.seen((m) => m.type === 'subscribed');
    const customer = await connect<WidgetSocketServerMessage>('/widget/socket', { type: 'auth', sessionToken: c.token, cursor: null });

    // The lead reads the live chat and whispers: a note, marked as coaching.
    const detail = await w.app.inject({ method: 'GET', url: `/chat/conversations/${c.conversationId}`, headers: w.lead.auth });
    expect(detail.statusCode).toBe(200);
    const whisper = await send(w.lead, c.conversationId, 'WHISPER: offer the voucher', 'note');
    expect(whisper.json<Message>()).toMatchObject({ kind: 'note', author: 'coach' });
    await agent.seen((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body.startsWith('WHISPER'));
    // Reading the chat does not let the lead write to the customer while the agent has it.
    expect((await send(w.lead, c.conversationId, 'hello from the lead')).statusCode).toBe(403);

    // Only a lead takes over; an agent of the team may not.
    const byAgent = await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/takeover`, headers: w.bo.auth });
    expect(byAgent.statusCode).toBe(403);
    const taken = await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/takeover`, headers: w.lead.auth });
    expect(taken.statusCode).toBe(200);
    expect(taken.json<Conversation>()).toMatchObject({ state: 'active', assigneeId: w.lead.id });
    await agent.seen((m) => m.type === 'event' && m.event.type === 'assignment' && m.event.previousAssigneeId === w.anna.id);
    await agent.seen((m) => m.type === 'event' && m.event.type === 'message' && /Taken over by/.test(m.event.message.body));

    // Now the lead talks to the customer and the agent no longer can.
    expect((await send(w.anna, c.conversationId, 'still me?')).statusCode).toBe(403);
    expect((await send(w.lead, c.conversationId, 'LEAD: I will take it from here')).statusCode).toBe(200);
    await customer.seen((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body.startsWith('LEAD'));

    const wire = customer.all.map((m) => JSON.stringify(m)).join('\n');
    expect(wire).not.toContain('WHISPER');
    expect(wire).not.toContain('"coach"');
    agent.socket.close();
    customer.socket.close();
  });
});
