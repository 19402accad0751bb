import { isConfusableHost } from './linkHost';
import { isWellFormed } from './wellFormed';

/**
 * Customer text is untrusted. These helpers turn it into plain segments the renderer shows as text
 * nodes (never HTML), with links detected conservatively, and make sure nothing invisible changes what
 * the agent sees: a right-to-left override can make "invoice‮fdp.exe" read as "invoiceexe.pdf", and a
 * zero-width space can split a host name so it reads as another. The original string is never
 * modified in place; callers keep it (for the record, for export) and display what these return.
 */

/**
 * Bidi embedding/override/isolate controls and marks (Unicode TR9): LRE RLE PDF LRO RLO, LRI RLI FSI
 * PDI, LRM RLM, and the Arabic letter mark. Stripping them shows text in logical order, which is what
 * the bytes say; the flag lets the UI say "this message contained direction controls".
 */
const bidiControls = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/**
 * Invisible characters with no legitimate role in a chat message: zero-width space, word joiner and
 * invisible operators, BOM, Mongolian vowel separator, soft hyphen. ZWJ and ZWNJ are kept: emoji
 * sequences (👩‍💻) and Persian or Indic words need them; they never become part of a link.
 */
const invisibles = /[\u200B\u2060-\u2064\uFEFF\u180E\u00AD]/g;
/** C0 and C1 controls except tab, line feed and carriage return; NUL among them. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export type NeutralizedText = {
  text: string;
  hadBidiControls: boolean;
  hadInvisibleChars: boolean;
  hadControlChars: boolean;
};

/** Removes bidi controls, invisible characters and control characters, saying which were present. */
export function neutralizeText(raw: string): NeutralizedText {
  const withoutBidi = raw.replace(bidiControls, '');
  const withoutInvisible = withoutBidi.replace(invisibles, '');
  const text = withoutInvisible.replace(controls, '');
  return {
    text,
    hadBidiControls: withoutBidi.length !== raw.length,
    hadInvisibleChars: withoutInvisible.length !== withoutBidi.length,
    hadControlChars: text.length !== withoutInvisible.length,
  };
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair (no lone half is shown). */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}

export type TextSegment = { kind: 'text'; text: string };
export type LinkSegment = {
  kind: 'link';
  /** Exactly what the customer wrote (IDN shown as written, so a homoglyph host is not hidden). */
  text: string;
  /** The URL as the parser normalized it; the only thing ever handed to the external-link check. */
  href: string;
  /** The host in ASCII (punycode for IDN), for a hover or confirmation that shows where it really goes. */
  host: string;
  /** True when the host has a punycode label: worth a second look before opening (homoglyphs). */
  idn: boolean;
  /**
   * The host mixes scripts or hides a look-alike (core/chat/linkHost.ts): wherever the link is shown,
   * `host` (punycode) is shown with it, so "https://аpple.com" cannot pass for apple.com.
   */
  confusable: boolean;
};
export type MessageSegment = TextSegment | LinkSegment;

export type SegmentedMessage = {
  segments: MessageSegment[];
  /** The message was longer than maxLength; the caller still holds the full original. */
  truncated: boolean;
} & Omit<NeutralizedText, 'text'>;

export const defaultMaxMessageLength = 20_000;
/** Same cap as core/externalLinks.ts: a longer URL would be refused there, so it is not offered as a link. */
const maxUrlLength = 2048;

/**
 * A link starts at http:// or https:// (no other scheme is ever a link, so javascript:, data:, file: and
 * friends stay text) and runs until whitespace, an ASCII character that cannot appear unescaped in a
 * URL, or CJK punctuation, so "请看https://example.com/a。" ends before the full stop. Letters of any
 * script are allowed: internationalized hosts and paths are real.
 */
const linkCandidate =
  /https?:\/\/[^\s<>"'`\\^{|}\u3000-\u303F\uFF01\uFF08\uFF09\uFF0C\uFF1A\uFF1B\uFF1F\uFF3B\uFF3D\u200C\u200D]+/gi;
/** Sentence punctuation that ends a sentence, not the URL. */
const trailingPunctuation = /[.,;:!?)\]*_~'"…]$/;

function trimCandidate(candidate: string): string {
  let url = candidate;
  while (trailingPunctuation.test(url)) {
    // Keep a closing parenthesis that balances one inside the URL (Wikipedia-style paths).
    if (url.endsWith(')') && count(url, '(') >= count(url, ')')) break;
    if (url.endsWith(']') && count(url, '[') >= count(url, ']')) break;
    url = url.slice(0, -1);
  }
  return url;
}

const count = (s: string, ch: string): number => s.split(ch).length - 1;

/** The link segment for a candidate, or null when it must stay text. */
function toLink(text: string): LinkSegment | null {
  if (text.length > maxUrlLength) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.hostname === '') return null;
  // https://bank.com@evil.example/ reads as bank.com but goes to evil.example.
  if (url.username !== '' || url.password !== '') return null;
  const host = url.hostname.toLowerCase();
  return { kind: 'link', text, href: url.toString(), host, idn: host.split('.').some((label) => label.startsWith('xn--')), confusable: isConfusableHost(host) };
}

/**
 * Splits untrusted text into text and link segments. Concatenating the segments' `text` gives the
 * neutralized, possibly truncated text: nothing else is dropped or rewritten. Markdown link syntax is
 * not interpreted, so "[your bank](https://evil.example)" shows the real URL.
 */
export function segmentMessage(raw: string, options: { maxLength?: number } = {}): SegmentedMessage {
  const { text: cut, truncated } = truncateText(raw, options.maxLength ?? defaultMaxMessageLength);
  const { text, ...flags } = neutralizeText(cut);
  const segments: MessageSegment[] = [];
  const pushText = (t: string) => {
    if (t === '') return;
    const previous = segments[segments.length - 1];
    if (previous?.kind === 'text') previous.text += t;
    else segments.push({ kind: 'text', text: t });
  };
  let position = 0;
  const finder = new RegExp(linkCandidate.source, linkCandidate.flags);
  for (let match = finder.exec(text); match !== null; match = finder.exec(text)) {
    const start = match.index;
    // "xhttps://" or "javascript:https://" is not a link start: the scheme must begin a word. Only ASCII
    // counts here, because Chinese text runs straight into a URL ("请点击https://…").
    if (start > 0 && /[A-Za-z0-9:/.+-]/.test(text[start - 1]!)) {
      finder.lastIndex = start + 1;
      continue;
    }
    // A run too long to be a link is skipped whole (any URL inside it would be as long), which also
    // keeps a megabyte of "https://https://…" linear.
    if (match[0].length > maxUrlLength) continue;
    const candidate = trimCandidate(match[0]);
    const link = toLink(candidate);
    if (link === null) {
      // "[https://bank.example](https://evil.example)" does not parse as one URL; look for a link
      // that starts inside it. Bounded: the run is at most maxUrlLength long.
      finder.lastIndex = start + 1;
      continue;
    }
    pushText(text.slice(position, start));
    segments.push(link);
    position = start + candidate.length;
    finder.lastIndex = position;
  }
  pushText(text.slice(position));
  return { segments, truncated, ...flags };
}

/** Windows refuses these as a file's base name whatever the extension (CON.txt is the console). */
const reservedWindowsNames = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
/** Characters Windows forbids in names, plus look-alike dots that would fake an extension. */
const forbiddenInName = /[<>:"|?*\u2024\uFE52\uFF0E]/g;
export const defaultMaxFileNameLength = 120;
/** An extension longer than this is more likely part of the name ("report.final version"). */
const maxExtensionLength = 16;

/**
 * A display- and save-safe version of an attachment's name. It drops any path (both separators),
 * controls, bidi controls and invisible characters, Windows-forbidden characters and leading dots;
 * collapses runs of spaces (so "invoice.pdf            .exe" cannot push .exe out of sight); renames
 * reserved device names; and shortens long names in the middle so the real extension stays visible.
 * "invoice\u202Efdp.exe" becomes "invoicefdp.exe".
 */
export function safeFileName(raw: string, options: { maxLength?: number } = {}): string {
  const max = Math.max(8, options.maxLength ?? defaultMaxFileNameLength);
  const { text } = neutralizeText(raw.normalize('NFC'));
  const base = text.split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[\u200C\u200D]/g, '')
    .replace(forbiddenInName, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    // Windows drops trailing dots and spaces, so "a.exe." would run as a.exe.
    .replace(/[\s.]+$/, '');
  if (name === '') return 'attachment';
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const rawExtension = dot > 0 ? name.slice(dot) : '';
  const extension = rawExtension.length <= maxExtensionLength + 1 && !rawExtension.includes(' ') ? rawExtension : '';
  const fullStem = extension === '' ? name : stem;
  const firstPart = fullStem.split('.')[0] ?? '';
  if (reservedWindowsNames.test(firstPart.trim())) name = `_${name}`;
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const keep = Array.from(extension);
  const head = Array.from(extension === '' ? name : name.slice(0, name.length - extension.length));
  return `${head.slice(0, max - keep.length - 1).join('').trimEnd()}…${keep.join('')}`;
}

/**
 * One short untrusted string as shown on one line: a customer's display name, an author line, a ticket's
 * customer, a quick reply's title, a file name in a list. The same policy as message bodies (neutralizeText:
 * bidi controls, invisible and control characters removed) plus line breaks and runs of spaces folded, so
 * "invoice\u202Egpj.exe" shows as "invoicegpj.exe", in logical order, and `flagged` tells the UI to show
 * that something was removed. The stored value is never changed; this is for display.
 */
export type ShownName = { text: string; flagged: boolean };

export const defaultMaxNameLength = 200;

export function showName(raw: string | null | undefined, options: { maxLength?: number } = {}): ShownName {
  if (raw === null || raw === undefined) return { text: '', flagged: false };
  const { text, hadBidiControls, hadInvisibleChars, hadControlChars } = neutralizeText(raw);
  // Tab, CR and LF are not "controls" for message bodies; on one line they would push text out of sight.
  const folded = text.replace(/\s+/g, ' ').trim();
  return {
    text: truncateText(folded, options.maxLength ?? defaultMaxNameLength).text,
    flagged: hadBidiControls || hadInvisibleChars || hadControlChars,
  };
}

/**
 * Why a user- or customer-written string cannot be stored as is, or null when it can. Text is stored
 * verbatim or refused, never silently changed: PostgreSQL text (and jsonb) cannot hold NUL, and a lone
 * surrogate cannot be encoded as UTF-8, so the driver would store U+FFFD instead. Every write path that
 * stores such text refuses these with a 400 and this message (core/wire/chat.ts FreeText and MessageBody,
 * server/chat/quickReplies.ts); what is shown is decided by showName and segmentMessage at display time.
 */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'text cannot contain NUL characters';
  if (!isWellFormed(text)) return 'text cannot contain unpaired UTF-16 surrogates';
  return null;
}
