import type { Comment, Ticket } from '../../../core/tickets/model';
import { runMutator, type FieldConflict, type TicketTx } from '../../../core/tickets/mutators';
import type { Actor } from '../../../core/tickets/scope';
import type { CacheDb } from './cacheDb';
import { fromCachedTicket } from './rows';

/**
 * Server-confirmed rows known in memory that override what the visible tables hold: the shadows of
 * locally changed rows plus freshly pulled rows. null = the row does not exist on the server.
 */
export type ServerRows = { tickets: Map<string, Ticket | null>; comments: Map<string, Comment | null> };
/** Rows written by mutators run in this overlay, not yet in the cache. */
export type OverlayWrites = { tickets: Map<string, Ticket>; comments: Map<string, Comment> };

export const emptyServerRows = (): ServerRows => ({ tickets: new Map(), comments: new Map() });
const emptyWrites = (): OverlayWrites => ({ tickets: new Map(), comments: new Map() });

/**
 * Runs core mutators against the cache without writing it: reads see (this mutation's writes →
 * earlier mutations' writes → `server` rows → the visible tables), writes stay in memory. A mutation
 * that throws leaves nothing behind (like the server's savepoint), so a refused mutation is never half
 * applied. The caller commits `writes` in one Dexie transaction (cacheWriter).
 */
export function createOverlay(db: CacheDb, actor: Actor, now: () => number, server: ServerRows = emptyServerRows()) {
  const writes = emptyWrites();

  async function readTicket(id: string, layer: OverlayWrites): Promise<Ticket | null> {
    const own = layer.tickets.get(id) ?? writes.tickets.get(id);
    if (own) return own;
    if (server.tickets.has(id)) return server.tickets.get(id) ?? null;
    const row = await db.tickets.get(id);
    return row ? fromCachedTicket(row) : null;
  }
  async function readComment(id: string, layer: OverlayWrites): Promise<Comment | null> {
    const own = layer.comments.get(id) ?? writes.comments.get(id);
    if (own) return own;
    if (server.comments.has(id)) return server.comments.get(id) ?? null;
    return (await db.comments.get(id)) ?? null;
  }

  return {
    writes,
    async run(name: string, args: unknown): Promise<FieldConflict[]> {
      const layer = emptyWrites();
      const tx: TicketTx = {
        actor,
        now,
        getTicket: (id) => readTicket(id, layer),
        insertTicket: async (t) => void layer.tickets.set(t.id, t),
        async patchTicket(id, patch) {
          const current = await readTicket(id, layer);
          if (current) layer.tickets.set(id, { ...current, ...patch });
        },
        getComment: (id) => readComment(id, layer),
        insertComment: async (c) => void layer.comments.set(c.id, c),
        allocateTicketNumber: async () => null,
      };
      const { conflicts } = await runMutator(tx, name, args);
      for (const [id, t] of layer.tickets) writes.tickets.set(id, t);
      for (const [id, c] of layer.comments) writes.comments.set(id, c);
      return conflicts;
    },
  };
}
export type Overlay = ReturnType<typeof createOverlay>;
