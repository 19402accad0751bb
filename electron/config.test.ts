import { describe, expect, it } from 'vitest';
import { isAppUrl, readMainConfig } from './config';

describe('main config', () => {
  it('defaults to the local server and adds an https server host to the link allow-list', () => {
    expect(readMainConfig({})).toEqual({ serverUrl: 'http://127.0.0.1:7600', allowedLinkHosts: [] });
    expect(readMainConfig({ SWITCHBOARD_SERVER_URL: 'https://cc.example.com/', SWITCHBOARD_LINK_HOSTS: 'Docs.Example.com, *.kb.example.org,' })).toEqual({
      serverUrl: 'https://cc.example.com',
      allowedLinkHosts: ['docs.example.com', '*.kb.example.org', 'cc.example.com'],
    });
  });

  it('takes the server from the ServerUrl policy; SWITCHBOARD_SERVER_URL stays a developer override', () => {
    expect(readMainConfig({}, 'https://corp.example.com/').serverUrl).toBe('https://corp.example.com');
    expect(readMainConfig({ SWITCHBOARD_SERVER_URL: 'http://127.0.0.1:9000' }, 'https://corp.example.com').serverUrl).toBe('http://127.0.0.1:9000');
    expect(readMainConfig({}, 'https://corp.example.com').allowedLinkHosts).toEqual(['corp.example.com']);
  });

  it('refuses a server URL that is not http(s)', () => {
    expect(() => readMainConfig({ SWITCHBOARD_SERVER_URL: 'file:///etc' })).toThrow(/http/);
    expect(() => readMainConfig({ SWITCHBOARD_SERVER_URL: 'not a url' })).toThrow(/not a URL/);
  });

  it('recognises only our own page as the app', () => {
    expect(isAppUrl('app://switchboard/index.html')).toBe(true);
    expect(isAppUrl('app://switchboard')).toBe(true);
    for (const url of ['app://switchboard.evil/', 'app://x@switchboard/', 'https://switchboard/', 'file:///switchboard', '', null]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});
