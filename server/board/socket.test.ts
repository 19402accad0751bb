import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { BoardSocketServerMessage } from '../../core/wire/board';
import { type ChatWorld, createChatWorld, startChat } from '../../tests/support/server/chatWorld';
import type { Person } from '../../tests/support/server/syncWorld';
import { listenForSockets } from '../../tests/support/server/loopback';

// A real listening server on loopback: app.inject cannot carry a WebSocket upgrade.
let w: ChatWorld;
let base: string;

beforeAll(async () => {
  w = await createChatWorld();
  base = await listenForSockets(w.app);
});
afterAll(async () => {
  await w?.close();
});

type Msg = BoardSocketServerMessage;
type Board = { socket: WebSocket; all: Msg[]; until(pred: (m: Msg) => boolean): Promise<Msg>; closed: Promise<number> };

async function watch(who: Person, teamId: string): Promise<Board> {
  const socket = new WebSocket(`${base}/board/socket`);
  const all: Msg[] = [];
  let read = 0;
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as Msg);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
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
  return { socket, all, until, closed };
}

const presence = async (who: Person, p: string) => {
  const res = await w.app.inject({ method: 'POST', url: '/presence', headers: who.auth, payload: { presence: p } });
  expect(res.statusCode, res.body).toBe(200);
};

describe('wallboard socket', () => {
  test('a lead gets a snapshot, then a pushed update for a new waiting chat and for an agent\'s state change', async () => {
    const lead = await watch(w.lead, w.teamA);
    const first = await lead.until((m) => m.type === 'snapshot');
    if (first.type !== 'snapshot') throw new Error('no snapshot');
    const waitingBefore = first.snapshot.queues.find((q) => q.id === w.queues.en)!.waiting;

    const chat = await startChat(w, { name: 'Pushed', language: 'en' });
    const queued = await lead.until((m) => m.type === 'update' && !!m.queues);
    if (queued.type !== 'update') throw new Error('no update');
    expect(queued.queues!.find((q) => q.id === w.queues.en)!.waiting).toBe(waitingBefore + 1);

    await presence(w.bo, 'break');
    const moved = await lead.until((m) => m.type === 'update' && !!m.agents?.some((a) => a.id === w.bo.id && a.presence === 'break'));
    // Only what changed travels: bo's presence does not touch the queues.
    expect(moved.type === 'update' && moved.queues).toBeFalsy();

    // The chat is answered: waiting goes down and anna's contacts go up.
    const res = await w.app.inject({ method: 'POST', url: `/chat/conversations/${chat.conversationId}/accept`, headers: w.anna.auth });
    expect(res.statusCode).toBe(200);
    await lead.until((m) => m.type === 'update' && !!m.agents?.some((a) => a.id === w.anna.id && a.chats >= 1));
    lead.socket.close();
  });

  test('a lead of team A watching team B is refused and hears nothing of it; an agent is refused any board', async () => {
    const nosy = await watch(w.lead, w.teamB);
    expect(await nosy.until(() => true)).toEqual({ type: 'refused', teamId: w.teamB, message: 'You can only watch teams you lead.' });
    const agent = await watch(w.anna, w.teamA);
    expect(await agent.until(() => true)).toMatchObject({ type: 'refused', message: 'Only team leads and admins see the wallboard.' });
    const admin = await watch(w.admin, w.teamB);
    await admin.until((m) => m.type === 'snapshot');

    // Team B moves: the admin hears it, the lead of A and the agent do not.
    await startChat(w, { name: '王芳', language: 'zh-CN' });
    await presence(w.zed, 'available');
    await admin.until((m) => m.type === 'update' && !!m.agents?.some((a) => a.id === w.zed.id && a.presence === 'available'));
    expect(nosy.all).toHaveLength(2); // ready, refused
    expect(agent.all).toHaveLength(2);
    for (const c of [nosy, agent, admin]) c.socket.close();
  });

  test('a reconnect starts from a fresh snapshot that has what changed while it was away', async () => {
    const first = await watch(w.lead, w.teamA);
    await first.until((m) => m.type === 'snapshot');
    first.socket.close();
    await first.closed;
    await presence(w.bo, 'offline');
    const again = await watch(w.lead, w.teamA);
    const snap = await again.until((m) => m.type === 'snapshot');
    expect(snap.type === 'snapshot' && snap.snapshot.agents.find((a) => a.id === w.bo.id)?.presence).toBe('offline');
    again.socket.close();
  });
});
