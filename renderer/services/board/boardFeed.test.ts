import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../../core/wire/board';
import type { SocketLike } from '../chat/chatSocket';
import { type BoardFeed, createBoardFeeds } from './boardFeed';

const teamId = '33333333-3333-4333-8333-333333333333';
const snapshot = (waiting: number, at: number): BoardSnapshot => ({
  team: { id: teamId, name: 'Team Berlin', timeZone: 'Europe/Berlin' },
  answerTargetSeconds: 60,
  wrapUpLimitSeconds: null,
  at,
  queues: [{ id: '44444444-4444-4444-8444-444444444444', name: 'English', waiting, oldestSince: null, answeredHour: 0, withinTargetHour: 0, abandonedHour: 0 }],
  agents: [],
  today: { date: '2026-03-02', offered: waiting, answered: 0, answeredWithinTarget: 0, handled: 0, abandoned: 0, averageAnswerSeconds: null },
});

/** Fake sockets the test drives by hand; timers run when the test says. */
function world() {
  const sockets: (SocketLike & { sent: string[]; closed: boolean })[] = [];
  const timers: (() => void)[] = [];
  const feeds: BoardFeed[] = [];
  const boards = createBoardFeeds({
    open: () => {
      const s = { onopen: null, onmessage: null, onclose: null, onerror: null, sent: [] as string[], closed: false, send: (d: string) => void s.sent.push(d), close: () => void (s.closed = true) };
      sockets.push(s);
      return s;
    },
    token: async () => 'token-1',
    setTimeout: (fn) => {
      timers.push(fn);
      return () => {};
    },
    now: () => 1_000,
    log: () => {},
  });
  const stop = boards.watch(teamId, (f) => feeds.push(f));
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const serverSays = (i: number, msg: object) => sockets[i]!.onmessage?.({ data: JSON.stringify(msg) });
  return { sockets, timers, feeds, stop, settle, serverSays, last: () => feeds.at(-1)! };
}

describe('wallboard feed', () => {
  it('authenticates first, watches the team, then applies only the parts an update carries', async () => {
    const w = world();
    await w.settle();
    w.sockets[0]!.onopen?.({});
    expect(JSON.parse(w.sockets[0]!.sent[0]!)).toEqual({ type: 'auth', token: 'token-1' });
    w.serverSays(0, { type: 'ready' });
    expect(JSON.parse(w.sockets[0]!.sent[1]!)).toEqual({ type: 'watch', teamId });
    w.serverSays(0, { type: 'snapshot', snapshot: snapshot(2, 1_500) });
    expect(w.last()).toMatchObject({ live: true, skewMs: 500 });
    w.serverSays(0, { type: 'update', teamId, at: 1_600, today: { ...snapshot(9, 0).today } });
    expect(w.last().snapshot!.today.offered).toBe(9);
    // The queues were not in the update: they stay as the snapshot had them.
    expect(w.last().snapshot!.queues[0]!.waiting).toBe(2);
    w.stop();
  });

  it('shows the figures as not live while away, and starts again from a fresh snapshot after reconnecting', async () => {
    const w = world();
    await w.settle();
    w.sockets[0]!.onopen?.({});
    w.serverSays(0, { type: 'ready' });
    w.serverSays(0, { type: 'snapshot', snapshot: snapshot(2, 1_000) });
    w.sockets[0]!.onclose?.({ code: 1006 });
    expect(w.last()).toMatchObject({ live: false });
    expect(w.last().snapshot!.queues[0]!.waiting).toBe(2);
    w.timers.shift()!();
    await w.settle();
    expect(w.sockets).toHaveLength(2);
    w.sockets[1]!.onopen?.({});
    w.serverSays(1, { type: 'ready' });
    w.serverSays(1, { type: 'snapshot', snapshot: snapshot(5, 1_000) });
    expect(w.last()).toMatchObject({ live: true });
    expect(w.last().snapshot!.queues[0]!.waiting).toBe(5);
    w.stop();
    expect(w.sockets[1]!.closed).toBe(true);
  });

  it('stops trying when the server refuses the team', async () => {
    const w = world();
    await w.settle();
    w.sockets[0]!.onopen?.({});
    w.serverSays(0, { type: 'ready' });
    w.serverSays(0, { type: 'refused', teamId, message: 'You can only watch teams you lead.' });
    expect(w.last()).toMatchObject({ refused: 'You can only watch teams you lead.', snapshot: null });
    w.sockets[0]!.onclose?.({ code: 1000 });
    expect(w.timers).toHaveLength(0);
    w.stop();
  });
});
