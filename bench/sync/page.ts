/**
 * bench/sync page harness, bundled by esbuild into an IIFE and loaded in Chromium from the server's
 * own origin: the real sync engine and Dexie cache (window.bench.*), plus the "raw limit": the same
 * pull pages fetched with plain fetch and bulkPut into the same Dexie schema with no sync logic.
 */
import { liveQuery } from 'dexie';
import { PullResponse } from '../../core/sync/wire';
import type { Actor } from '../../core/tickets/scope';
import { CacheDb } from '../../renderer/services/db/cacheDb';
import { OutboxDb } from '../../renderer/services/db/outboxDb';
import { ticketWordRows, toCachedCustomer, toCachedTicket } from '../../renderer/services/db/rows';
import { createTicketsRepo, type TicketView } from '../../renderer/services/db/ticketsRepo';
import { createHttpTransport, type PokeSocketLike } from '../../renderer/services/sync/httpTransport';
import { createSyncEngine, type SyncEngine, type SyncTransport } from '../../renderer/services/sync/syncEngine';

type Session = { token: string; actor: Actor };

/** Timestamps of the A→B path's steps (wall clock, sub-ms), read by bench/sync.mjs to say where time goes. */
const events: Array<[string, number]> = [];
const mark = (name: string) => events.push([name, performance.timeOrigin + performance.now()]);

function traced(t: SyncTransport): SyncTransport {
  return {
    push: async (req) => {
      mark('push>');
      try {
        return await t.push(req);
      } finally {
        mark('push<');
      }
    },
    pull: async (req) => {
      mark('pull>');
      try {
        return await t.pull(req);
      } finally {
        mark('pull<');
      }
    },
    openPokeSocket: (h) => t.openPokeSocket({ ...h, onPoke: (...args: Parameters<typeof h.onPoke>) => (mark(args[0] ? 'poke+delta' : 'poke'), h.onPoke(...args)) }),
  };
}
let engine: SyncEngine | null = null;
let cache: CacheDb | null = null;

async function post(path: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`HTTP ${res.status} on ${path}`);
  return res.json();
}

const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! * 100) / 100;
};

const bench = {
  /** The real engine's first sync into an empty cache; resolves with ms and the ticket count. */
  async firstSync(s: Session, name: string): Promise<{ ms: number; tickets: number }> {
    cache = new CacheDb(`bench-cache-${name}`);
    const outbox = new OutboxDb(`bench-outbox-${name}`);
    const transport = createHttpTransport({
      postJson: (path, body) => post(path, s.token, body),
      openWebSocket: (path) => new WebSocket(new URL(path, location.href.replace(/^http/, 'ws'))) as unknown as PokeSocketLike,
      accessToken: () => s.token,
      clientId: () => engine?.clientId(),
    });
    engine = createSyncEngine({
      cacheDb: cache, outboxDb: outbox, transport: traced(transport), actor: s.actor,
      clock: { now: () => Date.now(), setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } },
      random: Math.random, newClientId: () => crypto.randomUUID(), log: () => undefined,
    });
    engine.subscribe((st) => st.status === 'online' && mark('synced'));
    const t0 = performance.now();
    await engine.start();
    const ms = performance.now() - t0;
    return { ms, tickets: await cache.tickets.count() };
  },

  /** The raw limit: same pages, plain fetch, one bulkPut transaction per page, same schema, no sync logic. */
  async rawLimit(s: Session): Promise<{ ms: number; tickets: number }> {
    const db = new CacheDb(`bench-raw-${Math.random()}`);
    await db.open();
    const t0 = performance.now();
    let cursor: string | null = null;
    const clientId = crypto.randomUUID();
    const customers = new Map<string, { name: string }>();
    for (;;) {
      const page = PullResponse.parse(await post('/sync/pull', s.token, { clientId, cursor }));
      for (const c of page.customers) customers.set(c.id, c);
      // Search words are part of the schema (what the `*words` index was, now `ticketWords` rows): written here too.
      await db.transaction('rw', db.tickets, db.ticketWords, db.customers, db.comments, async () => {
        await db.customers.bulkPut(page.customers.map(toCachedCustomer));
        const rows = page.tickets.map((t) => toCachedTicket(t, t.customerId ? (customers.get(t.customerId) as never) : undefined));
        await db.tickets.bulkPut(rows);
        await db.ticketWords.bulkPut(rows.flatMap(ticketWordRows));
        await db.comments.bulkPut(page.comments);
      });
      cursor = page.cursor;
      if (!page.more) break;
    }
    const ms = performance.now() - t0;
    const tickets = await db.tickets.count();
    await db.delete();
    return { ms, tickets };
  },

  /** p95 of each list view's top 50 and of local search, on the engine's cache. */
  async queries(views: TicketView[], searches: string[], rounds: number): Promise<Record<string, number>> {
    const repo = createTicketsRepo(cache!);
    const out: Record<string, number> = {};
    for (const v of views) {
      for (const sort of ['updated', 'sla'] as const) {
        const times: number[] = [];
        for (let i = 0; i < rounds; i++) {
          const t0 = performance.now();
          await repo.list(v, { sort, limit: 50 });
          times.push(performance.now() - t0);
        }
        out[`list:${v.kind}${'status' in v ? `:${v.status}` : ''}:${sort}`] = p(times, 0.95);
      }
    }
    const times: number[] = [];
    const each = new Map<string, number[]>(searches.map((q) => [q, []]));
    for (let i = 0; i < rounds; i++) {
      for (const q of searches) {
        const t0 = performance.now();
        await repo.search(q);
        const ms = performance.now() - t0;
        times.push(ms);
        each.get(q)!.push(ms);
      }
    }
    for (const [q, ms] of each) out[`search:${q}`] = p(ms, 0.95);
    out.search = p(times, 0.95);
    return out;
  },

  /** Agent A: change a ticket's subject; resolves when the mutate has queued (push follows at once). */
  async change(ticketId: string, subject: string): Promise<number> {
    events.length = 0;
    const at = performance.timeOrigin + performance.now();
    mark('mutate>');
    await engine!.mutate('updateTicket', { ticketId, changes: { subject } });
    mark('mutate<');
    return at;
  },

  events: () => [...events],

  /** Agent B: resolves with the wall-clock time when the team-queue list (a liveQuery) first shows `subject`. */
  watch(view: TicketView, subject: string): Promise<number> {
    events.length = 0;
    const repo = createTicketsRepo(cache!);
    return new Promise((resolve) => {
      const sub = liveQuery(() => repo.list(view, { limit: 50 })).subscribe((rows) => {
        if (rows.some((r) => r.subject === subject)) {
          const at = performance.timeOrigin + performance.now();
          mark('visible');
          queueMicrotask(() => sub.unsubscribe());
          resolve(at);
        }
      });
    });
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
