import { describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../../core/diagnostics/parts';
import { createLogger } from './logger';

const manualTimers = () => {
  const due: Array<() => void> = [];
  return { setTimer: (fn: () => void) => void due.push(fn), run: () => due.splice(0).forEach((f) => f()) };
};

describe('renderer logger', () => {
  it('redacts at capture: the viewer, the console and the host never see the secret', async () => {
    const sink = vi.fn(async (_entries: LogEntry[]) => undefined);
    const printed: string[] = [];
    const timers = manualTimers();
    const logger = createLogger({ sink, console: { error: (l: string) => printed.push(l), warn: (l: string) => printed.push(l), info: (l: string) => printed.push(l), debug: () => {} }, setTimer: timers.setTimer, knownSecrets: () => ['live-access-token-1'] });
    logger.log('[api] login failed for agent4 password=switchboard');
    logger.log('[chat] socket url wss://x/ws?token=abc&cursor=5 with live-access-token-1');
    timers.run();
    await logger.flush();
    const seen = [...logger.entries().map((e) => e.line), ...printed, ...sink.mock.calls.flatMap(([b]) => b.map((e) => e.line))].join('\n');
    expect(seen).not.toContain('switchboard');
    expect(seen).not.toContain('token=abc');
    expect(seen).not.toContain('live-access-token-1');
    expect(seen).toContain('cursor=5');
    expect(logger.entries().map((e) => e.level)).toEqual(['warn', 'info']);
  });

  it('keeps only the newest entries in the ring and only levels the policy allows', () => {
    const logger = createLogger({ console: null, capacity: 3, setTimer: () => {} });
    logger.setLevel('warn');
    logger.write('info', 'dropped by level');
    for (let i = 0; i < 5; i++) logger.write('error', `e${i}`);
    expect(logger.entries().map((e) => e.line)).toEqual(['e2', 'e3', 'e4']);
    // The same array until something changes, so React's useSyncExternalStore does not loop.
    expect(logger.entries()).toBe(logger.entries());
  });

  it('hands the host batches of at most 200 and survives a host that fails', async () => {
    const batches: number[] = [];
    const sink = vi.fn(async (entries: LogEntry[]) => {
      batches.push(entries.length);
      if (batches.length === 1) throw new Error('main is restarting');
    });
    const logger = createLogger({ console: null, sink, setTimer: () => {} });
    for (let i = 0; i < 450; i++) logger.write('info', `line ${i}`);
    await logger.flush();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(450);
    expect(Math.max(...batches)).toBeLessThanOrEqual(200);
  });

  it('cuts a huge line instead of storing it whole', () => {
    const logger = createLogger({ console: null, setTimer: () => {} });
    logger.write('info', 'x '.repeat(50_000));
    expect(logger.entries()[0]!.line.length).toBeLessThanOrEqual(4000);
  });
});
