import { z } from 'zod';
import type { PolicyValues } from './policy/schema';

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

/**
 * What the dialer may call, from managed policy (core/policy/schema.ts AllowedSipDomains and
 * BlockedNumberPatterns) and the agent's own SIP domain, which is always allowed.
 */
export type DialPolicy = {
  allowedSipDomains: readonly string[];
  blockedNumberPatterns: readonly string[];
  ownSipDomain?: string | null | undefined;
};

export const dialPolicyFrom = (values: Pick<PolicyValues, 'AllowedSipDomains' | 'BlockedNumberPatterns'>, ownSipUri?: string | null): DialPolicy => ({
  allowedSipDomains: values.AllowedSipDomains,
  blockedNumberPatterns: values.BlockedNumberPatterns,
  ownSipDomain: sipDomainOf(ownSipUri),
});

export type DialRefusal =
  | { code: 'blocked-number'; number: string; pattern: string }
  | { code: 'sip-domain-not-allowed'; domain: string }
  | { code: 'not-dialable' };

export type DialVerdict = { ok: true; target: string } | { ok: false; target: string; refusal: DialRefusal };

/** The domain of a SIP address's own SIP URI (`sip:1001@example.com:5060` → `example.com`). */
export function sipDomainOf(uri: string | null | undefined): string | null {
  const m = /^sips?:[^@]+@([^;:>?]+)/i.exec(uri ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

const domainMatches = (domain: string, pattern: string) => {
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? domain === p.slice(2) || domain.endsWith(p.slice(1)) : domain === p;
};

/**
 * The number as the blocked patterns see it: visual separators dropped, and a leading international
 * `00` read as `+`, so `00 1 900 …` meets the same `^\+?1?900` as `+1 900 …`. Both forms are tested.
 */
function numberForms(raw: string): string[] {
  const n = raw.replace(/[\s().-]/g, '');
  return n.startsWith('00') ? [n, `+${n.slice(2)}`] : [n];
}

function blockedBy(number: string, patterns: readonly string[]): string | null {
  for (const pattern of patterns) {
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch {
      continue; // the schema refuses invalid patterns; one that slipped through blocks nothing rather than everything
    }
    if (numberForms(number).some((form) => re.test(form))) return pattern;
  }
  return null;
}

/**
 * Whether the dialer may call `target` (a number, an extension or a sip:/sips: URI, as parseDialLink
 * returns or an agent types): a blocked number pattern refuses it, and so does a SIP URI to a domain that
 * is neither the agent's own nor allowed. The user part of a SIP URI is checked as a number too, so
 * `sip:+1900…@own-pbx` is as blocked as `tel:+1900…`.
 */
export function checkDialTarget(target: string, policy: DialPolicy): DialVerdict {
  const trimmed = target.trim();
  if (/^sips?:/i.test(trimmed)) {
    const m = /^sips?:([^@]+)@([^;:>?]+)/i.exec(trimmed);
    if (!m) return { ok: false, target: trimmed, refusal: { code: 'not-dialable' } };
    const domain = m[2]!.toLowerCase();
    const own = policy.ownSipDomain?.toLowerCase();
    if (domain !== own && !policy.allowedSipDomains.some((p) => domainMatches(domain, p))) {
      return { ok: false, target: trimmed, refusal: { code: 'sip-domain-not-allowed', domain } };
    }
    const pattern = blockedBy(m[1]!, policy.blockedNumberPatterns);
    return pattern ? { ok: false, target: trimmed, refusal: { code: 'blocked-number', number: m[1]!, pattern } } : { ok: true, target: trimmed };
  }
  if (trimmed === '' || trimmed.length > 256) return { ok: false, target: trimmed, refusal: { code: 'not-dialable' } };
  const pattern = blockedBy(trimmed, policy.blockedNumberPatterns);
  return pattern ? { ok: false, target: trimmed, refusal: { code: 'blocked-number', number: trimmed, pattern } } : { ok: true, target: trimmed };
}
