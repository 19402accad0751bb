import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinger } from './keepalive';

describe('OPTIONS pinger', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = (ping: () => Promise<void>) => {
    const onDead = vi.fn();
    const p = createPinger({ ping, onDead, intervalMs: 15_000, timeoutMs: 10_000, setTimer: (fn, ms) => setTimeout(fn, ms), clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) });
    return { p, onDead };
  };

  it('keeps pinging while the server answers', async () => {
    const ping = vi.fn(() => Promise.resolve());
    const { p, onDead } = make(ping);
    p.start();
    await vi.advanceTimersByTimeAsync(46_000);
    expect(ping).toHaveBeenCalledTimes(3);
    expect(onDead).not.toHaveBeenCalled();
  });

  it('declares the connection dead within 25 s when the server goes silent', async () => {
    const { p, onDead } = make(() => new Promise<void>(() => undefined));
    p.start();
    await vi.advanceTimersByTimeAsync(25_000);
    expect(onDead).toHaveBeenCalledWith('OPTIONS ping unanswered for 10000 ms');
  });

  it('reports a transport error at once', async () => {
    const { p, onDead } = make(() => Promise.reject(new Error('socket closed')));
    p.start();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(onDead).toHaveBeenCalledWith('OPTIONS ping failed: socket closed');
  });

  it('says nothing after stop', async () => {
    const { p, onDead } = make(() => new Promise<void>(() => undefined));
    p.start();
    await vi.advanceTimersByTimeAsync(16_000);
    p.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(onDead).not.toHaveBeenCalled();
  });
});
