/**
 * Search words for the client's `*words` multiEntry index: prefix search on ticket subject, customer
 * name and ticket number without scanning. Chinese and Japanese have no spaces, so a CJK run is indexed
 * as its character bigrams: 退款 (refund) is found in 申请退款, and a one-character query still works.
 */

const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const wordRun = /[\p{L}\p{N}\p{M}]+/gu;
/** Longer words are cut: prefixes that long never come from a search box, and keys stay small. */
const maxWordLength = 24;

function* runs(text: string): Generator<{ cjk: boolean; text: string }> {
  for (const [word] of text.normalize('NFKC').toLowerCase().matchAll(wordRun)) {
    let current = '';
    let currentCjk = false;
    for (const ch of word) {
      const isCjk = cjk.test(ch);
      if (current !== '' && isCjk !== currentCjk) {
        yield { cjk: currentCjk, text: current };
        current = '';
      }
      currentCjk = isCjk;
      current += ch;
    }
    if (current !== '') yield { cjk: currentCjk, text: current };
  }
}

function bigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The index words of some texts (subject, customer name, number …), deduplicated. */
export function searchWords(...texts: ReadonlyArray<string | number | null | undefined>): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    if (text === null || text === undefined) continue;
    for (const run of runs(String(text))) {
      if (run.cjk) {
        // Bigrams plus the run's last character: a one-character query is a prefix of the bigram that
        // starts with it, or is that last character, so lone characters need no entries of their own.
        const chars = [...run.text];
        for (const bigram of bigrams(chars)) words.add(bigram);
        words.add(chars[chars.length - 1]!);
      } else {
        words.add([...run.text].slice(0, maxWordLength).join(''));
      }
    }
  }
  return [...words];
}

/**
 * The tokens of a query; a ticket matches when every token is a prefix of one of its words.
 * A CJK run of two or more characters becomes its bigrams (all must match), one character stays itself.
 */
export function queryTokens(query: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(query)) {
    const chars = [...run.text];
    if (!run.cjk) tokens.add(chars.slice(0, maxWordLength).join(''));
    else if (chars.length === 1) tokens.add(run.text);
    else for (const bigram of bigrams(chars)) tokens.add(bigram);
  }
  return [...tokens];
}

export const matchesAllTokens = (words: readonly string[], tokens: readonly string[]): boolean =>
  tokens.every((token) => words.some((word) => word.startsWith(token)));
