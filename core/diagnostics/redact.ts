/**
 * Redaction for everything that can leave the machine in a diagnostics archive: log lines, structured
 * log fields, SIP messages and the policy. It runs twice: when a line is captured (so a secret never sits
 * in a log file or ring buffer) and again when the archive is built (defence in depth, and it catches
 * secrets the capture did not know about yet, such as a token issued after the line was written).
 *
 * What goes:
 * - credentials: SIP digest `response`/`nonce`/`cnonce`/`opaque`, `Bearer` tokens, JWT-shaped strings,
 *   long opaque tokens (refresh tokens are 43 base64url characters), URL query parameters and
 *   `key=value` / `"key": "value"` pairs whose key names a secret, SDP `a=ice-pwd` and `a=crypto` keys;
 * - customer message text: structured fields that carry message or comment bodies become
 *   `[redacted: N chars]` (the length helps diagnose "the message was too long" without the words);
 *   SIP bodies other than SDP likewise;
 * - any literal the caller knows is secret (the current tokens and SIP password, read at export time).
 *
 * What stays: ids (UUIDs, SIP Call-IDs, branches and tags are shorter than the token threshold), status
 * codes, header names, host names: what an engineer needs to follow a failure.
 */

export const REDACTED = '[redacted]';
export const redactedLength = (n: number): string => `[redacted: ${n} chars]`;

/** Keys whose values are credentials, wherever they appear (JSON, query strings, `k=v`, `k: v`). */
const secretKey = /^(?:.*[-_.]?)?(?:pass(?:word|wd|phrase)?|secret|credentials?|token|access[-_]?token|refresh[-_]?token|session[-_]?token|id[-_]?token|authorization|api[-_]?key|private[-_]?key|cookie|set-cookie|sig|signature|client[-_]?secret|code[-_]?verifier)$/i;

/** Structured keys that carry what a customer or agent wrote: never logged, only their length. */
const bodyKeys = new Set(['body', 'text', 'content', 'preview', 'snippet', 'draft', 'note', 'comment', 'lastmessage', 'transcript', 'liked', 'disliked', 'improve']);

export const isSecretKey = (key: string): boolean => secretKey.test(key);
export const isBodyKey = (key: string): boolean => bodyKeys.has(key.toLowerCase());

// The prefix is bounded and anchored at a word start: an unbounded `[\w.-]*` before the alternation made
// a 200 kB line take minutes (each start position rescans the rest of the run).
const secretNames = String.raw`\b[A-Za-z0-9_.-]{0,40}?(?:pass(?:word|wd|phrase)?|secret|credentials?|token|authorization|api[-_]?key|private[-_]?key|signature|sig|client[-_]?secret|code[-_]?verifier)`;

type Rule = [RegExp, string | ((...m: string[]) => string)];

const rules: Rule[] = [
  // Digest parameters (RFC 8760 / 2617) in Authorization, Proxy-Authorization, WWW-/Proxy-Authenticate.
  [/\b(response|nonce|cnonce|opaque)\s*=\s*("[^"\r\n]*"|[^,\s\r\n]+)/gi, (_m, k) => `${k}="${REDACTED}"`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (_m, scheme) => `${scheme} ${REDACTED}`],
  // SDP (RFC 8839 ice-pwd, RFC 4568 SDES keys).
  [/(a=ice-pwd:)\S+/gi, `$1${REDACTED}`],
  [/(a=crypto:\S+\s+\S+\s+inline:)[^\s|]+/gi, `$1${REDACTED}`],
  [/^((?:set-)?cookie\s*:).*$/gim, `$1 ${REDACTED}`],
  // "password": "x" and 'password': 'x' (JSON and JS-ish dumps), also with escaped quotes inside.
  [new RegExp(String.raw`(["']?${secretNames}["']?\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`, 'gi'), `$1"${REDACTED}"`],
  // Query strings and form bodies: ?access_token=x&…, password=x.
  [new RegExp(String.raw`([?&;\s,(]|^)(${secretNames})=([^&\s#;,)]+)`, 'gim'), `$1$2=${REDACTED}`],
  // "password: hunter2" in prose (not JSON; values are a single word).
  // The auth scheme stays (Bearer, Basic, Digest): its credentials are handled by the rules above.
  [new RegExp(String.raw`\b(${secretNames})(\s*:\s+)(?!"|(?:Bearer|Basic|Digest)\b)([^\s,;]+)`, 'gi'), `$1$2${REDACTED}`],
  // JWTs: base64url header starting {"…  (eyJ) . payload . signature.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Long unbroken base64/base64url/hex runs: opaque tokens. 32+ characters with a digit and a letter. */
const opaqueRun = /[A-Za-z0-9_+/-]{32,}={0,2}/g;

function redactOpaque(text: string): string {
  return text.replace(opaqueRun, (run) => {
    if (uuid.test(run) || run.split('-').every((part) => part.length < 24)) return run;
    if (!/[0-9]/.test(run) || !/[A-Za-z]/.test(run)) return run;
    // Paths and URLs with many short segments are not tokens.
    if (run.includes('/') && run.split('/').every((part) => part.length < 24)) return run;
    return REDACTED;
  });
}

/** Removes every occurrence of the given literals (shorter than 4 characters would redact words). */
export function scrubLiterals(text: string, literals: readonly string[]): string {
  let out = text;
  for (const s of literals) {
    if (s.length < 4) continue;
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

/**
 * Redacts credentials in free text: a log line, an error message, a header block. `opaqueTokens: false`
 * keeps long random-looking runs: SIP headers are full of them (Kamailio's 32-hex to-tags, Call-IDs) and
 * carry credentials only in the Authorization headers the rules above already handle.
 */
export function redactText(text: string, knownSecrets: readonly string[] = [], opts: { opaqueTokens?: boolean } = {}): string {
  let out = scrubLiterals(text, knownSecrets);
  for (const [pattern, replacement] of rules) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement as (...m: string[]) => string);
  }
  return opts.opaqueTokens === false ? out : redactOpaque(out);
}

/**
 * Redacts a structured value (log fields, a policy, a JSON body) by key, then its strings as free text.
 * Cycles and depth beyond 8 become a marker rather than a stack overflow.
 */
export function redactValue(value: unknown, knownSecrets: readonly string[] = [], depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value, knownSecrets);
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? String(typeof value) : value;
  if (seen.has(value)) return '[cycle]';
  if (depth >= 8) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, knownSecrets, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (isSecretKey(key)) out[key] = v === null || v === undefined || v === '' ? v : REDACTED;
    else if (isBodyKey(key) && typeof v === 'string') out[key] = redactedLength(v.length);
    else if (isBodyKey(key) && v !== null && v !== undefined) out[key] = REDACTED;
    else out[key] = redactValue(v, knownSecrets, depth + 1, seen);
  }
  return out;
}

/**
 * Redacts one SIP message (RFC 3261 text: start line, headers, blank line, body). Headers go through
 * redactText (digest credentials); an SDP body keeps its lines but loses ICE passwords and SDES keys;
 * any other body (SIP MESSAGE, INFO, NOTIFY) may carry what someone typed, so only its length stays.
 */
export function redactSipMessage(message: string, knownSecrets: readonly string[] = []): string {
  const split = /\r?\n\r?\n/.exec(message);
  const head = split ? message.slice(0, split.index) : message;
  const body = split ? message.slice(split.index + split[0].length) : '';
  const redactedHead = redactText(head, knownSecrets, { opaqueTokens: false });
  if (!split) return redactedHead;
  if (body.length === 0) return `${redactedHead}${split[0]}`;
  const contentType = /^(?:content-type|c)\s*:\s*([^\r\n;]+)/im.exec(head)?.[1]?.trim().toLowerCase();
  const isSdp = contentType === 'application/sdp';
  const redactedBody = isSdp ? redactText(body, knownSecrets, { opaqueTokens: false }) : redactedLength(body.length);
  return `${redactedHead}${split[0]}${redactedBody}`;
}
