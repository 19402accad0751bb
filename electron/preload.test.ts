import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { bridgeGlobal, bridgeName, invoke, type Bridge, type InvokeChannel } from '../core/ipc';

const exposed = vi.hoisted(() => ({ name: '', api: null as unknown }));
const renderer = vi.hoisted(() => ({ emitter: null as EventEmitter | null, invoke: null as ReturnType<typeof vi.fn> | null }));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const emitter = new EventEmitter();
  renderer.emitter = emitter;
  renderer.invoke = vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } }));
  return {
    contextBridge: {
      exposeInMainWorld: (name: string, api: unknown) => {
        exposed.name = name;
        exposed.api = api;
      },
    },
    ipcRenderer: {
      invoke: renderer.invoke,
      on: (event: string, l: (...a: unknown[]) => void) => emitter.on(event, l),
      removeListener: (event: string, l: (...a: unknown[]) => void) => emitter.removeListener(event, l),
    },
  };
});

await import('./preload');
const bridge = exposed.api as Bridge;
const emit = (event: string, payload: unknown) => renderer.emitter!.emit(event, { sender: 'secret' }, payload);

describe('preload bridge', () => {
  it('exposes exactly one named function per contract channel, plus on, and nothing generic', () => {
    expect(exposed.name).toBe(bridgeGlobal);
    const expected = [...(Object.keys(invoke) as InvokeChannel[]).map((c) => bridgeName(c)), 'on'].sort();
    expect(Object.keys(bridge).sort()).toEqual(expected);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge).not.toHaveProperty('send');
    expect(bridge).not.toHaveProperty('invoke');
  });

  it('each function invokes its own channel', async () => {
    expect(await bridge.secretsGet('sip.password')).toEqual({ ok: true, value: { channel: 'secrets:get', args: ['sip.password'] } });
    expect(await bridge.shellOpenExternal('https://x.example/')).toMatchObject({ value: { channel: 'shell:open-external' } });
  });

  it('turns a missing main handler into an unavailable result instead of a rejection', async () => {
    renderer.invoke!.mockRejectedValueOnce(new Error("No handler registered for 'tray:set-presence'"));
    expect(await bridge.traySetPresence('busy')).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('on() accepts only contract events, passes only the payload, and unsubscribes', () => {
    const listener = vi.fn();
    const off = bridge.on('power:resumed', listener);
    emit('power:resumed', null);
    expect(listener).toHaveBeenCalledWith(null);
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    emit('power:resumed', null);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(() => bridge.on('secrets:get' as never, listener)).toThrow(TypeError);
    expect(() => bridge.on('__proto__' as never, listener)).toThrow(TypeError);
  });

  it('holds a dial link that arrived before the page subscribed and delivers it once', async () => {
    emit('app:dial-request', { target: '+4930123', source: 'link' });
    const first = vi.fn();
    const off = bridge.on('app:dial-request', first);
    await Promise.resolve();
    expect(first).toHaveBeenCalledWith({ target: '+4930123', source: 'link' });
    const second = vi.fn();
    bridge.on('app:dial-request', second);
    await Promise.resolve();
    expect(second).not.toHaveBeenCalled();
    emit('app:dial-request', { target: '1001', source: 'link' });
    expect(first).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledWith({ target: '1001', source: 'link' });
    off();
  });
});
