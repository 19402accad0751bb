import type { Locale } from '../locale';
import type { QuickReply } from './model';
import { createPostingsCollector, postingCount, type PostingTable } from './postings';
import { pickVariant, type ReplyVariant } from './template';

/**
 * Search for the composer's `/` popup: runs on every keystroke over a library of up to ~10k replies, so
 * the index is built once and a query never scans every reply's text.
 *
 * - Shortcuts sit in a sorted array; a prefix is a binary search plus a short walk.
 * - Words (lowercase, accents folded) of titles and bodies sit in one sorted vocabulary with posting
 *   lists (reply number + which fields contain the word); a query word is a prefix range of it.
 * - Han, kana and Hangul have no spaces, so they match by substring: each character and each pair of
 *   adjacent characters has a posting list. One or two characters are a direct lookup (退款 finds
 *   申请退款); a longer run takes its rarest pair's list and checks the substring on those replies only.
 *
 * Ranking: match strength (exact shortcut > shortcut prefix > every word in the title > in the body the
 * agent would insert > only in another language's body), then use count, then the newest edit.
 */

/** Which fields of a reply contain a word: bit 0 title (and shortcut words, category), then one per body. */
const titleBit = 1;
const bodyBit: Record<Locale, number> = { en: 2, 'zh-CN': 4, 'zh-TW': 8 };
const languages: readonly Locale[] = ['en', 'zh-CN', 'zh-TW'];

/** How a hit matched, strongest last; `none` for the empty query (the most used replies). */
export type MatchStrength = 'none' | 'other-language' | 'body' | 'title' | 'shortcut-prefix' | 'shortcut-exact';
const strengthNames: readonly MatchStrength[] = ['none', 'other-language', 'body', 'title', 'shortcut-prefix', 'shortcut-exact'];
const strength = { none: 0, otherLanguage: 1, body: 2, title: 3, shortcutPrefix: 4, shortcutExact: 5 } as const;

type Entry = {
  reply: QuickReply;
  useCount: number;
  titleText: string;
  bodyText: Partial<Record<Locale, string>>;
};

export type ReplyIndex = {
  readonly entries: readonly Entry[];
  readonly byId: ReadonlyMap<string, number>;
  /** Sorted shortcuts and the entry of each. */
  readonly shortcuts: readonly string[];
  readonly shortcutEntries: Int32Array;
  /** Sorted distinct words and the posting key of each, same order. */
  readonly words: readonly string[];
  readonly wordKeys: Int32Array;
  readonly wordPostings: PostingTable;
  /** Posting keys of single CJK characters, and of adjacent pairs by first then second code point. */
  readonly charKeys: ReadonlyMap<number, number>;
  readonly pairKeys: ReadonlyMap<number, ReadonlyMap<number, number>>;
  readonly cjkPostings: PostingTable;
  /** Per conversation language: the body bit of the variant pickVariant would insert, per entry. */
  readonly pickedBits: ReadonlyMap<Locale | null, Uint8Array>;
  /** Scratch space reused by queries (one per index: queries run one at a time on the UI thread). */
  readonly scratch: { bits: Uint8Array; best: Uint8Array; matched: Uint8Array };
};

const cjkChar = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const wordRun = /[\p{L}\p{N}\p{M}]+/gu;
const nonAscii = /[^\u0020-\u007e]/;
/** No CJK script starts below U+1100 (Hangul Jamo), so most characters skip the Unicode property test. */
const isCjk = (ch: string): boolean => ch.charCodeAt(0) >= 0x1100 && cjkChar.test(ch);

/** NFKC folds full-width letters and compatibility forms; lowercase; accents dropped for Latin words. */
const normalize = (text: string): string => text.normalize('NFKC').toLowerCase();
const foldAccents = (word: string): string => (nonAscii.test(word) ? word.normalize('NFD').replace(/\p{M}/gu, '') : word);

/** Splits normalized text into Latin-style words and CJK runs. */
function tokenize(normalized: string): { words: string[]; cjkRuns: string[] } {
  const words: string[] = [];
  const cjkRuns: string[] = [];
  for (const [run] of normalized.matchAll(wordRun)) {
    let current = '';
    let currentCjk = false;
    const flush = () => {
      if (current === '') return;
      if (currentCjk) cjkRuns.push(current);
      else words.push(foldAccents(current));
      current = '';
    };
    for (const ch of run) {
      const cjk = isCjk(ch);
      if (cjk !== currentCjk) flush();
      currentCjk = cjk;
      current += ch;
    }
    flush();
  }
  return { words, cjkRuns };
}

export function buildReplyIndex(replies: readonly QuickReply[]): ReplyIndex {
  const entries: Entry[] = [];
  const byId = new Map<string, number>();
  const wordCollector = createPostingsCollector();
  const cjkCollector = createPostingsCollector();
  const words = new Map<string, number>();
  // CJK keyed by code point, pairs by first then second: numbers hash without building a string for
  // every character of a megabyte of Chinese text.
  const chars = new Map<number, number>();
  const pairs = new Map<number, Map<number, number>>();
  const keyOf = <K>(keys: Map<K, number>, key: K, collector: { newKey(): number }): number => {
    let id = keys.get(key);
    if (id === undefined) keys.set(key, (id = collector.newKey()));
    return id;
  };
  const indexText = (normalized: string, entry: number, bit: number) => {
    const tokens = tokenize(normalized);
    for (const word of tokens.words) wordCollector.add(keyOf(words, word, wordCollector), entry, bit);
    for (const run of tokens.cjkRuns) {
      let previous = -1;
      for (let i = 0; i < run.length; ) {
        const cp = run.codePointAt(i)!;
        i += cp > 0xffff ? 2 : 1;
        cjkCollector.add(keyOf(chars, cp, cjkCollector), entry, bit);
        if (previous !== -1) {
          let second = pairs.get(previous);
          if (second === undefined) pairs.set(previous, (second = new Map()));
          cjkCollector.add(keyOf(second, cp, cjkCollector), entry, bit);
        }
        previous = cp;
      }
    }
  };

  for (const reply of replies) {
    if (byId.has(reply.id)) continue;
    const n = entries.length;
    byId.set(reply.id, n);
    const titleText = normalize(`${reply.title} ${reply.category} ${reply.shortcut}`);
    const bodyText: Partial<Record<Locale, string>> = {};
    indexText(titleText, n, titleBit);
    for (const language of languages) {
      const body = reply.bodies[language];
      if (body === undefined) continue;
      const normalized = normalize(body);
      bodyText[language] = normalized;
      indexText(normalized, n, bodyBit[language]);
    }
    entries.push({ reply, useCount: reply.useCount, titleText, bodyText });
  }

  const shortcutOrder = entries.map((_, i) => i).sort((a, b) => compareStrings(entries[a]!.reply.shortcut, entries[b]!.reply.shortcut));
  const sortedWords = [...words.keys()].sort(compareStrings);
  return {
    entries,
    byId,
    shortcuts: shortcutOrder.map((i) => entries[i]!.reply.shortcut),
    shortcutEntries: Int32Array.from(shortcutOrder),
    words: sortedWords,
    wordKeys: Int32Array.from(sortedWords, (w) => words.get(w)!),
    wordPostings: wordCollector.freeze(),
    charKeys: chars,
    pairKeys: pairs,
    cjkPostings: cjkCollector.freeze(),
    pickedBits: new Map(
      [...languages, null].map((language) => [
        language,
        Uint8Array.from(entries, (e) => {
          const variant = pickVariant(e.reply, language);
          return variant === null ? 0 : bodyBit[variant.language];
        }),
      ]),
    ),
    scratch: { bits: new Uint8Array(entries.length), best: new Uint8Array(entries.length), matched: new Uint8Array(entries.length) },
  };
}

/** Code-unit order, the order `startsWith` ranges are contiguous in (localeCompare is not). */
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts a reply use (it was inserted), so it ranks higher next time. Returns false for an unknown id. */
export function recordUse(index: ReplyIndex, id: string): boolean {
  const n = index.byId.get(id);
  if (n === undefined) return false;
  index.entries[n]!.useCount += 1;
  return true;
}

export type ReplyHit = {
  reply: QuickReply;
  /** The body to preview and insert for the conversation's language. */
  variant: ReplyVariant | null;
  match: MatchStrength;
  useCount: number;
};

export type SearchOptions = { language: Locale | null; limit?: number };
export const defaultSearchLimit = 8;

/**
 * Replies for what the agent typed after `/` (a leading slash is ignored too). Every query word must
 * match (prefix of a word, or substring for CJK); an empty query lists the most used replies.
 */
export function searchReplies(index: ReplyIndex, query: string, options: SearchOptions): ReplyHit[] {
  const limit = Math.max(0, options.limit ?? defaultSearchLimit);
  const q = normalize(query).trim().replace(/^\/+/, '').trim();
  const { bits, best, matched } = index.scratch;
  const candidates: number[] = [];
  const picked = index.pickedBits.get(options.language)!;

  if (q === '') {
    for (let n = 0; n < index.entries.length; n++) {
      best[n] = strength.none;
      candidates.push(n);
    }
  } else {
    const { words, cjkRuns } = tokenize(q);
    let survivors: number[] | null = null;
    const terms: Array<(touched: number[]) => void> = [
      ...words.map((w) => (touched: number[]) => collectWord(index, w, touched)),
      ...cjkRuns.map((r) => (touched: number[]) => collectRun(index, r, touched)),
    ];
    for (const collect of terms) {
      const touched: number[] = [];
      collect(touched);
      const next: number[] = [];
      for (const n of survivors ?? touched) {
        const b = bits[n]!;
        if (b === 0) continue;
        const s = b & titleBit ? strength.title : b & picked[n]! ? strength.body : strength.otherLanguage;
        best[n] = survivors === null ? s : Math.min(best[n]!, s);
        next.push(n);
      }
      for (const n of touched) bits[n] = 0;
      survivors = next;
      if (survivors.length === 0) break;
    }
    for (const n of survivors ?? []) {
      candidates.push(n);
      matched[n] = 1;
    }
    // The shortcut as typed ("refund-st"): hyphens and spaces both separate its words.
    const shortcut = q.replace(/\s+/g, '-');
    for (let i = lowerBound(index.shortcuts, shortcut); i < index.shortcuts.length && index.shortcuts[i]!.startsWith(shortcut); i++) {
      const n = index.shortcutEntries[i]!;
      const s = index.shortcuts[i] === shortcut ? strength.shortcutExact : strength.shortcutPrefix;
      if (matched[n] === 0) {
        candidates.push(n);
        best[n] = s;
      } else best[n] = Math.max(best[n]!, s);
    }
    for (const n of survivors ?? []) matched[n] = 0;
  }
  return topHits(index, candidates, limit, options.language);
}

function collectPostings(
  index: ReplyIndex,
  table: PostingTable,
  key: number,
  touched: number[],
  accept?: (n: number, bit: number) => boolean,
): void {
  const { bits } = index.scratch;
  for (let i = table.offsets[key]!, end = table.offsets[key + 1]!; i < end; i++) {
    const n = table.entries[i]!;
    let b = table.bits[i]!;
    if (accept !== undefined) {
      let kept = 0;
      for (let bit = 1; bit <= 8; bit <<= 1) if (b & bit && accept(n, bit)) kept |= bit;
      b = kept;
    }
    if (b === 0) continue;
    if (bits[n] === 0) touched.push(n);
    bits[n] = bits[n]! | b;
  }
}

function collectWord(index: ReplyIndex, word: string, touched: number[]): void {
  for (let i = lowerBound(index.words, word); i < index.words.length && index.words[i]!.startsWith(word); i++) {
    collectPostings(index, index.wordPostings, index.wordKeys[i]!, touched);
  }
}

const bitLanguage: ReadonlyMap<number, Locale> = new Map(languages.map((l) => [bodyBit[l], l]));

function collectRun(index: ReplyIndex, run: string, touched: number[]): void {
  const chars = Array.from(run, (ch) => ch.codePointAt(0)!);
  const table = index.cjkPostings;
  const pair = (i: number) => index.pairKeys.get(chars[i]!)?.get(chars[i + 1]!);
  if (chars.length <= 2) {
    const key = chars.length === 1 ? index.charKeys.get(chars[0]!) : pair(0);
    if (key !== undefined) collectPostings(index, table, key, touched);
    return;
  }
  let rarest: number | undefined;
  for (let i = 0; i + 1 < chars.length; i++) {
    const key = pair(i);
    if (key === undefined) return;
    if (rarest === undefined || postingCount(table, key) < postingCount(table, rarest)) rarest = key;
  }
  collectPostings(index, table, rarest!, touched, (n, bit) => {
    const entry = index.entries[n]!;
    const language = bitLanguage.get(bit);
    const text = language === undefined ? entry.titleText : entry.bodyText[language];
    return text?.includes(run) ?? false;
  });
}

/** The best `limit` candidates without sorting them all (a one-letter query can match thousands). */
function topHits(index: ReplyIndex, candidates: readonly number[], limit: number, language: Locale | null): ReplyHit[] {
  const { best } = index.scratch;
  const before = (a: number, b: number): boolean => {
    if (best[a] !== best[b]) return best[a]! > best[b]!;
    const ea = index.entries[a]!;
    const eb = index.entries[b]!;
    if (ea.useCount !== eb.useCount) return ea.useCount > eb.useCount;
    if (ea.reply.updatedAt !== eb.reply.updatedAt) return ea.reply.updatedAt > eb.reply.updatedAt;
    return ea.reply.shortcut < eb.reply.shortcut;
  };
  const top: number[] = [];
  for (const n of candidates) {
    if (top.length === limit && (limit === 0 || !before(n, top[limit - 1]!))) continue;
    let i = top.length === limit ? limit - 1 : top.length;
    while (i > 0 && before(n, top[i - 1]!)) i--;
    top.splice(i, 0, n);
    if (top.length > limit) top.pop();
  }
  return top.map((n) => {
    const entry = index.entries[n]!;
    return {
      reply: entry.reply,
      variant: pickVariant(entry.reply, language),
      match: strengthNames[best[n]!]!,
      useCount: entry.useCount,
    };
  });
}
