import { toWellFormed } from './wellFormed';

/**
 * An email's HTML reduced to plain text for the conversation, never to be rendered as HTML: the result
 * is shown like any customer message (text nodes, core/chat/safeText segmentMessage). Script, style,
 * head and comments go with their content; block ends become line breaks; every other tag is dropped;
 * entities are decoded once (so "&amp;lt;script&amp;gt;" shows as "&lt;script&gt;", text, not a tag);
 * a numeric entity for NUL, a surrogate or a code point past U+10FFFF becomes U+FFFD.
 *
 * A regex pass, not a parser: it only ever removes markup, so HTML it misreads still comes out as
 * visible characters, which is the safe direction for text that is displayed and never interpreted.
 */

const dropWithContent = /<(script|style|head|title|template|noscript|svg|math)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const comments = /<!--[\s\S]*?(?:-->|$)/g;
const blockEnds = /<\s*(br|hr)\b[^>]*>|<\/\s*(p|div|tr|h[1-6]|blockquote|pre|table|section|article|header|footer)\s*>/gi;
const listItem = /<\s*li\b[^>]*>/gi;
const cell = /<\/\s*t[dh]\s*>/gi;
const tags = /<\/?[a-z!?][^>]*>/gi;
const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…', copy: '©', reg: '®', euro: '€', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', middot: '·' };

function codePoint(n: number): string {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(n);
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref[0] === '#') return codePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return named[ref.toLowerCase()] ?? whole;
  });
}

export function htmlToText(html: string): string {
  const text = html
    .replace(comments, '')
    .replace(dropWithContent, '')
    .replace(listItem, '\n• ')
    .replace(cell, '\t')
    .replace(blockEnds, '\n')
    .replace(tags, '')
    .replace(/[ \t\r\f\v]+/g, (ws) => (ws.includes('\t') ? '\t' : ' '));
  return toWellFormed(decodeEntities(text))
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
