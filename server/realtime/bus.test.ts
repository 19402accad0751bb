import { describe, expect, test } from 'vitest';
import { createInProcessBus } from './bus';
import { createRealtimeHub, defaultRealtimeOptions } from './hub';

const hubOn = (bus: ReturnType<typeof createInProcessBus>) =>
  createRealtimeHub({ ...defaultRealtimeOptions, now: Date.now, log: () => {}, bus, check: async () => new Map() });

describe('realtime bus', () => {
  test('a topic delivers once on the publishing instance (with its result) and once on every other instance', () => {
    const bus = createInProcessBus();
    const [a, b] = [hubOn(bus), hubOn(bus)];
    const seen: string[] = [];
    const onA = a.topic<{ n: number }, string>('t', ({ n }) => (seen.push(`a${n}`), `a${n}`));
    b.topic<{ n: number }, string>('t', ({ n }) => (seen.push(`b${n}`), `b${n}`));
    expect(onA({ n: 1 })).toBe('a1');
    expect(seen).toEqual(['a1', 'b1']);
    a.close();
    b.close();
  });

  test('a throwing subscriber does not stop the others; the error is reported', () => {
    const errors: string[] = [];
    const bus = createInProcessBus((topic) => errors.push(topic));
    const got: number[] = [];
    bus.subscribe('t', () => {
      throw new Error('boom');
    });
    bus.subscribe('t', (m) => void got.push(m as number));
    bus.publish('t', 7);
    expect(got).toEqual([7]);
    expect(errors).toEqual(['t']);
  });
});
