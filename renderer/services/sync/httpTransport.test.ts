import { describe, expect, it, vi } from 'vitest';
import { attachBrowserTriggers, createHttpTransport, type PokeSocketLike } from './httpTransport';

function fakeSocket(): PokeSocketLike & { closed: boolean; sent: string[] } {
  const sent: string[] = [];
  return { onopen: null, onmessage: null, onclose: null, onerror: null, closed: false, sent, close() { this.closed = true; }, send: (d: string) => void sent.push(d) };
}

describe('http transport', () => {
  it('posts to the sync routes', async () => {
    const postJson = vi.fn(async () => ({ ok: 1 }));
    const t = createHttpTransport({ postJson, openWebSocket: fakeSocket });
    await t.pull({ clientId: '5a1c2f3e-0000-4000-8000-000000000001', cursor: null });
    expect(postJson).toHaveBeenCalledWith('/sync/pull', { clientId: '5a1c2f3e-0000-4000-8000-000000000001', cursor: null });
  });

  it('turns poke messages into pulls, ignores junk, and reports close once', () => {
    const ws = fakeSocket();
    const log = vi.fn();
    const t = createHttpTransport({ postJson: vi.fn(), openWebSocket: () => ws, log });
    const h = { onOpen: vi.fn(), onPoke: vi.fn(), onClose: vi.fn() };
    t.openPokeSocket(h);
    ws.onopen?.({});
    ws.onmessage?.({ data: '{"type":"poke"}' });
    ws.onmessage?.({ data: '{not json' });
    ws.onmessage?.({ data: '{"type":"exec","cmd":"rm"}' });
    ws.onerror?.({});
    ws.onclose?.({});
    expect([h.onOpen.mock.calls.length, h.onPoke.mock.calls.length, h.onClose.mock.calls.length]).toEqual([1, 1, 1]);
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('reports a 4401 close (token expired, session ended) as unauthorized, any other close plainly', () => {
    const closes: unknown[] = [];
    for (const code of [4401, 1006, 4403]) {
      const ws = fakeSocket();
      const t = createHttpTransport({ postJson: vi.fn(), openWebSocket: () => ws });
      t.openPokeSocket({ onOpen: vi.fn(), onPoke: vi.fn(), onClose: (reason) => closes.push(reason) });
      ws.onclose?.({ code });
    }
    expect(closes).toEqual(['unauthorized', undefined, undefined]);
  });

  it('authenticates the poke socket with its first message and reports it open only when the server is ready', () => {
    const ws = fakeSocket();
    const t = createHttpTransport({ postJson: vi.fn(), openWebSocket: () => ws, accessToken: () => 'access-token-123', clientId: () => '5a1c2f3e-0000-4000-8000-000000000001' });
    const h = { onOpen: vi.fn(), onPoke: vi.fn(), onClose: vi.fn() };
    t.openPokeSocket(h);
    ws.onopen?.({});
    expect(ws.sent.map((d) => JSON.parse(d) as unknown)).toEqual([{ type: 'auth', token: 'access-token-123', clientId: '5a1c2f3e-0000-4000-8000-000000000001' }]);
    expect(h.onOpen).not.toHaveBeenCalled();
    ws.onmessage?.({ data: '{"type":"ready"}' });
    ws.onmessage?.({ data: '{"type":"poke","version":42}' });
    expect([h.onOpen.mock.calls.length, h.onPoke.mock.calls.length]).toEqual([1, 1]);
  });

  it('closes the poke socket instead of opening it unauthenticated when there is no token', () => {
    const ws = fakeSocket();
    const t = createHttpTransport({ postJson: vi.fn(), openWebSocket: () => ws, accessToken: () => null });
    const h = { onOpen: vi.fn(), onPoke: vi.fn(), onClose: vi.fn() };
    t.openPokeSocket(h);
    ws.onopen?.({});
    expect([ws.closed, ws.sent.length, h.onOpen.mock.calls.length]).toEqual([true, 0, 0]);
  });
});

describe('browser triggers', () => {
  it('retries on online and focus, shows offline, and detaches', () => {
    const listeners = new Map<string, () => void>();
    const win = { addEventListener: (t: string, f: () => void) => void listeners.set(t, f), removeEventListener: (t: string) => void listeners.delete(t) };
    const engine = { onOnline: vi.fn(), onOffline: vi.fn(), onFocus: vi.fn() };
    const detach = attachBrowserTriggers(engine, win);
    listeners.get('online')?.();
    listeners.get('focus')?.();
    listeners.get('offline')?.();
    expect([engine.onOnline.mock.calls.length, engine.onFocus.mock.calls.length, engine.onOffline.mock.calls.length]).toEqual([1, 1, 1]);
    detach();
    expect(listeners.size).toBe(0);
  });
});
