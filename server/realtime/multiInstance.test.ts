import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { ChatSocketServerMessage } from '../../core/wire/chat';
import type { WidgetSocketServerMessage } from '../../core/wire/chatWidget';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import type { Db } from '../db/db';
import { openPostgres } from '../db/postgres';
import { roomyWidgetQuotas } from '../../tests/support/server/chatWorld';
import { listenForSockets } from '../../tests/support/server/loopback';
import { type RedisServer, redisInstalled, startRedis } from '../../tests/support/server/redis';
import { createWorld, secret, type World } from '../../tests/support/server/syncWorld';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../tests/support/server/throwawayDatabase';
import { type BrokerBus, createRedisBus } from './redisBus';

// Two server instances on one real PostgreSQL and one real Redis (Debian's redis-server), as they run
// behind a balancer: a customer and an agent on different instances, a reconnect to the other instance,
// chats started on both at once, and the broker restarted under them.
const baseUrl = process.env.DATABASE_URL;
const why = !baseUrl ? 'DATABASE_URL is not set (npm test starts a PostgreSQL and sets it)' : !redisInstalled() ? 'redis-server is not installed (apt-get install redis-server)' : null;
if (why) console.log(`server/realtime/multiInstance.test.ts skipped: ${why}`);

type Instance = { app: FastifyInstance; db: Db; bus: BrokerBus; base: string };
type Conn<T> = { socket: WebSocket; all: T[]; until(pred: (m: T) => boolean): Promise<T> };

function connect<T>(url: string, first: object): Promise<Conn<T>> {
  const socket = new WebSocket(url);
  const all: T[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as T);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (pred: (m: T) => boolean): Promise<T> => {
    for (;;) {
      const hit = all.find(pred);
      if (hit) return hit;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.send(JSON.stringify(first));
      resolve({ socket, all, until });
    });
    socket.once('error', reject);
  });
}

describe.skipIf(why !== null)('several server instances on one broker', () => {
  let scratch: ThrowawayDatabase;
  let redis: RedisServer;
  let w: World;
  let a: Instance;
  let b: Instance;

  const instance = async (db: Db): Promise<Instance> => {
    const bus = createRedisBus(redis.url, () => {});
    await bus.ready();
    const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', ...roomyWidgetQuotas }), {
      db,
      realtime: { bus },
      chat: { sweepMs: 0, authDeadlineMs: 2_000 },
      sla: { scan: false },
    });
    const base = await listenForSockets(app);
    return { app, db, bus, base };
  };

  beforeAll(async () => {
    scratch = await createThrowawayDatabase(baseUrl!, 'switchboard_multi');
    redis = await startRedis();
    w = await createWorld(await openPostgres(scratch.url));
    await w.db.query("insert into chat_queues (name, team_id, language, mode, offer_timeout_seconds) values ('English', $1, 'en', 'offer', 30)", [w.teamA]);
    a = await instance(w.db);
    b = await instance(await openPostgres(scratch.url));
  });
  afterAll(async () => {
    for (const i of [a, b]) {
      if (!i) continue;
      await i.app.close();
      await i.bus.close();
      await i.db.close();
    }
    await redis?.stop();
    await scratch?.drop();
  });

  const startChat = async (on: Instance) => {
    const res = await on.app.inject({ method: 'POST', url: '/widget/sessions', payload: { name: 'Mia', language: 'en' } });
    expect(res.statusCode).toBe(200);
    const s = res.json<{ sessionToken: string; conversationId: string }>();
    return { token: s.sessionToken, conversationId: s.conversationId, auth: { authorization: `Bearer ${s.sessionToken}` } };
  };
  const say = async (on: Instance, auth: { authorization: string }, body: string) => {
    const res = await on.app.inject({ method: 'POST', url: '/widget/messages', headers: auth, payload: { id: randomUUID(), body } });
    expect(res.statusCode).toBe(200);
  };
  const bodiesOf = (all: ChatSocketServerMessage[], conversationId: string) =>
    all.flatMap((m) => (m.type === 'event' && m.event.type === 'message' && m.event.conversationId === conversationId && m.event.message.author === 'customer' ? [m.event.message.body] : []));

  test('a customer writing through both instances reaches an agent on one of them in order, each message once', async () => {
    const lead = await connect<ChatSocketServerMessage>(`${b.base}/chat/socket`, { type: 'auth', token: w.lead.token });
    await lead.until((m) => m.type === 'ready');
    lead.socket.send(JSON.stringify({ type: 'subscribe', cursor: null }));
    await lead.until((m) => m.type === 'subscribed');
    const c = await startChat(a);
    const sent = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const [i, body] of sent.entries()) await say(i % 2 ? b : a, c.auth, body);
    await lead.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'm19');
    expect(bodiesOf(lead.all, c.conversationId)).toEqual(sent);
    lead.socket.close();
  });

  test('a customer socket that reconnects to the other instance with its cursor resumes with no gap and no duplicate', async () => {
    const c = await startChat(a);
    const first = await connect<WidgetSocketServerMessage>(`${a.base}/widget/socket`, { type: 'auth', sessionToken: c.token, cursor: null });
    await first.until((m) => m.type === 'ready');
    for (const body of ['one', 'two', 'three']) await say(a, c.auth, body);
    await first.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'three');
    const cursors = first.all.flatMap((m) => (m.type === 'event' && m.event.cursor !== null ? [m.event.cursor] : []));
    first.socket.close();
    // Written while the customer is away, through both instances.
    for (const [i, body] of ['four', 'five', 'six'].entries()) await say(i % 2 ? a : b, c.auth, body);
    const again = await connect<WidgetSocketServerMessage>(`${b.base}/widget/socket`, { type: 'auth', sessionToken: c.token, cursor: Math.max(...cursors) });
    await again.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'six');
    await say(a, c.auth, 'seven');
    await again.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'seven');
    const bodies = again.all.flatMap((m) => (m.type === 'event' && m.event.type === 'message' ? [m.event.message.body] : []));
    expect(bodies).toEqual(['four', 'five', 'six', 'seven']);
    const resumed = again.all.flatMap((m) => (m.type === 'event' && m.event.cursor !== null ? [m.event.cursor] : []));
    expect(resumed.every((x, i) => x > Math.max(...cursors) && (i === 0 || x > resumed[i - 1]!))).toBe(true);
    again.socket.close();
  });

  test('chats started on both instances at once are each offered to one agent, and no agent gets more than their limit', async () => {
    for (const p of [w.anna, w.bo]) {
      const res = await (p === w.anna ? a : b).app.inject({ method: 'POST', url: '/presence', headers: p.auth, payload: { presence: 'available' } });
      expect(res.statusCode).toBe(200);
    }
    const chats = await Promise.all(Array.from({ length: 10 }, (_, i) => startChat(i % 2 ? a : b)));
    const ids = chats.map((c) => c.conversationId);
    const offersPerChat = await w.db.query<{ n: number }>("select count(*)::int as n from chat_events where type = 'offer' and conversation_id = any($1::uuid[]) group by conversation_id", [ids]);
    expect(offersPerChat.rows.every((r) => r.n === 1)).toBe(true);
    // Two agents with the default limit of 3 (the earlier tests' two waiting chats count too): three
    // offers each, everything else waits in the queue.
    const { rows } = await w.db.query<{ n: number }>("select count(*)::int as n from conversations where state = 'offered' group by offered_to_id");
    expect(rows.map((r) => r.n)).toEqual([3, 3]);
    const queued = await w.db.query<{ n: number }>("select count(*)::int as n from conversations where state = 'queued'");
    expect(queued.rows[0]!.n).toBe(12 - 6);
  });

  test('after the broker restarts, a message written meanwhile on one instance still reaches the agent on the other', async () => {
    const lead = await connect<ChatSocketServerMessage>(`${b.base}/chat/socket`, { type: 'auth', token: w.lead.token });
    await lead.until((m) => m.type === 'ready');
    lead.socket.send(JSON.stringify({ type: 'subscribe', cursor: null }));
    await lead.until((m) => m.type === 'subscribed');
    const c = await startChat(a);
    await redis.stop();
    // Written on A while the broker is down: A's wake-up to B is lost, and only B's flush on resume delivers it.
    await say(a, c.auth, 'while the broker was away');
    await redis.start();
    await lead.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'while the broker was away');
    await say(a, c.auth, 'after');
    await lead.until((m) => m.type === 'event' && m.event.type === 'message' && m.event.message.body === 'after');
    expect(bodiesOf(lead.all, c.conversationId)).toEqual(['while the broker was away', 'after']);
    lead.socket.close();
  });
});
