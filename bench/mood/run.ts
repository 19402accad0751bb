import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreMessage, warmSegmenter } from '../../server/mood/segmenter';

/**
 * Accuracy of "negative" per language on the frozen labelled sets (bench/mood/sets, see its README for
 * provenance), then the scoring time per message (segmentation included) over all sets' messages.
 */
type Row = { text: string; label: 'negative' | 'other' };
const runs = Number(process.argv[2] ?? 200);
type Figures = { n: number; precision: number; recall: number; tp: number; fp: number; fn: number };
const all: string[] = [];
const t0 = performance.now();
warmSegmenter();
const warmMs = Math.round(performance.now() - t0);
const accuracy: Record<string, Figures> = {};
const heldOut: Record<string, Figures> = {};
for (const [set, into] of [['sets', accuracy], ['heldout', heldOut]] as const)
for (const lang of ['en', 'zh-CN', 'zh-TW']) {
  const rows = readFileSync(join(import.meta.dirname, set, `${lang}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    const neg = scoreMessage(r.text).negative;
    if (neg && r.label === 'negative') tp++;
    else if (neg) fp++;
    else if (r.label === 'negative') fn++;
    all.push(r.text);
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  into[lang] = { n: rows.length, precision: round(tp / Math.max(1, tp + fp)), recall: round(tp / Math.max(1, tp + fn)), tp, fp, fn };
}
const times: number[] = [];
for (let k = 0; k < runs; k++) {
  for (const text of all) {
    const s = performance.now();
    scoreMessage(text);
    times.push(performance.now() - s);
  }
}
times.sort((a, b) => a - b);
const at = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 1000) / 1000;
console.log(JSON.stringify({ bench: 'mood', messages: times.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), dictionaryLoadMs: warmMs, goalP95Ms: 2, accuracy, heldOut }));
