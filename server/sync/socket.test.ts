import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { createSession } from '../auth/sessions';
import { createTokenService } from '../auth/tokens';
import { closeCodes } from './pokeHub';
import { createWorld, insertTicket, secret, type Person, type World } from '../../tests/support/server/syncWorld';
import { listenForSockets } from '../../tests/support/server/loopback';

// A real listening server on loopback: app.inject cannot carry a WebSocket upgrade.
let w: World;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  w = await createWorld();
  app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), { db: w.db, sync: { authDeadlineMs: 300, heartbeatMs: 250 } });
  base = await listenForSockets(app);
});
afterAll(async () => {
  await app?.close();
  await w?.db.close();
});

type Conn = { socket: WebSocket; messages: unknown[]; next(): Promise<unknown>; closed: Promise<{ code: number; reason: string }> };

function connect(path = '/sync/poke'): Promise<Conn> {
  const socket = new WebSocket(`${base}${path}`);
  const messages: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const m: unknown = JSON.parse(data.toString());
    const w = waiting.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const next = () => (messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, next, closed }));
    socket.once('error', reject);
  });
}

async function signedIn(who: Person, path?: string, clientId: string = randomUUID()): Promise<Conn> {
  const conn = await connect(path);
  conn.socket.send(JSON.stringify({ type: 'auth', token: who.token, clientId }));
  expect(await conn.next()).toEqual({ type: 'ready' });
  return conn;
}

describe('poke socket', () => {
  test("a teammate's push pokes the agent; a user of another team gets nothing", async () => {
    const anna = await signedIn(w.anna);
    const zed = await signedIn(w.zed, '/sync/socket');
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: null });
    const res = await app.inject({
      method: 'POST', url: '/sync/push', headers: w.bo.auth,
      payload: { clientId: randomUUID(), mutations: [{ id: 1, name: 'updateTicket', args: { ticketId: t, changes: { assigneeId: w.bo.id } }, createdAt: 1 }] },
    });
    expect(res.statusCode).toBe(200);
    const poke = await anna.next();
    expect(poke).toMatchObject({ type: 'poke', version: expect.any(Number) });
    // Zed's socket is still open and was sent nothing: a ping round trip proves the queue is drained.
    await new Promise<void>((resolve) => zed.socket.ping(undefined, undefined, () => resolve()));
    expect(zed.messages).toEqual([]);
    anna.socket.close();
    zed.socket.close();
  });

  test('an up-to-date client gets the change in the poke: the same page its pull would return', async () => {
    const clientId = randomUUID();
    const pull = async (cursor: string | null) => {
      const res = await app.inject({ method: 'POST', url: '/sync/pull', headers: w.anna.auth, payload: { clientId, cursor } });
      expect(res.statusCode).toBe(200);
      return res.json<{ cursor: string; more: boolean; tickets: Array<{ id: string; priority: string }> }>();
    };
    const anna = await signedIn(w.anna, undefined, clientId);
    const stranger = await signedIn(w.anna); // Anna's other device, which never pulled: a plain poke.
    let cursor: string | null = null;
    const drain = async () => {
      for (let page = await pull(cursor); ; page = await pull(cursor)) {
        cursor = page.cursor;
        if (!page.more) return;
      }
    };
    const t = await insertTicket(w.db, { teamId: w.teamA, assigneeId: null });
    await drain(); // the new ticket arrives by pull; the push below is what the poke must carry
    const res = await app.inject({
      method: 'POST', url: '/sync/push', headers: w.bo.auth,
      payload: { clientId: randomUUID(), mutations: [{ id: 1, name: 'updateTicket', args: { ticketId: t, changes: { priority: 'urgent' } }, createdAt: 1 }] },
    });
    expect(res.statusCode).toBe(200);
    const poke = (await anna.next()) as { type: string; delta?: { base: string; page: { cursor: string; tickets: Array<{ id: string; priority: string }> } } };
    expect(poke.delta?.base).toBe(cursor);
    expect(poke.delta?.page.tickets.map((x) => [x.id, x.priority])).toEqual([[t, 'urgent']]);
    // The delta is exactly what a pull from that cursor returns now.
    expect((await pull(cursor)).tickets.map((x) => [x.id, x.priority])).toEqual([[t, 'urgent']]);
    expect(await stranger.next()).toEqual({ type: 'poke', version: expect.any(Number) });
    anna.socket.close();
    stranger.socket.close();
  });

  test('signing out ends that session\'s socket within a heartbeat; the same user\'s other session keeps its own', async () => {
    const { sessionId } = await createSession(w.db, w.anna.id, 3600);
    const token = await createTokenService(secret, 3600).signAccess({ sub: w.anna.id, role: 'agent', sid: sessionId });
    const leaving = await signedIn({ ...w.anna, token, auth: { authorization: `Bearer ${token}` } });
    const staying = await signedIn(w.anna);
    const res = await app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBeLessThan(300);
    expect(await leaving.closed).toEqual({ code: closeCodes.unauthorized, reason: 'session-ended' });
    await new Promise((r) => setTimeout(r, 600));
    expect(staying.socket.readyState).toBe(WebSocket.OPEN);
    staying.socket.close();
  });

  test('a bad token closes the socket with 4401 unauthorized', async () => {
    const conn = await connect();
    conn.socket.send(JSON.stringify({ type: 'auth', token: 'eyJhbGciOiJub25lIn0.e30.' }));
    expect(await conn.closed).toEqual({ code: closeCodes.unauthorized, reason: 'unauthorized' });
  });

  test('no auth message before the deadline closes with 4408 auth-timeout', async () => {
    const conn = await connect();
    expect(await conn.closed).toEqual({ code: closeCodes.authTimeout, reason: 'auth-timeout' });
  });
});
