import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { toWellFormed } from './wellFormed';

/**
 * An email's HTML reduced to plain text for the conversation, never to be rendered as HTML: the result
 * is shown like any customer message (text nodes, core/chat/safeText segmentMessage). Script, style,
 * head and comments go with their content; block ends become line breaks; every other tag is dropped;
 * entities are decoded once (so "&amp;lt;script&amp;gt;" shows as "&lt;script&gt;", text, not a tag);
 * a numeric entity for NUL, a surrogate or a code point past U+10FFFF becomes U+FFFD.
 *
 * Built on htmlparser2's Tokenizer, a state machine that reads each character once (issue 12 item 1: the
 * regex version rescanned the rest of the input for every "<" and froze the server for minutes on 2 MB of
 * "<a"). The callbacks below do O(1) work per token, there is no open-element stack to search, and both
 * the HTML read and the text produced are capped, so the time is bounded whatever the input.
 * It only ever removes markup, so HTML it misreads still comes out as visible characters, which is the
 * safe direction for text that is displayed and never interpreted.
 */

export const emailTextLimits = {
  /**
   * Characters of HTML read; the rest is ignored (and the caller says the email was shortened). The
   * conversation shows a few thousand characters of an email; Gmail clips a message's HTML at 102 kB for
   * the same reason. The cap keeps the worst input's conversion to milliseconds: the event loop is shared.
   */
  html: 100_000,
  /** Characters of text produced before reading stops. */
  text: 50_000,
} as const;

/** Dropped together with everything inside them. */
const dropWithContent = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg', 'math']);
/** Their end is a line break. */
const blockEnds = new Set(['p', 'div', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'section', 'article', 'header', 'footer']);
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

/** The markup-free text of `html` with block structure as line breaks, before entities and whitespace. */
/**
 * The markup-free text of `html` (see htmlToTextCapped), read `slice` characters at a time: the generator
 * yields between slices, so an async caller can let other work run; the tokenizer keeps its state across
 * writes and reports positions in the whole input.
 */
function* extractText(html: string, maxText: number, slice: number): Generator<void, { text: string; stopped: boolean }> {
  const parts: string[] = [];
  let produced = 0;
  // Adjacent text events (2 MB of "<" is two million of them) are joined as one slice of the input.
  let runStart = -1;
  let runEnd = -1;
  /** Open elements of the drop-with-content kinds, by name; text is dropped while any is open. */
  const dropDepth = new Map<string, number>();
  let dropping = 0;
  let tagName = '';
  /** Where the opening tag being read started ("<"), or -1: a tag the input ends inside is kept as text. */
  let tagStart = -1;

  const flush = () => {
    if (runStart < 0) return;
    parts.push(html.slice(runStart, runEnd));
    runStart = -1;
  };
  const emit = (text: string) => {
    flush();
    parts.push(text);
    produced += text.length;
  };
  const lower = (start: number, end: number) => html.slice(start, end).toLowerCase();
  const open = (name: string) => {
    if (dropWithContent.has(name)) {
      dropDepth.set(name, (dropDepth.get(name) ?? 0) + 1);
      dropping += 1;
    } else if (name === 'body') {
      // <body> ends an unclosed <head>, as in a browser.
      dropping -= dropDepth.get('head') ?? 0;
      dropDepth.delete('head');
    }
    if (dropping > 0) return;
    if (name === 'br' || name === 'hr') emit('\n');
    else if (name === 'li') emit('\n• ');
  };
  const close = (name: string) => {
    const depth = dropDepth.get(name) ?? 0;
    if (depth > 0) {
      dropDepth.set(name, depth - 1);
      dropping -= 1;
      return;
    }
    if (dropping > 0) return;
    if (blockEnds.has(name)) emit('\n');
    else if (name === 'td' || name === 'th') emit('\t');
  };
  const ignore = () => undefined;

  const callbacks: TokenizerCallbacks = {
    ontext(start, end) {
      if (dropping > 0) return;
      if (runStart >= 0 && start === runEnd) {
        runEnd = end;
      } else {
        flush();
        runStart = start;
        runEnd = end;
      }
      produced += end - start;
      if (produced >= maxText) tokenizer.pause();
    },
    ontextentity: ignore,
    onopentagname(start, end) {
      tagName = lower(start, end);
      tagStart = start - 1;
    },
    onopentagend() {
      tagStart = -1;
      open(tagName);
    },
    onselfclosingtag() {
      tagStart = -1;
      open(tagName);
      // <svg/> and friends have no content to drop.
      if (dropWithContent.has(tagName)) close(tagName);
    },
    onclosetag(start, end) {
      close(lower(start, end));
    },
    onattribname: ignore,
    onattribdata: ignore,
    onattribentity: ignore,
    onattribend: ignore,
    oncomment: ignore,
    oncdata: ignore,
    ondeclaration: ignore,
    onprocessinginstruction: ignore,
    onend() {
      if (tagStart >= 0 && dropping === 0) emit(html.slice(tagStart));
      flush();
    },
  };
  // Entities are decoded afterwards by decodeEntities, with its deliberately short table.
  const tokenizer = new Tokenizer({ decodeEntities: false }, callbacks);
  for (let at = 0; at < html.length && tokenizer.running; at += slice) {
    if (at > 0) yield;
    tokenizer.write(html.slice(at, at + slice));
  }
  const stopped = !tokenizer.running;
  if (stopped) callbacks.onend();
  else tokenizer.end();
  return { text: parts.join(''), stopped };
}

export type HtmlTextLimits = { html?: number; text?: number };

/** Characters fed to the tokenizer between two pauses of htmlToTextAsync: well under a millisecond of work. */
const sliceLength = 16_384;

function* textSteps(html: string, limits: HtmlTextLimits, slice: number): Generator<void, { text: string; truncated: boolean }> {
  const maxHtml = limits.html ?? emailTextLimits.html;
  const maxText = limits.text ?? emailTextLimits.text;
  const extracted = yield* extractText(html.length > maxHtml ? html.slice(0, maxHtml) : html, maxText, slice);
  const truncated = html.length > maxHtml || extracted.stopped;
  const text = extracted.text
    .slice(0, maxText)
    .replace(/[ \t\r\f\v]+/g, (ws) => (ws.includes('\t') ? '\t' : ' '));
  const shown = toWellFormed(decodeEntities(text))
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text: shown, truncated };
}

/** The text of `html`, and whether a cap cut it (the rest of the email is not shown). */
export function htmlToTextCapped(html: string, limits: HtmlTextLimits = {}): { text: string; truncated: boolean } {
  const steps = textSteps(html, limits, Infinity);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/**
 * htmlToTextCapped, awaiting `pause` between slices of the input: a server passes a yield to its event
 * loop, so converting one large email never holds up other requests for more than a slice's work.
 */
export async function htmlToTextAsync(html: string, limits: HtmlTextLimits, pause: () => Promise<void>): Promise<{ text: string; truncated: boolean }> {
  const steps = textSteps(html, limits, sliceLength);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await pause();
  }
}

export const htmlToText = (html: string, limits: HtmlTextLimits = {}): string => htmlToTextCapped(html, limits).text;
