import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../core/wire/chat';
import { createChatSocket, type SocketLike } from './chatSocket';

function fakeSocket() {
  const sent: string[] = [];
  let closed = false;
  const ws: SocketLike = { onopen: null, onmessage: null, onclose: null, onerror: null, send: (d) => sent.push(d), close: () => (closed = true) };
  return { ws, sent, isClosed: () => closed, receive: (msg: unknown) => ws.onmessage?.({ data: JSON.stringify(msg) }) };
}

const typing = (conversationId: string, typing: boolean): ChatEvent => ({ type: 'typing', cursor: null, conversationId, who: 'customer', userId: null, typing });
const a = '11111111-1111-4111-8111-111111111111';
const b = '22222222-2222-4222-8222-222222222222';
const label = (id: string) => (id === a ? 'a' : 'b');
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('chat socket', () => {
  it('applies events that arrive during a slow apply together, in arrival order, after it', async () => {
    const fake = fakeSocket();
    const batches: string[][] = [];
    let release: () => void = () => {};
    const socket = createChatSocket({
      open: () => fake.ws,
      prepare: async () => ({ token: 't', cursor: 5 }),
      async onEvents(events) {
        batches.push(events.map((e) => `${label(e.conversationId)}:${String((e as { typing: boolean }).typing)}`));
        if (batches.length === 1) await new Promise<void>((r) => (release = r));
      },
      onConnected: () => {},
      setTimeout: () => () => {},
      log: () => {},
    });
    socket.start();
    await tick();
    fake.ws.onopen?.({});
    fake.receive({ type: 'ready' });
    expect(JSON.parse(fake.sent[1]!)).toEqual({ type: 'subscribe', cursor: 5 });
    fake.receive({ type: 'subscribed', cursor: 5 });
    fake.receive({ type: 'event', event: typing(a, true) });
    fake.receive({ type: 'event', event: typing(b, true) });
    fake.receive({ type: 'event', event: typing(a, false) });
    await tick();
    expect(batches).toEqual([['a:true']]);
    release();
    await tick();
    await tick();
    expect(batches).toEqual([['a:true'], ['b:true', 'a:false']]);
  });

  it('a batch that fails closes the socket so the next connection replays from the stored cursor', async () => {
    const fake = fakeSocket();
    const logs: string[] = [];
    const socket = createChatSocket({
      open: () => fake.ws,
      prepare: async () => ({ token: 't', cursor: null }),
      onEvents: async () => {
        throw new Error('disk full');
      },
      onConnected: () => {},
      setTimeout: () => () => {},
      log: (l) => logs.push(l),
    });
    socket.start();
    await tick();
    fake.ws.onopen?.({});
    fake.receive({ type: 'ready' });
    fake.receive({ type: 'event', event: typing(a, true) });
    await tick();
    expect(fake.isClosed()).toBe(true);
    expect(logs.join('\n')).toMatch(/disk full/);
  });
});
