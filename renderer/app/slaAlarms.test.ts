// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { Alarm } from '../../core/wire/sla';
import { createAppStore } from '../stores/appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';
import type { SocketLike } from '../services/chat/chatSocket';
import type { UserSessionContext } from '../services/session/userSession';
import { createSlaPart } from '../services/sla/slaPart';

const alarm = (id: string, over: Partial<Alarm> = {}): Alarm => ({
  id,
  level: 'warning',
  timerKind: 'first_response',
  ticketId: `t-${id}`,
  ticketNumber: 1042,
  subject: 'Chat with Mia',
  teamId: 'berlin',
  teamName: 'Team Berlin',
  teamTimeZone: 'Europe/Berlin',
  assigneeName: null,
  raisedAt: 1_000,
  dueAt: 2_000,
  targetSeconds: 60,
  warnPercent: 80,
  acknowledgedAt: null,
  acknowledgedByName: null,
  ...over,
});

/** The slaPart wired to a real store as in compose.ts, over a fake socket and a fake list endpoint. */
function setup() {
  const { deps, host, api } = fakeDeps();
  const store = createAppStore(deps);
  let listed: Alarm[] = [];
  api.getJson.mockImplementation(async () => ({ alarms: listed }));
  const sockets: SocketLike[] = [];
  const part = createSlaPart({
    api: deps.api,
    host: deps.host,
    baseUrl: 'http://127.0.0.1',
    win: window,
    log: () => {},
    openSocket: () => {
      const s: SocketLike = { onopen: null, onmessage: null, onclose: null, onerror: null, send: vi.fn(), close: vi.fn() };
      sockets.push(s);
      return s;
    },
    delegate: {
      onList: (a) => store.getState().setAlarms(a),
      onAlarm: (a) => store.getState().alarmArrived(a),
      onUpdated: (a) => store.getState().alarmUpdated(a),
      onConnected: (c) => store.getState().setAlarmsConnected(c),
      onSignedOut: () => store.getState().clearAlarms(),
      soundOn: () => false,
      notice: (a) => ({ title: `alarm ${a.id}`, body: a.subject }),
    },
  });
  const connect = async () => {
    await vi.waitFor(() => expect(sockets.length).toBeGreaterThan(0));
    const s = sockets.at(-1)!;
    s.onopen?.({});
    s.onmessage?.({ data: JSON.stringify({ type: 'ready' }) });
    await vi.waitFor(() => expect(store.getState().alarmsConnected).toBe(true));
    return s;
  };
  return { store, host, part, sockets, connect, setListed: (a: Alarm[]) => (listed = a) };
}

describe('SLA alarms in the app', () => {
  it('the backlog at sign-in is listed quietly; a live alarm shows in the banner and notifies once, however often it comes', async () => {
    const w = setup();
    w.setListed([alarm('old')]);
    w.part.start({ offline: false } as UserSessionContext);
    const socket = await w.connect();
    await vi.waitFor(() => expect(w.store.getState().alarms.map((a) => a.id)).toEqual(['old']));
    expect(w.host.notify).not.toHaveBeenCalled();
    expect(w.store.getState().alarmBanner).toEqual([]);

    const live = alarm('new', { level: 'breach', raisedAt: 5_000 });
    socket.onmessage?.({ data: JSON.stringify({ type: 'alarm', alarm: live }) });
    socket.onmessage?.({ data: JSON.stringify({ type: 'alarm', alarm: live }) });
    expect(w.host.notify).toHaveBeenCalledTimes(1);
    expect(w.host.notify).toHaveBeenCalledWith({ title: 'alarm new', body: 'Chat with Mia', tag: 'sla-new' });
    expect(w.store.getState().alarmBanner).toEqual(['new']);
    expect(w.store.getState().alarms.map((a) => a.id)).toEqual(['new', 'old']);

    // Acknowledged elsewhere: the banner goes, the list keeps it with who and when.
    socket.onmessage?.({ data: JSON.stringify({ type: 'acknowledged', alarm: { ...live, acknowledgedAt: 6_000, acknowledgedByName: 'Sarah Klein' } }) });
    expect(w.store.getState().alarmBanner).toEqual([]);
    expect(w.store.getState().alarms[0]).toMatchObject({ id: 'new', acknowledgedByName: 'Sarah Klein' });
    w.part.stop('sign-out');
  });

  it('after a reconnect, an alarm raised while the socket was down is announced once; acknowledged ones are not', async () => {
    const w = setup();
    w.part.start({ offline: false } as UserSessionContext);
    const first = await w.connect();
    first.onclose?.({ code: 1006 });
    w.setListed([alarm('missed-while-down', { level: 'breach' }), alarm('already-acked', { acknowledgedAt: 3_000, acknowledgedByName: 'x' })]);
    await vi.waitFor(() => expect(w.sockets.length).toBe(2), { timeout: 5_000 });
    await w.connect();
    await vi.waitFor(() => expect(w.host.notify).toHaveBeenCalledTimes(1));
    expect(w.host.notify).toHaveBeenCalledWith(expect.objectContaining({ tag: 'sla-missed-while-down' }));
    expect(w.store.getState().alarmBanner).toEqual(['missed-while-down']);
    w.part.stop('sign-out');
    expect(w.store.getState().alarms).toEqual([]);
  });
});
