import { enAbuse, zhAbuse } from './lexicon';

/** A stretch of a message to mask in the agent's view, as UTF-16 offsets into the body: [start, end). */
export type AbuseSpan = { start: number; end: number };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first, so 他妈的 masks whole rather than as 妈的 plus a stray 他.
const zhPattern = new RegExp([...zhAbuse].sort((a, b) => b.length - a.length).map(escape).join('|'), 'giu');
// Word boundaries for English (Latin letters), so "Scunthorpe" or "classic" is not masked.
const enPattern = new RegExp(`(?<![\\p{L}])(?:${[...enAbuse].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\p{L}])`, 'giu');

/** Where insults and profanity are in a customer's message; none: an empty list. */
export function findAbuse(body: string): AbuseSpan[] {
  const spans: AbuseSpan[] = [];
  for (const pattern of [zhPattern, enPattern]) {
    for (const m of body.matchAll(pattern)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** A body with its abusive stretches replaced by one • per character, for previews and alerts. */
export function maskAbuse(body: string, spans: readonly AbuseSpan[] = findAbuse(body)): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += body.slice(at, s.start) + '•'.repeat([...body.slice(s.start, s.end)].length);
    at = s.end;
  }
  return out + body.slice(at);
}
