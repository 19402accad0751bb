import { describe, expect, it } from 'vitest';
import { checkDialTarget, parseDialLink, sipDomainOf, type DialPolicy } from './dial';
import { policies } from './policy/schema';

const defaults: DialPolicy = {
  allowedSipDomains: policies.AllowedSipDomains.default,
  blockedNumberPatterns: policies.BlockedNumberPatterns.default,
  ownSipDomain: 'pbx.example.com',
};

describe('issue 12 item 9 (dial links ask): dial policy', () => {
  it('issue 12 item 9 (dial links ask): premium-rate numbers are refused by the default patterns, with the pattern as the reason', () => {
    for (const link of ['tel:+1-900-555-0100', 'tel:19005550100', 'tel:900-555-0100', 'tel:+44 909 8790 000', 'tel:+449098790000', 'tel:0900 123456', 'callto:001 900 555 0100']) {
      const target = parseDialLink(link)!;
      const verdict = checkDialTarget(target, defaults);
      expect(verdict.ok, link).toBe(false);
      expect(!verdict.ok && verdict.refusal.code, link).toBe('blocked-number');
    }
    expect(checkDialTarget('+19005550100', defaults)).toEqual({
      ok: false,
      target: '+19005550100',
      refusal: { code: 'blocked-number', number: '+19005550100', pattern: '^\\+?1?900' },
    });
  });

  it('issue 12 item 9 (dial links ask): ordinary numbers and extensions pass', () => {
    for (const target of ['+4930123456', '+8613800138000', '1002', '+442071234567', '0301234567']) expect(checkDialTarget(target, defaults)).toEqual({ ok: true, target });
  });

  it('issue 12 item 9 (dial links ask): a sip: URI to a domain that is not the agent\'s own or allowed is refused with the domain', () => {
    expect(checkDialTarget('sip:1001@pbx.example.com', defaults).ok).toBe(true);
    expect(checkDialTarget('sip:1001@PBX.Example.com', defaults).ok).toBe(true);
    expect(checkDialTarget('sip:alice@evil.example', defaults)).toEqual({ ok: false, target: 'sip:alice@evil.example', refusal: { code: 'sip-domain-not-allowed', domain: 'evil.example' } });
    expect(checkDialTarget('sip:alice@evil.example', { ...defaults, ownSipDomain: null }).ok).toBe(false);
    const partner: DialPolicy = { ...defaults, allowedSipDomains: ['partner.example', '*.carrier.example'] };
    expect(checkDialTarget('sip:bob@partner.example', partner).ok).toBe(true);
    expect(checkDialTarget('sips:bob@eu.carrier.example:5061', partner).ok).toBe(true);
    expect(checkDialTarget('sip:bob@carrier.example', partner).ok).toBe(true);
    expect(checkDialTarget('sip:bob@notcarrier.example', partner).ok).toBe(false);
    expect(checkDialTarget('sip:bob@partner.example.evil', partner).ok).toBe(false);
  });

  it('issue 12 item 9 (dial links ask): the user part of an allowed sip: URI is checked against the blocked numbers', () => {
    expect(checkDialTarget('sip:+19005550100@pbx.example.com', defaults)).toMatchObject({ ok: false, refusal: { code: 'blocked-number' } });
  });

  it('issue 12 item 9 (dial links ask): the policy schema refuses bad patterns and domains', () => {
    expect(policies.BlockedNumberPatterns.schema.safeParse(['^\\+?1?900', '(']).success).toBe(false);
    expect(policies.AllowedSipDomains.schema.safeParse(['example.com', '*.example.net']).success).toBe(true);
    expect(policies.AllowedSipDomains.schema.safeParse(['exa mple.com']).success).toBe(false);
    expect(policies.AllowedSipDomains.schema.safeParse(['*']).success).toBe(false);
  });

  it('reads the agent\'s own domain from its SIP address', () => {
    expect(sipDomainOf('sip:1001@PBX.example.com:5060;transport=ws')).toBe('pbx.example.com');
    expect(sipDomainOf(undefined)).toBeNull();
  });
});
