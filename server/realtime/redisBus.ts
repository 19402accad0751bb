import { Redis } from 'ioredis';
import type { Bus, Json } from './bus';

/**
 * The bus over Redis pub/sub (Debian's redis-server), for several server instances behind one balancer.
 *
 * Why Redis and not NATS: both are in Debian 12 and both give fire-and-forget pub/sub, which is all the
 * hub needs (bus.ts: every feature re-reads durable state in PostgreSQL, whose sequences are the events'
 * sequence numbers). Redis is the one an IT department already runs and monitors, ioredis is a well-kept
 * client that reconnects and re-subscribes by itself, and one redis-server process is the whole broker.
 * NATS would add clustering we do not need (a lost broker costs latency, never data: see `onResume`).
 *
 * Pub/sub needs two connections: a subscribed Redis connection may only (un)subscribe. Messages published
 * while the broker is away are dropped (ioredis' offline queue is off for the publisher, so a restart does
 * not deliver a backlog of stale wake-ups); after every reconnect the `resume` handlers run, and each
 * feature re-reads what it may have missed (the chat hub flushes its event log from its last cursor).
 */
export type BrokerBus = Bus & {
  connected(): boolean;
  /** Runs after the subscriber (re)connected: a publish from another instance may have been lost meanwhile. */
  onResume(handler: () => void): () => void;
  /** Resolves once both connections are up (or rejects after `timeoutMs`). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export function createRedisBus(url: string, onError: (topic: string, err: unknown) => void): BrokerBus {
  const options = { lazyConnect: false, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(50 * times, 1000) } as const;
  const pub = new Redis(url, { ...options, enableOfflineQueue: false });
  const sub = new Redis(url, options);
  const topics = new Map<string, Set<(message: Json) => void>>();
  const resumes = new Set<() => void>();
  let connectedOnce = false;
  // While the broker is away every publish fails: one line when it starts and one count when it is back.
  let dropped = 0;
  pub.on('ready', () => {
    if (dropped > 0) onError('(publisher)', new Error(`broker back; ${dropped} message(s) were dropped while it was away`));
    dropped = 0;
  });

  // Errors (refused while the broker restarts) are reported by the reconnect loop; without a listener
  // ioredis would print each one as an unhandled 'error' event.
  pub.on('error', (err) => onError('(publisher)', err));
  sub.on('error', (err) => onError('(subscriber)', err));
  sub.on('ready', () => {
    if (!connectedOnce) {
      connectedOnce = true;
      return;
    }
    // ioredis re-subscribes on its own, but a publish between 'ready' and that SUBSCRIBE's reply would
    // be missed: subscribing again (harmless) and awaiting it puts the resume after the subscription.
    const names = [...topics.keys()];
    (names.length > 0 ? sub.subscribe(...names) : Promise.resolve(0)).then(resume, (err: unknown) => onError('(resubscribe)', err));
  });
  const resume = () => {
    for (const handler of [...resumes]) {
      try {
        handler();
      } catch (err) {
        onError('(resume)', err);
      }
    }
  };
  sub.on('message', (topic: string, text: string) => {
    let message: Json;
    try {
      message = JSON.parse(text) as Json;
    } catch (err) {
      return onError(topic, err);
    }
    for (const handler of [...(topics.get(topic) ?? [])]) {
      try {
        handler(message);
      } catch (err) {
        onError(topic, err);
      }
    }
  });

  return {
    publish(topic, message) {
      if (pub.status !== 'ready') {
        if ((dropped += 1) === 1) onError(topic, new Error(`broker not connected (${pub.status}); messages are dropped until it is back`));
        return;
      }
      pub.publish(topic, JSON.stringify(message)).catch((err: unknown) => onError(topic, err));
    },
    subscribe(topic, handler) {
      let set = topics.get(topic);
      if (!set) {
        topics.set(topic, (set = new Set()));
        sub.subscribe(topic).catch((err: unknown) => onError(topic, err));
      }
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0 && topics.get(topic) === set) {
          topics.delete(topic);
          if (sub.status === 'ready') sub.unsubscribe(topic).catch((err: unknown) => onError(topic, err));
        }
      };
    },
    connected: () => pub.status === 'ready' && sub.status === 'ready',
    onResume(handler) {
      resumes.add(handler);
      return () => resumes.delete(handler);
    },
    async ready(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (pub.status !== 'ready' || sub.status !== 'ready') {
        if (Date.now() > until) throw new Error(`message broker at ${redact(url)} not reachable within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/** The broker URL as it may appear in a log line: no password. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
