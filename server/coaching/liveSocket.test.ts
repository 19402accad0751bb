import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { TeamLiveSocketServerMessage } from '../../core/coaching/wire';
import { type ChatWorld, createChatWorld, startChat } from '../../tests/support/server/chatWorld';
import type { Person } from '../../tests/support/server/syncWorld';
import { listenForSockets } from '../../tests/support/server/loopback';

/**
 * The Team page's live view over GET /coaching/socket: what a lead used to learn by polling every 2 s
 * arrives as it happens. A real listening server on loopback (app.inject cannot carry a WebSocket upgrade).
 */
let w: ChatWorld;
let base: string;

beforeAll(async () => {
  w = await createChatWorld();
  base = await listenForSockets(w.app);
});
afterAll(async () => {
  await w?.close();
});

type Msg = TeamLiveSocketServerMessage;
type Feed = { socket: WebSocket; all: Msg[]; until(pred: (m: Msg) => boolean): Promise<Msg> };

async function watch(who: Person, teamId: string): Promise<Feed> {
  const socket = new WebSocket(`${base}/coaching/socket`);
  const all: Msg[] = [];
  let read = 0;
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as Msg);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (pred: (m: Msg) => boolean): Promise<Msg> => {
    for (;;) {
      while (read >= all.length) await new Promise<void>((r) => waiters.push(r));
      const m = all[read++]!;
      if (pred(m)) return m;
    }
  };
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'auth', token: who.token }));
  await until((m) => m.type === 'ready');
  socket.send(JSON.stringify({ type: 'watch', teamId }));
  return { socket, all, until };
}

const member = (m: Msg, id: string) => (m.type === 'live' ? m.live.members.find((x) => x.id === id) : undefined);
const post = (who: Person, url: string, payload: object) => w.app.inject({ method: 'POST', url, headers: who.auth, payload });

describe('team live socket', () => {
  test("a lead gets the team's live view, then each change pushed: an app's report, a raised hand, a chat taken", async () => {
    const lead = await watch(w.lead, w.teamA);
    const first = await lead.until((m) => m.type === 'live');
    expect(member(first, w.anna.id)).toMatchObject({ presence: 'offline', call: null, hand: null });

    // Anna's app reports a call: the lead sees it without asking again.
    const call = { callId: 'call-1', remote: '1003', remoteName: 'Jonas', direction: 'inbound', startedAt: Date.now(), held: false, band: 'good' };
    expect((await post(w.anna, '/coaching/live', { presence: 'busy', call })).statusCode).toBe(204);
    const onCall = await lead.until((m) => member(m, w.anna.id)?.call?.callId === 'call-1');
    expect(member(onCall, w.anna.id)).toMatchObject({ presence: 'busy' });

    expect((await post(w.bo, '/coaching/hand', { raised: true, note: 'refund?' })).statusCode).toBe(204);
    await lead.until((m) => member(m, w.bo.id)?.hand?.note === 'refund?');

    // A chat arrives and bo takes it: his open chats go up (a chat event, not a report).
    await post(w.bo, '/coaching/live', { presence: 'available', call: null });
    const chat = await startChat(w, { name: 'Live', language: 'en' });
    expect((await w.app.inject({ method: 'POST', url: `/chat/conversations/${chat.conversationId}/accept`, headers: w.bo.auth })).statusCode).toBe(200);
    const taken = await lead.until((m) => (member(m, w.bo.id)?.chats ?? []).some((c) => c.id === chat.conversationId));
    expect(member(taken, w.bo.id)!.openChats).toBeGreaterThanOrEqual(1);
    lead.socket.close();
  });

  test('an agent, and a lead of another team, are refused and hear nothing of the team', async () => {
    const nosy = await watch(w.lead, w.teamB);
    expect(await nosy.until(() => true)).toMatchObject({ type: 'refused', teamId: w.teamB });
    const agent = await watch(w.anna, w.teamA);
    expect(await agent.until(() => true)).toMatchObject({ type: 'refused', teamId: w.teamA });
    // A change in either team afterwards reaches neither.
    await post(w.zed, '/coaching/hand', { raised: true });
    await post(w.bo, '/coaching/hand', { raised: false });
    const admin = await watch(w.admin, w.teamB);
    await admin.until((m) => member(m, w.zed.id)?.hand !== null && member(m, w.zed.id) !== undefined);
    expect(nosy.all.filter((m) => m.type === 'live')).toEqual([]);
    expect(agent.all.filter((m) => m.type === 'live')).toEqual([]);
    for (const f of [nosy, agent, admin]) f.socket.close();
  });
});
