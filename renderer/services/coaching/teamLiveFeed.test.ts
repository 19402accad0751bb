import { describe, expect, it } from 'vitest';
import type { TeamLive } from '../../../core/coaching/wire';
import type { SocketLike } from '../chat/chatSocket';
import { createTeamLiveFeeds } from './teamLiveFeed';

const teamId = '33333333-3333-4333-8333-333333333333';
const view = (presence: 'available' | 'busy'): TeamLive => ({
  team: { id: teamId, name: 'Team Berlin' },
  at: 1_000,
  members: [
    { id: '55555555-5555-4555-8555-555555555555', displayName: 'Jonas', role: 'agent', extension: '1003', presence, presenceSince: 900, call: null, openChats: 0, chats: [], hand: null, coach: null },
  ],
});

/** Fake sockets the test drives by hand; retry timers run when the test says. */
function world() {
  const sockets: (SocketLike & { sent: string[]; closed: boolean })[] = [];
  const timers: (() => void)[] = [];
  const heard: string[] = [];
  const feeds = createTeamLiveFeeds({
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
    log: () => {},
  });
  const stop = feeds.watch(teamId, {
    onLive: (live) => heard.push(`live:${live.members[0]!.presence}`),
    onAway: () => heard.push('away'),
    onRefused: (message) => heard.push(`refused:${message}`),
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const serverSays = (i: number, msg: object) => sockets[i]!.onmessage?.({ data: JSON.stringify(msg) });
  return { sockets, timers, heard, stop, settle, serverSays };
}

describe('team live feed', () => {
  it('authenticates, watches the team, and hands on every pushed view', async () => {
    const w = world();
    await w.settle();
    w.sockets[0]!.onopen?.({});
    expect(JSON.parse(w.sockets[0]!.sent[0]!)).toEqual({ type: 'auth', token: 'token-1' });
    w.serverSays(0, { type: 'ready' });
    expect(JSON.parse(w.sockets[0]!.sent[1]!)).toEqual({ type: 'watch', teamId });
    w.serverSays(0, { type: 'live', live: view('available') });
    w.serverSays(0, { type: 'live', live: view('busy') });
    // A message that breaks the contract is dropped, not shown.
    w.serverSays(0, { type: 'live', live: { team: { id: teamId } } });
    expect(w.heard).toEqual(['live:available', 'live:busy']);
    w.stop();
    expect(w.sockets[0]!.closed).toBe(true);
  });

  it('says when the socket is away, reconnects, and watches again', async () => {
    const w = world();
    await w.settle();
    w.sockets[0]!.onopen?.({});
    w.serverSays(0, { type: 'ready' });
    w.serverSays(0, { type: 'live', live: view('available') });
    w.sockets[0]!.onclose?.({ code: 1006 });
    expect(w.heard.at(-1)).toBe('away');
    w.timers.shift()!();
    await w.settle();
    w.sockets[1]!.onopen?.({});
    w.serverSays(1, { type: 'ready' });
    expect(JSON.parse(w.sockets[1]!.sent[1]!)).toEqual({ type: 'watch', teamId });
    w.serverSays(1, { type: 'live', live: view('busy') });
    expect(w.heard).toEqual(['live:available', 'away', 'live:busy']);
    w.stop();
  });

  it('stops trying when the server refuses the team', async () => {
    const w = world();
    await w.settle();
    w.sockets[0]!.onopen?.({});
    w.serverSays(0, { type: 'ready' });
    w.serverSays(0, { type: 'refused', teamId, message: 'You can only see teams you lead.' });
    w.sockets[0]!.onclose?.({ code: 1000 });
    expect(w.heard).toEqual(['refused:You can only see teams you lead.']);
    expect(w.timers).toHaveLength(0);
    w.stop();
  });
});
