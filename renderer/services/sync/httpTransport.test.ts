import { describe, expect, it, vi } from 'vitest';
import { attachBrowserTriggers, createHttpTransport, type PokeSocketLike } from './httpTransport';

function fakeSocket(): PokeSocketLike & { closed: boolean } {
  return { onopen: null, onmessage: null, onclose: null, onerror: null, closed: false, close() { this.closed = true; } };
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
