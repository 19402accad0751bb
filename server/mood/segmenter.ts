import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { zhAbuse, zhIntensifiers, zhNegators, zhWords } from '../../core/mood/lexicon';
import { type Mood, hasHan, scoreWords } from '../../core/mood/score';

/**
 * Chinese word segmentation with @node-rs/jieba (jieba-rs, native prebuilt from npm, MIT): maintained, the
 * fastest of the jieba ports for Node, and its linux-x64 binary installs from npm with no build step.
 * Its default dictionary is simplified Chinese; the lexicon's words (both scripts) are added with a high
 * frequency so 不滿意 / 滿意 / 當掉 come out as words rather than single characters.
 */
let jieba: Jieba | null = null;

function segmenter(): Jieba {
  if (jieba) return jieba;
  const j = Jieba.withDict(dict);
  const words = new Set([...Object.keys(zhWords), ...zhNegators, ...Object.keys(zhIntensifiers), ...zhAbuse]);
  j.loadDict(new TextEncoder().encode([...words].map((w) => `${w} 100000`).join('\n')));
  jieba = j;
  return j;
}

/** Load the dictionary now (about 0.7 s) rather than on the first customer message. */
export function warmSegmenter(): void {
  segmenter();
}

export function segment(text: string): string[] {
  return segmenter().cut(text, true);
}

/** The mood of one customer message, on the server, with no cloud service. */
export function scoreMessage(text: string): Mood {
  return scoreWords(text, hasHan(text) ? segment(text) : []);
}
