import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { realtimeCloseCodes as codes } from '../../core/wire/realtime';
import { createSession, revokeSession } from '../auth/sessions';
import { createTokenService } from '../auth/tokens';
import { type ChatWorld, type Customer, createChatWorld, setPresence, startChat } from '../../tests/support/server/chatWorld';
import { secret } from '../../tests/support/server/syncWorld';
import { listenForSockets } from '../../tests/support/server/loopback';

/**
 * Issue 12 item 2: every socket is bound to its session and its scope as it was when bound. Each way a
 * session ends or its scope changes closes the socket with its code within one heartbeat, and nothing the
 * customer writes after that reaches it.
 */
const heartbeatMs = 300;
/** One heartbeat, plus the one query the beat's check makes on a busy two-core machine. */
const withinOneBeat = heartbeatMs + 400;

let w: ChatWorld;
let base: string;

beforeAll(async () => {
  w = await createChatWorld({ heartbeatMs });
  base = await listenForSockets(w.app);
});
afterAll(async () => {
  await w?.close();
});

type Closed = { code: number; reason: string; at: number };
type Conn = { socket: WebSocket; texts: string[]; closed: Promise<Closed>; waitFor(pred: (text: string) => boolean): Promise<void> };

function open(path: string, first: object): Promise<Conn> {
  const socket = new WebSocket(`${base}${path}`);
  const texts: string[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    texts.push(String(data));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<Closed>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })));
  const waitFor = async (pred: (text: string) => boolean) => {
    while (!texts.some(pred)) await new Promise<void>((r) => waiters.push(r));
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.send(JSON.stringify(first));
      resolve({ socket, texts, closed, waitFor });
    });
    socket.once('error', reject);
  });
}

/** Resolves with how the socket closed, or null when it is still open after `ms`. */
const closedWithin = (conn: Conn, ms: number) => Promise.race([conn.closed, new Promise<null>((r) => setTimeout(() => r(null), ms))]);

type Agent = { id: string; sessionId: string; token: string; auth: { authorization: string } };

/** A fresh agent of team A with its own session, so what a test does to it touches nobody else. */
async function newAgent(ttlSeconds = 3600): Promise<Agent> {
  const id = randomUUID();
  await w.db.query("insert into users (id, username, display_name, role, password_hash) values ($1, $2, $2, 'agent', 'x')", [id, `a-${id.slice(0, 8)}`]);
  await w.db.query('insert into team_members (team_id, user_id) values ($1, $2)', [w.teamA, id]);
  const { sessionId } = await createSession(w.db, id, 3600);
  const token = await createTokenService(secret, ttlSeconds).signAccess({ sub: id, role: 'agent', sid: sessionId });
  return { id, sessionId, token, auth: { authorization: `Bearer ${token}` } };
}

/** The agent's chat socket (subscribed, live) and poke socket, and a customer chat the agent has accepted. */
async function sockets(agent: Agent): Promise<{ chat: Conn; poke: Conn; customer: Customer }> {
  const chat = await open('/chat/socket', { type: 'auth', token: agent.token });
  await chat.waitFor((t) => t.includes('"ready"'));
  chat.socket.send(JSON.stringify({ type: 'subscribe', cursor: null }));
  await chat.waitFor((t) => t.includes('"subscribed"'));
  const poke = await open('/sync/poke', { type: 'auth', token: agent.token, clientId: randomUUID() });
  await poke.waitFor((t) => t.includes('"ready"'));
  await setPresence(w, { ...agent, id: agent.id }, 'available');
  const customer = await startChat(w);
  const accepted = await w.app.inject({ method: 'POST', url: `/chat/conversations/${customer.conversationId}/accept`, headers: agent.auth });
  expect(accepted.statusCode).toBe(200);
  // Live before the change: a customer line reaches the agent's socket.
  await customerSays(customer, 'before');
  await chat.waitFor((t) => t.includes('"before"'));
  return { chat, poke, customer };
}

async function customerSays(c: Customer, body: string): Promise<void> {
  const res = await w.app.inject({ method: 'POST', url: '/widget/messages', headers: c.auth, payload: { id: randomUUID(), body } });
  expect(res.statusCode).toBe(200);
}

/** Both of the agent's sockets close with `expected` within one beat of `since`; a customer line after that never arrives. */
async function expectClosed(s: { chat: Conn; poke: Conn; customer: Customer }, expected: { code: number; reason: string }, since: number, bound = withinOneBeat) {
  for (const conn of [s.chat, s.poke]) {
    // Wait from whichever is later, now or `since` (a token's expiry can lie seconds ahead on a fast machine).
    const closed = await closedWithin(conn, Math.max(0, since - Date.now()) + bound + 2000);
    expect(closed && { code: closed.code, reason: closed.reason }).toEqual(expected);
    expect(closed!.at - since).toBeLessThan(bound);
  }
  await customerSays(s.customer, 'after');
  await new Promise((r) => setTimeout(r, 100));
  expect(s.chat.texts.filter((t) => t.includes('"after"'))).toEqual([]);
}

describe('sockets are bound to their session and scope', () => {
  test('issue 12 item 2: signing out closes the chat and poke sockets at once (4401 session-ended); no customer line arrives after', async () => {
    const agent = await newAgent();
    const s = await sockets(agent);
    const since = Date.now();
    expect((await w.app.inject({ method: 'POST', url: '/auth/logout', headers: agent.auth })).statusCode).toBe(204);
    // Not even a line written the moment the logout answered.
    await customerSays(s.customer, 'right-after');
    await expectClosed(s, { code: codes.unauthorized, reason: 'session-ended' }, since);
    expect(s.chat.texts.filter((t) => t.includes('"right-after"'))).toEqual([]);
  });

  test('issue 12 item 2: a revoked session closes its sockets (4401 session-ended)', async () => {
    const agent = await newAgent();
    const s = await sockets(agent);
    const since = Date.now();
    await revokeSession(w.db, agent.sessionId, 'admin');
    await expectClosed(s, { code: codes.unauthorized, reason: 'session-ended' }, since);
  });

  test('issue 12 item 2: disabling the account closes its sockets within one heartbeat (4401 session-ended)', async () => {
    const agent = await newAgent();
    const s = await sockets(agent);
    await w.db.query('update users set disabled = true where id = $1', [agent.id]);
    await expectClosed(s, { code: codes.unauthorized, reason: 'session-ended' }, Date.now());
  });

  test('issue 12 item 2: a team change closes the sockets within one heartbeat (4403 scope-changed)', async () => {
    const agent = await newAgent();
    const s = await sockets(agent);
    await w.db.query('update team_members set team_id = $2 where user_id = $1', [agent.id, w.teamB]);
    await expectClosed(s, { code: codes.scopeChanged, reason: 'scope-changed' }, Date.now());
  });

  test('issue 12 item 2: a role change closes the sockets within one heartbeat (4403 scope-changed)', async () => {
    const agent = await newAgent();
    const s = await sockets(agent);
    await w.db.query("update users set role = 'lead' where id = $1", [agent.id]);
    await expectClosed(s, { code: codes.scopeChanged, reason: 'scope-changed' }, Date.now());
  });

  test('issue 12 item 2: the access token expiring closes the sockets (4401 token-expired)', async () => {
    const agent = await newAgent(3);
    const s = await sockets(agent);
    const { exp } = JSON.parse(Buffer.from(agent.token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    await expectClosed(s, { code: codes.unauthorized, reason: 'token-expired' }, exp * 1000, withinOneBeat);
  });

  test("issue 12 item 2: the widget session expiring closes the customer's socket within one heartbeat; no agent line arrives after", async () => {
    const agent = await newAgent();
    await setPresence(w, { ...agent }, 'available');
    const c = await startChat(w);
    await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: agent.auth });
    const widget = await open('/widget/socket', { type: 'auth', sessionToken: c.token, cursor: null });
    await widget.waitFor((t) => t.includes('"ready"'));
    const say = (body: string) => w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/messages`, headers: agent.auth, payload: { id: randomUUID(), body } });
    await say('before');
    await widget.waitFor((t) => t.includes('"before"'));
    const clockWas = w.clock.now;
    try {
      // The widget session lasts 24 hours on the server's clock.
      w.clock.now += 25 * 3_600_000;
      const since = Date.now();
      const closed = await closedWithin(widget, withinOneBeat + 2000);
      expect(closed && { code: closed.code, reason: closed.reason }).toEqual({ code: codes.unauthorized, reason: 'session-ended' });
      expect(closed!.at - since).toBeLessThan(withinOneBeat);
      await say('after');
      await new Promise((r) => setTimeout(r, 100));
      expect(widget.texts.filter((t) => t.includes('"after"'))).toEqual([]);
    } finally {
      w.clock.now = clockWas;
    }
  });

  test('a socket of another session of the same user stays open when one session signs out', async () => {
    const agent = await newAgent();
    const { sessionId } = await createSession(w.db, agent.id, 3600);
    const other = await createTokenService(secret, 3600).signAccess({ sub: agent.id, role: 'agent', sid: sessionId });
    const staying = await open('/chat/socket', { type: 'auth', token: other });
    await staying.waitFor((t) => t.includes('"ready"'));
    const leaving = await open('/chat/socket', { type: 'auth', token: agent.token });
    await leaving.waitFor((t) => t.includes('"ready"'));
    expect((await w.app.inject({ method: 'POST', url: '/auth/logout', headers: agent.auth })).statusCode).toBe(204);
    expect((await closedWithin(leaving, withinOneBeat))?.code).toBe(codes.unauthorized);
    expect(await closedWithin(staying, heartbeatMs * 2)).toBeNull();
    staying.socket.close();
  });
});
