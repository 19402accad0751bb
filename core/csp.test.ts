import { describe, expect, it } from 'vitest';
import { baselineContentSecurityPolicy, contentSecurityPolicy, serverConnectSources, sipConnectSources } from './csp';

const directives = (policy: string) =>
  new Map(policy.split(';').map((d) => {
    const [name, ...sources] = d.trim().split(/\s+/);
    return [name!, sources];
  }));

describe('contentSecurityPolicy', () => {
  const policy = contentSecurityPolicy({ connectSrc: serverConnectSources('http://127.0.0.1:7600') });

  it('never allows inline script, inline style or eval', () => {
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(baselineContentSecurityPolicy).not.toContain('unsafe-');
  });

  it('loads script and style only from the app itself and denies everything by default', () => {
    const d = directives(policy);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('lets the page reach exactly the configured server over http and ws', () => {
    expect(directives(policy).get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:7600', 'ws://127.0.0.1:7600']);
    const tls = contentSecurityPolicy({ connectSrc: serverConnectSources('https://cc.example.com/base/') });
    expect(directives(tls).get('connect-src')).toEqual(["'self'", 'https://cc.example.com', 'wss://cc.example.com']);
  });

  it('the meta-tag baseline allows any server scheme but nothing inline', () => {
    expect(directives(baselineContentSecurityPolicy).get('connect-src')).toEqual(["'self'", 'http:', 'https:', 'ws:', 'wss:']);
    expect(directives(baselineContentSecurityPolicy).get('script-src')).toEqual(["'self'"]);
    // Ignored (with a console warning) in <meta>; the response header carries it.
    expect(directives(baselineContentSecurityPolicy).has('frame-ancestors')).toBe(false);
  });

  it('refuses a source that would inject another directive', () => {
    expect(() => contentSecurityPolicy({ connectSrc: ["https://x.example; script-src 'unsafe-eval'"] })).toThrow(/refused/);
    expect(() => serverConnectSources('file:///etc/passwd')).toThrow(/http/);
  });

  it('lets the softphone reach the embedded phone server beside a loopback central server, and a managed PBX', () => {
    expect(sipConnectSources('http://127.0.0.1:7600', null)).toEqual(['ws://127.0.0.1:*', 'ws://localhost:*']);
    expect(sipConnectSources('https://sb.example.com', 'wss://pbx.example.com:7443/ws')).toEqual(['wss://pbx.example.com:7443']);
    expect(sipConnectSources('https://sb.example.com', null)).toEqual([]);
    // Every source is one the CSP builder accepts.
    expect(() => contentSecurityPolicy({ connectSrc: sipConnectSources('http://127.0.0.1:7600', 'wss://pbx.example.com') })).not.toThrow();
  });
});
