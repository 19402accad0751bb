import { z } from 'zod';

/** A request to place a call, from a `tel:` / `sip:` / `callto:` link or the dial pad. */
export const DialRequest = z.object({
  /** What to dial: an E.164-ish number (`+4930123`) or a SIP URI (`sip:1001@example.com`). */
  target: z.string().min(1).max(256),
  source: z.enum(['link', 'dialpad', 'ticket']),
});
export type DialRequest = z.infer<typeof DialRequest>;

const phoneChars = /^[+]?[0-9*#]{1,32}$/;
const sipUser = /^[A-Za-z0-9._~+!$&'()*,;=%-]{1,64}$/;
const host = /^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/;

/**
 * Parses a `tel:` (RFC 3966), `sip:` (RFC 3261) or `callto:` link into a dial target, or null when it
 * is not one we would dial. Visual separators (`-`, `.`, spaces, parentheses) are dropped from numbers;
 * URI parameters and headers are dropped from SIP URIs, so a link cannot smuggle SIP headers in.
 */
export function parseDialLink(link: string): string | null {
  const m = /^(tel|sip|sips|callto):(?:\/\/)?(.*)$/i.exec(link.trim());
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const rest = decodeURIComponentSafe(m[2]!);
  if (rest === null) return null;
  if (scheme === 'tel' || scheme === 'callto') {
    const number = rest.split(';')[0]!.replace(/[\s().-]/g, '');
    if (phoneChars.test(number)) return number;
    if (scheme === 'callto') return parseSip(rest);
    return null;
  }
  return parseSip(rest, scheme);
}

function parseSip(rest: string, scheme = 'sip'): string | null {
  const bare = rest.split(/[;?]/)[0]!;
  const at = bare.lastIndexOf('@');
  if (at <= 0) return null;
  const user = bare.slice(0, at);
  const domain = bare.slice(at + 1);
  if (!sipUser.test(user) || !host.test(domain)) return null;
  return `${scheme}:${user}@${domain}`;
}

function decodeURIComponentSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
