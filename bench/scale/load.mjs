// bench/scale: the simulated people. Customers (widget API + widget socket), agents (chat socket), idle
// sockets and poke sockets, all plain `ws` clients and `fetch` through the balancer, as the apps would be.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { sleep } from './cluster.mjs';

export const now = () => performance.timeOrigin + performance.now();
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10 : null;
};

/** Runs `fn` over `items`, `width` at a time. */
export async function pool(items, width, fn) {
  let i = 0;
  const workers = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (i < items.length) {
      const n = i++;
      await fn(items[n], n);
    }
  });
  await Promise.all(workers);
}

export async function api(base, path, { method = 'POST', token, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw Object.assign(new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`), { status: res.status });
  return text ? JSON.parse(text) : null;
}

/** A WebSocket that sends `first` on open and hands every parsed message to `onMessage`. */
export function open(url, first, onMessage) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    // A refused upgrade (the balancer's 503 while no instance is healthy) rejects below; later errors close the socket.
    socket.on('error', () => {});
    socket.on('message', (data) => onMessage(JSON.parse(String(data)), socket));
    socket.once('open', () => {
      socket.send(JSON.stringify(first));
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

const bench = /bench:(\d+):(\d+):([\d.]+)/;

/**
 * An agent on the chat socket that reconnects (through the balancer, so to any instance) from the highest
 * cursor it was given when its socket closes, as the app does. Each message event is logged with its
 * arrival time, for latency and for the loss / duplicate / order checks.
 */
export function chatAgent(ws, token, receipts, stats) {
  const agent = { cursor: null, socket: null, closed: false, reconnects: 0 };
  const connect = async () => {
    for (;;) {
      try {
        const subscribed = new Promise((resolve) => {
          void open(`${ws}/chat/socket`, { type: 'auth', token }, (m, socket) => {
            if (m.type === 'ready') socket.send(JSON.stringify({ type: 'subscribe', cursor: agent.cursor }));
            else if (m.type === 'subscribed') resolve();
            else if (m.type === 'event' && m.event.cursor !== null) {
              agent.cursor = Math.max(agent.cursor ?? 0, m.event.cursor);
              if (m.event.type === 'message') {
                const hit = bench.exec(m.event.message.body);
                if (hit) receipts.push({ at: now(), agent: token, id: m.event.message.id, conv: m.event.conversationId, seq: m.event.message.seq, sentAt: Number(hit[3]) });
              }
            }
          }).then((socket) => {
            agent.socket = socket;
            socket.once('close', () => {
              if (agent.closed) return;
              stats.agentDrops += 1;
              agent.reconnects += 1;
              void sleep(100 + Math.random() * 400).then(connect);
            });
          }, () => resolve());
        });
        await subscribed;
        if (agent.socket?.readyState === WebSocket.OPEN) return;
      } catch {
        /* the balancer had no instance for us yet */
      }
      await sleep(300);
    }
  };
  agent.start = connect;
  agent.close = () => {
    agent.closed = true;
    agent.socket?.close();
  };
  return agent;
}

/** A customer: a widget session, its socket (reconnecting with its cursor), and messages posted with retries. */
export async function customer(base, ws, i, posted, stats) {
  const s = await api(base, '/widget/sessions', { body: { name: `Customer ${i}`, language: 'en', product: 'scale' } });
  const c = { token: s.sessionToken, conversationId: s.conversationId, cursor: null, socket: null, closed: false, n: 0 };
  const connect = async () => {
    try {
      c.socket = await open(`${ws}/widget/socket`, { type: 'auth', sessionToken: c.token, cursor: c.cursor }, (m) => {
        if (m.type === 'ready' && c.cursor === null) c.cursor = m.cursor;
        if (m.type === 'event' && m.event.cursor !== null) c.cursor = Math.max(c.cursor ?? 0, m.event.cursor);
      });
      c.socket.once('close', () => {
        if (c.closed) return;
        stats.customerDrops += 1;
        void sleep(100 + Math.random() * 400).then(connect);
      });
    } catch {
      await sleep(300);
      return connect();
    }
  };
  await connect();
  c.say = async () => {
    const n = c.n++;
    const id = randomUUID();
    const sentAt = now();
    const body = `hello bench:${i}:${n}:${sentAt}`;
    // The same id on every try: the server stores a message once however often it is posted.
    for (let attempt = 0; ; attempt++) {
      try {
        await api(base, '/widget/messages', { token: c.token, body: { id, body } });
        posted.push({ id, conv: c.conversationId, sentAt, answeredMs: now() - sentAt, attempts: attempt + 1 });
        return;
      } catch (err) {
        if (attempt >= 30 || (err.status && err.status < 500 && err.status !== 429)) {
          stats.postFailed += 1;
          stats.lastPostError = String(err.message);
          return;
        }
        await sleep(200);
      }
    }
  };
  c.close = () => {
    c.closed = true;
    c.socket?.close();
  };
  return c;
}

/**
 * Losses, duplicates and order from what agents' sockets received. A message counts as received when any
 * agent socket got it (the assignee's; when a chat waits in the queue, every teammate gets it); a
 * duplicate is the same message twice on one agent's stream; out of order is a lower seq after a higher
 * one of the same conversation on one agent's stream.
 */
export function verdict(posted, receipts) {
  const first = new Map();
  const perAgent = new Map();
  let duplicated = 0;
  let outOfOrder = 0;
  for (const r of receipts) {
    if (!first.has(r.id)) first.set(r.id, r);
    const key = r.agent;
    let a = perAgent.get(key);
    if (!a) perAgent.set(key, (a = { ids: new Set(), seq: new Map() }));
    if (a.ids.has(r.id)) duplicated += 1;
    a.ids.add(r.id);
    const last = a.seq.get(r.conv) ?? 0;
    if (r.seq < last) outOfOrder += 1;
    a.seq.set(r.conv, Math.max(last, r.seq));
  }
  const latencies = [];
  let lost = 0;
  for (const p of posted) {
    const r = first.get(p.id);
    if (!r) lost += 1;
    else latencies.push(r.at - r.sentAt);
  }
  return { lost, duplicated, outOfOrder, latencies };
}
