import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './effective';
import { applySipPolicy } from './sip';

const server = { wsUri: 'wss://server.example.com:7443', sipUri: 'sip:1001@server.example.com' };

describe('SIP policy', () => {
  it('no policy: the merged account is unchanged', () => {
    expect(applySipPolicy(server, {}, resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} }))).toEqual(server);
  });

  it('a managed WebSocket URL and domain beat even the agent override', () => {
    const policy = resolvePolicy({ machine: { SipWebSocketUrl: 'wss://pbx.corp.example:443', SipDomain: 'corp.example' }, user: {}, userPolicyDefaults: {} });
    const mine = { wsUri: 'wss://mine.example.com', sipUri: 'sip:1001@mine.example.com' };
    expect(applySipPolicy(mine, mine, policy)).toEqual({ wsUri: 'wss://pbx.corp.example:443', sipUri: 'sip:1001@corp.example' });
  });

  it('an unmanaged value beats the server but not an explicit override', () => {
    const policy = resolvePolicy({ machine: {}, user: { SipWebSocketUrl: 'wss://pbx.user.example' }, userPolicyDefaults: { SipDomain: 'rec.example' } });
    expect(applySipPolicy(server, {}, policy)).toEqual({ wsUri: 'wss://pbx.user.example', sipUri: 'sip:1001@rec.example' });
    expect(applySipPolicy({ ...server, wsUri: 'wss://o.example' }, { wsUri: 'wss://o.example' }, policy).wsUri).toBe('wss://o.example');
  });
});
