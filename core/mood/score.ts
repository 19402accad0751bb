import { enIntensifiers, enNegators, enWords, zhImperatives, zhIntensifiers, zhNegators, zhPoliteOpeners, zhWords } from './lexicon';

/**
 * Mood of one customer message from its words (issue 20). Pure: the Chinese segmentation happens on the
 * server (server/mood/segmenter.ts, jieba) and hands the words in; English is split here.
 *
 * Each lexicon word adds its weight; an intensifier just before it (非常, 太, very) multiplies it; a
 * negator up to two words before it (不满意, not happy) flips it and halves it, as "not happy" is milder
 * than "unhappy". The sum is squashed to -1 … +1; a message is "negative" at or below `negativeAt`.
 */
export type Mood = { score: number; negative: boolean };

export const negativeAt = -0.3;

type Lexicon = {
  words: Readonly<Record<string, number>>;
  negators: ReadonlySet<string>;
  intensifiers: Readonly<Record<string, number>>;
  imperatives: ReadonlySet<string>;
  politeOpeners: ReadonlySet<string>;
};
const none: ReadonlySet<string> = new Set();
const zh: Lexicon = { words: zhWords, negators: zhNegators, intensifiers: zhIntensifiers, imperatives: zhImperatives, politeOpeners: zhPoliteOpeners };
const en: Lexicon = { words: enWords, negators: enNegators, intensifiers: enIntensifiers, imperatives: none, politeOpeners: none };

const cjk = /\p{Script=Han}/u;

// Own keys only: a customer writing "constructor" must not find Object.prototype's (a NaN score, seen in the hostile-payload test).
const own = (table: Readonly<Record<string, number>>, key: string | undefined): number | undefined => (key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined);

/** English words, lower case, with n't kept as its own negator ("don't" → "do", "n't"). */
export function englishWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[a-z]+(?:'[a-z]+)?/g)) {
    const w = m[0];
    if (w.endsWith("n't")) out.push(w.slice(0, -3), "n't");
    else out.push(w);
  }
  return out;
}

function sum(words: readonly string[], lex: Lexicon): number {
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    const weight = own(lex.words, words[i]);
    if (weight === undefined || (i === 0 && lex.politeOpeners.has(words[i]!))) continue;
    let v = weight;
    const before = words[i - 1];
    const boost = own(lex.intensifiers, before);
    if (boost !== undefined) v *= boost;
    // A negator within two words before (不 满意, 一点 都 不 满意, not very happy), not across punctuation.
    for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
      const w = words[k]!;
      if (lex.negators.has(w) || lex.imperatives.has(w)) {
        if (!(lex.imperatives.has(w) && v < 0)) v = -v * 0.6;
        break;
      }
      if (!/[\p{L}]/u.test(w)) break;
    }
    total += v;
  }
  return total;
}

/**
 * `zhWords`: the message segmented by jieba (empty when it has no Han characters). Shouting adds to a
 * negative message: "!" and ALL CAPS words.
 */
export function scoreWords(text: string, zhWordsOfText: readonly string[]): Mood {
  let total = sum(englishWords(text), en);
  if (cjk.test(text)) total += sum(zhWordsOfText, zh);
  if (total < 0) {
    const bangs = (text.match(/[!！]/g) ?? []).length;
    const caps = (text.match(/\b[A-Z]{3,}\b/g) ?? []).length;
    total *= 1 + Math.min(0.5, 0.15 * bangs + 0.2 * caps);
  }
  const score = Math.round(Math.tanh(total / 3) * 100) / 100;
  return { score, negative: score <= negativeAt };
}

export const hasHan = (text: string) => cjk.test(text);
