import type { Comment, Customer, Ticket } from '../../../core/tickets/model';
import type { FieldConflict } from '../../../core/tickets/mutators';
import type { Actor } from '../../../core/tickets/scope';
import type { PullResponse } from '../../../core/sync/wire';
import type { CacheDb } from './cacheDb';
import { createOverlay, emptyServerRows, type OverlayWrites } from './overlay';
import { commentKey, fromCachedTicket, ticketKey, ticketWordKeys, ticketWordRows, toCachedCustomer, toCachedTicket, type CachedTicket, type ConflictRow, type ShadowRow } from './rows';

export type ReplayMutation = { id: number; name: string; args: unknown };
export type ReplayFailure = { id: number; error: unknown };
export type SyncMeta = { cursor: string | null; lastMutationId: number; lastSyncedAt: number | null };

/**
 * The only writer of the cache. How optimistic state and server state live together:
 *
 * The visible tables (tickets, comments) hold what the agent sees = server state + pending mutations.
 * The first time a pending mutation changes a row, the row's server version is copied to `shadows`.
 * Pulled rows for a shadowed row update the shadow, not the visible row. On the last page of a pull we
 * rebase: take all shadows (server state of every locally changed row) and the pulled rows, replay the
 * still-pending mutations on top with the same core mutators the server runs, write the result as the
 * visible rows, and take new shadows for what the replay touched. Rows no pending mutation touches are
 * plain server rows. So the visible state is always a pure function of (server state, outbox), a crash
 * between outbox append and cache write is healed by the next rebase, and a refused mutation vanishes
 * from view because it is no longer replayed.
 */
export function createCacheWriter(db: CacheDb) {
  const allTables = [db.tickets, db.ticketWords, db.customers, db.comments, db.shadows, db.conflicts, db.meta];

  async function customerMap(tickets: Iterable<Ticket>, fresh: readonly Customer[]): Promise<Map<string, Customer>> {
    const map = new Map(fresh.map((c) => [c.id, c]));
    const missing = [...new Set([...tickets].map((t) => t.customerId).filter((id): id is string => id !== null && !map.has(id)))];
    const rows = await db.customers.bulkGet(missing);
    for (const c of rows) if (c) map.set(c.id, c);
    return map;
  }

  async function putVisibleTickets(tickets: Ticket[], customers: readonly Customer[] = []): Promise<void> {
    if (tickets.length === 0) return;
    const names = await customerMap(tickets, customers);
    const rows = tickets.map((t) => toCachedTicket(t, t.customerId ? names.get(t.customerId) : undefined));
    const before = await db.tickets.bulkGet(rows.map((r) => r.id));
    await db.tickets.bulkPut(rows);
    await replaceWords(before, rows);
  }

  /** Keeps `ticketWords` equal to the visible rows' words; rows whose words and updatedAt stayed are left alone. */
  async function replaceWords(before: ReadonlyArray<CachedTicket | undefined>, after: ReadonlyArray<CachedTicket | undefined>): Promise<void> {
    const stale = [];
    const fresh = [];
    for (let i = 0; i < after.length; i++) {
      const old = before[i];
      const now = after[i];
      if (old && now && old.updatedAt === now.updatedAt && old.words.join('\u0000') === now.words.join('\u0000')) continue;
      if (old) stale.push(...ticketWordKeys(old));
      if (now) fresh.push(...ticketWordRows(now));
    }
    if (stale.length > 0) await db.ticketWords.bulkDelete(stale);
    if (fresh.length > 0) await db.ticketWords.bulkPut(fresh);
  }

  async function putCustomers(customers: readonly Customer[]): Promise<void> {
    if (customers.length === 0) return;
    const before = await db.customers.bulkGet(customers.map((c) => c.id));
    await db.customers.bulkPut(customers.map(toCachedCustomer));
    // Ticket search words include the customer's name: re-derive them where the name is new or changed.
    const renamed = customers.filter((c, i) => before[i]?.name !== c.name).map((c) => c.id);
    if (renamed.length === 0) return;
    const affected = await db.tickets.where('customerId').anyOf(renamed).toArray();
    await putVisibleTickets(affected.map(fromCachedTicket), customers);
  }

  async function dropTicket(id: string): Promise<void> {
    const old = await db.tickets.get(id);
    await db.tickets.delete(id);
    await replaceWords([old], [undefined]);
    await db.comments.where('[ticketId+createdAt]').between([id, -Infinity], [id, Infinity]).delete();
    await db.conflicts.where('ticketId').equals(id).delete();
  }

  /** Stores conflict notices, except ones the agent already dismissed for the same pair of values. */
  async function putConflicts(conflicts: readonly FieldConflict[], at: number): Promise<void> {
    if (conflicts.length === 0) return;
    const rows: ConflictRow[] = conflicts.map((c) => ({ id: `${c.ticketId}:${c.field}`, ticketId: c.ticketId, field: c.field, mine: c.mine, theirs: c.theirs, at }));
    const existing = await db.conflicts.bulkGet(rows.map((r) => r.id));
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    await db.conflicts.bulkPut(rows.filter((r, i) => {
      const old = existing[i];
      return !(old?.dismissed && same(old.mine, r.mine) && same(old.theirs, r.theirs));
    }));
  }

  async function writeMeta(page: PullResponse, at: number): Promise<void> {
    await db.meta.bulkPut([
      { key: 'cursor', value: page.cursor },
      { key: 'lastMutationId', value: page.lastMutationId },
      ...(page.more ? [] : [{ key: 'lastSyncedAt' as const, value: at }]),
    ]);
  }

  /** A page that is not the last: server rows go to shadows where a local change sits on top, else straight in. */
  async function applyMiddlePage(page: PullResponse, at: number): Promise<void> {
    await db.transaction('rw', allTables, async () => {
      const shadowed = new Set(await db.shadows.toCollection().primaryKeys());
      const shadowUpdates: ShadowRow[] = [];
      await putCustomers(page.customers);
      const plainTickets: Ticket[] = [];
      for (const t of page.tickets) {
        if (shadowed.has(ticketKey(t.id))) shadowUpdates.push({ key: ticketKey(t.id), ticket: t });
        else plainTickets.push(t);
      }
      await putVisibleTickets(plainTickets, page.customers);
      const plainComments: Comment[] = [];
      for (const c of page.comments) {
        if (shadowed.has(commentKey(c.id))) shadowUpdates.push({ key: commentKey(c.id), comment: c });
        else plainComments.push(c);
      }
      await db.comments.bulkPut(plainComments);
      for (const id of page.removed) {
        if (shadowed.has(ticketKey(id))) shadowUpdates.push({ key: ticketKey(id), ticket: null });
        else await dropTicket(id);
      }
      await db.shadows.bulkPut(shadowUpdates);
      await writeMeta(page, at);
    });
  }

  /** The last page of a pull: apply it and rebase the pending mutations on the new server state. */
  async function applyFinalPage(page: PullResponse, replay: readonly ReplayMutation[], actor: Actor, now: () => number) {
    const server = emptyServerRows();
    for (const s of await db.shadows.toArray()) {
      if (s.ticket !== undefined) server.tickets.set(s.key.slice(2), s.ticket);
      if (s.comment !== undefined) server.comments.set(s.key.slice(2), s.comment);
    }
    for (const t of page.tickets) server.tickets.set(t.id, t);
    for (const c of page.comments) server.comments.set(c.id, c);
    for (const id of page.removed) server.tickets.set(id, null);

    const overlay = createOverlay(db, actor, now, server);
    const conflicts: FieldConflict[] = [];
    const failures: ReplayFailure[] = [];
    for (const m of replay) {
      try {
        conflicts.push(...(await overlay.run(m.name, m.args)));
      } catch (error) {
        // Not ours to judge: the server decides when it runs the mutation; it just has no local effect now.
        failures.push({ id: m.id, error });
      }
    }
    const at = now();
    await db.transaction('rw', allTables, async () => {
      const shadows = await baseOf(overlay.writes, server);
      await db.shadows.clear();
      await putCustomers(page.customers);
      const visible: Ticket[] = [];
      for (const id of new Set([...server.tickets.keys(), ...overlay.writes.tickets.keys()])) {
        const t = overlay.writes.tickets.get(id) ?? server.tickets.get(id) ?? null;
        if (t) visible.push(t);
        else await dropTicket(id);
      }
      await putVisibleTickets(visible, page.customers);
      for (const id of new Set([...server.comments.keys(), ...overlay.writes.comments.keys()])) {
        const c = overlay.writes.comments.get(id) ?? server.comments.get(id) ?? null;
        if (c) await db.comments.put(c);
        else await db.comments.delete(id);
      }
      await db.shadows.bulkPut(shadows);
      await putConflicts(conflicts, at);
      await writeMeta(page, at);
    });
    return { conflicts, failures };
  }

  /** The server version of every row the writes touch: from `server` if known, else the visible row. */
  async function baseOf(writes: OverlayWrites, server: ReturnType<typeof emptyServerRows>): Promise<ShadowRow[]> {
    const out: ShadowRow[] = [];
    const tIds = [...writes.tickets.keys()];
    const tBefore = await db.tickets.bulkGet(tIds.filter((id) => !server.tickets.has(id)));
    const tMap = new Map(tBefore.filter((r) => r !== undefined).map((r) => [r.id, fromCachedTicket(r)]));
    for (const id of tIds) out.push({ key: ticketKey(id), ticket: server.tickets.has(id) ? (server.tickets.get(id) ?? null) : (tMap.get(id) ?? null) });
    const cIds = [...writes.comments.keys()];
    const cBefore = await db.comments.bulkGet(cIds.filter((id) => !server.comments.has(id)));
    const cMap = new Map(cBefore.filter((r) => r !== undefined).map((r) => [r.id, r]));
    for (const id of cIds) out.push({ key: commentKey(id), comment: server.comments.has(id) ? (server.comments.get(id) ?? null) : (cMap.get(id) ?? null) });
    return out;
  }

  return {
    /** Commits one optimistic mutation's writes; the first local change of a row keeps its server version as a shadow. */
    async commitOptimistic(writes: OverlayWrites): Promise<void> {
      await db.transaction('rw', allTables, async () => {
        const candidates = await baseOf(writes, emptyServerRows());
        const existing = new Set((await db.shadows.bulkGet(candidates.map((s) => s.key))).filter((s) => s !== undefined).map((s) => s.key));
        await db.shadows.bulkPut(candidates.filter((s) => !existing.has(s.key)));
        await putVisibleTickets([...writes.tickets.values()]);
        await db.comments.bulkPut([...writes.comments.values()]);
      });
    },

    /**
     * Applies one pulled page. `replay` (the outbox's pending mutations newer than the page's
     * lastMutationId) is used on the last page only, when the server state is complete.
     */
    async applyPull(page: PullResponse, replay: readonly ReplayMutation[], actor: Actor, now: () => number) {
      if (page.more) {
        await applyMiddlePage(page, now());
        return { conflicts: [], failures: [] };
      }
      return applyFinalPage(page, replay, actor, now);
    },

    async recordConflicts(conflicts: readonly FieldConflict[], at: number): Promise<void> {
      await db.transaction('rw', db.conflicts, () => putConflicts(conflicts, at));
    },

    async setLastMutationId(id: number): Promise<void> {
      await db.transaction('rw', db.meta, async () => {
        const current = await db.meta.get('lastMutationId');
        if (typeof current?.value !== 'number' || current.value < id) await db.meta.put({ key: 'lastMutationId', value: id });
      });
    },

    async readMeta(): Promise<SyncMeta> {
      const [cursor, last, synced] = await db.meta.bulkGet(['cursor', 'lastMutationId', 'lastSyncedAt']);
      return {
        cursor: typeof cursor?.value === 'string' ? cursor.value : null,
        lastMutationId: typeof last?.value === 'number' ? last.value : 0,
        lastSyncedAt: typeof synced?.value === 'number' ? synced.value : null,
      };
    },
  };
}
export type CacheWriter = ReturnType<typeof createCacheWriter>;
