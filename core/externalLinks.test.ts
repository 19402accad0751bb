import { describe, expect, it } from 'vitest';
import { checkExternalLink } from './externalLinks';

const hosts = ['help.example.com', '*.switchboard.dev'];

describe('checkExternalLink', () => {
  it('allows only https links to allow-listed hosts', () => {
    expect(checkExternalLink('https://help.example.com/a?b=1', hosts)).toEqual({ allowed: true, url: 'https://help.example.com/a?b=1' });
    expect(checkExternalLink('https://docs.switchboard.dev/x', hosts).allowed).toBe(true);
  });
  it('refuses other schemes, hosts, credentials and look-alikes', () => {
    for (const bad of [
      'http://help.example.com/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'https://evil.com/',
      'https://help.example.com.evil.com/',
      'https://user:pw@help.example.com/',
      'https://switchboard.dev.evil.com/',
      'not a url',
    ]) {
      expect(checkExternalLink(bad, hosts).allowed, bad).toBe(false);
    }
  });
});
