import type { IndexableType } from 'dexie';
import { matchesAllTokens, queryTokens } from '../../../core/tickets/words';
import type { CacheDb } from './cacheDb';
import type { CachedTicket, TicketWordKey } from './rows';

export type SearchTuning = {
  /** Keys read per token first: enough to recognise a rare token cheaply. */
  probeRange: number;
  /** Keys read per token to learn whether its range is small enough to rank from the keys alone. */
  smallRange: number;
  /** Rows walked newest-first on a common word before falling back to the exact intersection. */
  walkBudget: number;
};
export const defaultSearchTuning: SearchTuning = { probeRange: 200, smallRange: 2_000, walkBudget: 4_000 };

const wordKey = '[word+updatedAt+ticketId]';

/**
 * Local ticket search: every query token must prefix a word of the ticket (subject, customer name,
 * number; CJK as bigrams, core/tickets/words.ts); results newest first. Reads `ticketWords`
 * ([word+updatedAt+ticketId], migrations/cache/0070-search-words.ts) in one of three ways:
 *
 *   some token is rare (under probeRange rows; under smallRange once a walk found matches too sparse): its keys carry updatedAt, so rank them without loading a
 *     ticket, intersect the other rare tokens' keys, and load only the top until `limit` pass the rest;
 *   one token whose prefix covers a single word: read that word's newest `limit` rows, nothing else;
 *   every token is common, one of them a single word: that word's rows are newest-first in key order, so
 *     walk them backwards a page at a time and check the ticket's words in memory; dense matches stop
 *     after a page or two;
 *   otherwise (or when the walk finds matches too sparse): read every token's keys and intersect. Exact,
 *     costs the size of the ranges; only queries like "e 1" get here.
 */
export async function searchTickets(db: CacheDb, query: string, limit: number, tuning = defaultSearchTuning): Promise<CachedTicket[]> {
  const { probeRange, smallRange, walkBudget } = tuning;
  const tokens = queryTokens(query);
  if (tokens.length === 0) return [];
  // [token] sorts before every [token…, updatedAt, id]; [token + U+FFFF] after every word the token prefixes.
  const range = (token: string) => db.ticketWords.where(wordKey).between([token], [`${token}\uffff`]);
  const keysOf = (token: string, cap = Infinity) => range(token).limit(cap).primaryKeys() as Promise<TicketWordKey[]>;

  return db.transaction('r', db.tickets, db.ticketWords, async () => {
    if (tokens.length === 1) {
      // The common case, one word typed: when the prefix covers one word only, its newest rows are the answer.
      const token = tokens[0]!;
      const [firstKey, lastKey] = (await Promise.all([range(token).limit(1).primaryKeys(), range(token).reverse().limit(1).primaryKeys()])) as TicketWordKey[][];
      if (!firstKey?.[0]) return [];
      if (firstKey[0][0] === lastKey?.[0]?.[0]) return (await walkNewestFirst(db, firstKey[0][0], tokens, limit, Infinity)) ?? [];
    }
    // A small probe first: most queries have a rare token or a common single word, and reading 2,000
    // keys per token to find out costs more than answering.
    const probe = await Promise.all(tokens.map((t) => keysOf(t, probeRange)));
    if (probe.some((h) => h.length === 0)) return [];
    const rareNow = await fromRare(probe, probeRange);
    if (rareNow) return rareNow;
    for (const [i, token] of tokens.entries()) {
      const last = (await range(token).reverse().limit(1).primaryKeys()) as TicketWordKey[];
      const word = probe[i]![0]![0];
      if (last[0]?.[0] !== word) continue;
      const found = await walkNewestFirst(db, word, tokens, limit, walkBudget);
      if (found) return found;
      break;
    }
    // Matches are sparse among common words: a larger sample may still find a rare token.
    const rareLater = await fromRare(await Promise.all(tokens.map((t) => keysOf(t, smallRange))), smallRange);
    if (rareLater) return rareLater;
    const all = await Promise.all(tokens.map((t) => keysOf(t)));
    return loadMatching(db, intersectRanked(all.sort((a, b) => a.length - b.length)), [], limit);
  });

  /** Ranks from the tokens whose whole range fit under `cap`; null when none did. */
  async function fromRare(heads: TicketWordKey[][], cap: number): Promise<CachedTicket[] | null> {
    const rare = heads.filter((h) => h.length < cap).sort((a, b) => a.length - b.length);
    if (rare.length === 0) return null;
    return loadMatching(db, intersectRanked(rare), rare.length === tokens.length ? [] : tokens, limit);
  }
}

/** Ticket ids present in every key list, newest first (a ticket's word rows all carry its updatedAt). */
function intersectRanked(lists: readonly TicketWordKey[][]): string[] {
  const updated = new Map<string, number>();
  for (const [, at, id] of lists[0]!) updated.set(id, at);
  for (const list of lists.slice(1)) {
    const ids = new Set(list.map((k) => k[2]));
    for (const id of updated.keys()) if (!ids.has(id)) updated.delete(id);
  }
  return [...updated].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

/** Loads ranked ids in slices until `limit` tickets match every token (no tokens: no check needed). */
async function loadMatching(db: CacheDb, ranked: readonly string[], tokens: readonly string[], limit: number): Promise<CachedTicket[]> {
  const out: CachedTicket[] = [];
  for (let at = 0; at < ranked.length && out.length < limit; ) {
    const slice = ranked.slice(at, at + Math.max(limit - out.length, 20) * (tokens.length > 0 ? 2 : 1));
    at += slice.length;
    for (const t of await db.tickets.bulkGet(slice)) {
      if (t && (tokens.length === 0 || matchesAllTokens(t.words, tokens))) out.push(t);
      if (out.length === limit) break;
    }
  }
  return out;
}

/** Walks one word's rows newest-first; null when the budget ran out before `limit` matches (too sparse). */
async function walkNewestFirst(db: CacheDb, word: string, tokens: readonly string[], limit: number, walkBudget: number): Promise<CachedTicket[] | null> {
  const out: CachedTicket[] = [];
  // [word + U+0000] sorts after every [word, updatedAt, id] and before the next word's rows.
  let upper: IndexableType = [`${word}\u0000`];
  // One token whose prefix is this word: every row matches, so one page of `limit` is the answer.
  let pageSize = tokens.length === 1 ? limit : Math.max(limit * 2, 50);
  for (let walked = 0; walked < walkBudget; pageSize *= 2) {
    const want = Math.min(pageSize, walkBudget - walked);
    const page = (await db.ticketWords.where(wordKey).between([word], upper, true, false).reverse().limit(want).primaryKeys()) as TicketWordKey[];
    if (page.length === 0) return out;
    walked += page.length;
    upper = page[page.length - 1]!;
    const tickets = await db.tickets.bulkGet(page.map((k) => k[2]));
    for (const [i, t] of tickets.entries()) {
      // A row written in the same transaction as its ticket always agrees; the check costs nothing.
      if (!t || t.updatedAt !== page[i]![1] || !matchesAllTokens(t.words, tokens)) continue;
      out.push(t);
      if (out.length === limit) return out;
    }
    if (page.length < want) return out;
  }
  return null;
}
