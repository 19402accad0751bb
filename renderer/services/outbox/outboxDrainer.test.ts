import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../core/backoff';
import { createOutboxDrainer, type OutboxLane } from './outboxDrainer';

function manualTimers() {
  const due: Array<{ fn: () => void; ms: number }> = [];
  return { due, setTimeout: (fn: () => void, ms: number) => (due.push({ fn, ms }), () => void due.splice(due.findIndex((d) => d.fn === fn), 1)) };
}

describe('outbox drainer', () => {
  it('runs one round per lane at a time; a kick during a round runs it once more after', async () => {
    const timers = manualTimers();
    const drainer = createOutboxDrainer({ setTimeout: timers.setTimeout, log: () => {} });
    let rounds = 0;
    let release: () => void = () => {};
    const lane: OutboxLane = { name: 'a', drainOnce: () => new Promise((r) => ((release = () => r('done')), rounds++)) };
    drainer.addLane(lane);
    const first = drainer.drain('a');
    void drainer.drain('a');
    void drainer.drain('a');
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await first;
    expect(rounds).toBe(2);
  });

  it('network trouble in any lane schedules one shared retry of every lane, after the backoff', async () => {
    const timers = manualTimers();
    const drainer = createOutboxDrainer({ setTimeout: timers.setTimeout, log: () => {}, backoff: createBackoff({ baseMs: 1_000, maxMs: 30_000, random: () => 0.5 }) });
    const seen: string[] = [];
    let aFails = true;
    drainer.addLane({ name: 'a', drainOnce: async () => (seen.push('a'), aFails ? 'retry' : 'done') });
    drainer.addLane({ name: 'b', drainOnce: async () => (seen.push('b'), 'retry') });
    await drainer.nudge();
    expect(seen).toEqual(['a', 'b']);
    expect(timers.due.map((d) => d.ms)).toEqual([500]);
    aFails = false;
    timers.due.shift()!.fn();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
    drainer.stop();
    expect(timers.due).toEqual([]);
  });

  it("a lane's 'again' runs it once more at once with the kicks made meanwhile folded in, and a failing lane hears when the shared retry is due", async () => {
    const timers = manualTimers();
    let clock = 10_000;
    const drainer = createOutboxDrainer({ setTimeout: timers.setTimeout, now: () => clock, log: () => {}, backoff: createBackoff({ baseMs: 1_000, maxMs: 30_000, random: () => 0.5 }) });
    const outcomes: Array<'done' | 'again' | 'retry'> = ['again', 'done'];
    let rounds = 0;
    const retries: number[] = [];
    drainer.addLane({
      name: 'sync',
      drainOnce: async () => {
        rounds++;
        if (rounds === 1) void drainer.drain('sync');
        return outcomes.shift() ?? 'retry';
      },
      retrying: (at) => retries.push(at),
    });
    await drainer.drain('sync');
    // 'again' ran one more round; the kick made during the first was served by it, not by a third.
    expect(rounds).toBe(2);
    expect(timers.due).toEqual([]);
    clock = 20_000;
    await drainer.drain('sync');
    expect(rounds).toBe(3);
    expect(timers.due.map((d) => d.ms)).toEqual([500]);
    expect(retries).toEqual([20_500]);
    drainer.stop();
  });
});
