import client from 'prom-client';

/**
 * The server's Prometheus metrics (prom-client, the registry Prometheus' own Node guide points to): HTTP
 * requests by route and status, open sockets, event-loop lag (prom-client's default Node metrics, from
 * `perf_hooks.monitorEventLoopDelay`), and fan-out latency: how long one change took to reach every
 * socket of this instance it concerns (a poke, a chat flush). Counts only: no names, ids or text.
 *
 * One registry per process (module state): tests build several apps in one process, and the counters
 * are then shared, which a scrape of a real server never sees.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

export const httpRequests = new client.Counter({
  name: 'switchboard_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: 'switchboard_http_request_duration_seconds',
  help: 'Time from request to answer, by method and route pattern.',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const fanout = new client.Histogram({
  name: 'switchboard_fanout_seconds',
  help: 'From a change being known on this instance to its last socket send here: kind poke (sync) or chat (event-log flush).',
  labelNames: ['kind'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

const socketCounts = new Set<() => number>();
new client.Gauge({
  name: 'switchboard_sockets',
  help: 'Open, authenticated sockets on this instance (agents, customers, pokes, boards).',
  registers: [registry],
  collect() {
    let n = 0;
    for (const count of socketCounts) n += count();
    this.set(n);
  },
});

/** Counts a realtime hub's sockets in `switchboard_sockets` until the returned function is called. */
export function countSockets(size: () => number): () => void {
  socketCounts.add(size);
  return () => socketCounts.delete(size);
}

/** Times one fan-out: call the result when the last send is done. */
export function timeFanout(kind: 'poke' | 'chat'): () => void {
  return fanout.startTimer({ kind });
}
