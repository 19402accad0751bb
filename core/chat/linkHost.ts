/**
 * Whether a link's host can pass for another one, so the agent must see its real (ASCII, punycode) form:
 * "https://аpple.com/login" with a Cyrillic "а" reads as apple.com (issue 12 item 14). The rule follows
 * the spirit of the browsers' IDN display policies (Chromium's IDN spoof checker, UTS #39 mixed-script
 * detection), kept small: a host is suspect when its letters come from more than one script, except Latin
 * with the scripts written alongside it in East Asia (Han, Kana, Hangul, Bopomofo); when it has non-ASCII
 * symbols (a "∕" or "．" that looks like a separator); when it uses Latin letters made to look like
 * others (IPA and phonetic blocks: "ɑpple"); or when a punycode label does not decode.
 */

const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / damp) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((base - tMin) * tMax) >> 1) {
    d = Math.floor(d / (base - tMin));
    k += base;
  }
  return k + Math.floor(((base - tMin + 1) * d) / (d + skew));
}

/** RFC 3492 decoding of one label without its "xn--" prefix; null when it is not valid punycode. */
export function decodePunycode(label: string): string | null {
  const output: number[] = [];
  const basic = Math.max(0, label.lastIndexOf('-'));
  for (let j = 0; j < basic; j += 1) {
    const c = label.charCodeAt(j);
    if (c >= 0x80) return null;
    output.push(c);
  }
  let n = 128;
  let i = 0;
  let bias = 72;
  for (let index = basic > 0 ? basic + 1 : 0; index < label.length; ) {
    const oldi = i;
    let w = 1;
    for (let k = base; ; k += base) {
      if (index >= label.length) return null;
      const c = label.charCodeAt(index++);
      const digit = c >= 48 && c <= 57 ? c - 22 : c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 : base;
      if (digit >= base) return null;
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      w *= base - t;
      if (w > 0x10ffff * base) return null;
    }
    const length = output.length + 1;
    bias = adapt(i - oldi, length, oldi === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
    output.splice(i, 0, n);
    i += 1;
  }
  return String.fromCodePoint(...output);
}

/** The host as Unicode (punycode labels decoded), or null when a label does not decode. */
export function unicodeHost(asciiHost: string): string | null {
  const labels: string[] = [];
  for (const label of asciiHost.toLowerCase().split('.')) {
    if (!label.startsWith('xn--')) {
      labels.push(label);
      continue;
    }
    const decoded = decodePunycode(label.slice(4));
    if (decoded === null) return null;
    labels.push(decoded);
  }
  return labels.join('.');
}

const scripts: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Bopomofo', /\p{Script=Bopomofo}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
];
/** Written together with Latin in ordinary East Asian host names (例え.jp, 北京abc.cn). */
const withLatin = new Set(['Latin', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo']);
const letter = /[\p{L}\p{M}]/u;
const asciiHostChar = /[a-z0-9.-]/;
/** Latin letters from the IPA and phonetic blocks: "ɑ", "ɡ", "ᴏ" pass for a, g, o. */
const latinLookalikes = /[\u0250-\u02AF\u1D00-\u1DBF]/u;

function scriptOf(ch: string): string {
  for (const [name, pattern] of scripts) if (pattern.test(ch)) return name;
  return 'Other';
}

/** True when the host (as the URL parser gives it: lower-case ASCII, punycode) should be shown in that form. */
export function isConfusableHost(asciiHost: string): boolean {
  if (!asciiHost.split('.').some((label) => label.startsWith('xn--'))) return false;
  const host = unicodeHost(asciiHost);
  if (host === null) return true;
  if (latinLookalikes.test(host)) return true;
  const seen = new Set<string>();
  for (const ch of host) {
    if (asciiHostChar.test(ch)) {
      if (/[a-z]/.test(ch)) seen.add('Latin');
      continue;
    }
    if (!letter.test(ch)) {
      // Non-ASCII digits are fine only as digits (\p{Nd}); anything else is a symbol in disguise.
      if (/\p{Nd}/u.test(ch)) continue;
      return true;
    }
    if (/\p{M}/u.test(ch)) continue;
    seen.add(scriptOf(ch));
  }
  if (seen.size <= 1) return false;
  return ![...seen].every((s) => withLatin.has(s));
}
