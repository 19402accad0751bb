import { describe, expect, it } from 'vitest';
import { applyIcePolicy, isTls443Or443Tcp } from './ice';

const provisioned = [
  { urls: 'stun:stun.example.com:3478' },
  { urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'], username: 'u', credential: 'p' },
];

describe('ICE policy', () => {
  it('passes the server-provisioned servers through when no policy is set', () => {
    expect(applyIcePolicy(provisioned, { TurnServers: null, RelayOnlyTls443: false })).toEqual({ iceServers: provisioned, iceTransportPolicy: 'all' });
  });

  it('TurnServers replaces the provisioned list', () => {
    const mine = [{ urls: 'turn:corp.example.com:3478', username: 'a', credential: 'b' }];
    expect(applyIcePolicy(provisioned, { TurnServers: mine, RelayOnlyTls443: false }).iceServers).toEqual(mine);
  });

  it('relay-only keeps just TURN over TLS or TCP on 443 and forces relay candidates', () => {
    const result = applyIcePolicy(provisioned, { TurnServers: null, RelayOnlyTls443: true });
    expect(result).toEqual({ iceTransportPolicy: 'relay', iceServers: [{ urls: 'turns:turn.example.com:443?transport=tcp', username: 'u', credential: 'p' }] });
  });

  it('relay-only with nothing usable leaves no servers (calls then fail visibly instead of leaking over UDP)', () => {
    expect(applyIcePolicy([{ urls: 'turn:t.example.com:3478' }], { TurnServers: null, RelayOnlyTls443: true })).toEqual({ iceServers: [], iceTransportPolicy: 'relay' });
  });

  it('recognises which TURN URLs reach through a TCP/443-only network', () => {
    expect(isTls443Or443Tcp('turns:t.example.com:443')).toBe(true);
    expect(isTls443Or443Tcp('turns:t.example.com')).toBe(true);
    expect(isTls443Or443Tcp('turn:t.example.com:443?transport=tcp')).toBe(true);
    expect(isTls443Or443Tcp('TURNS:[2001:db8::1]:443')).toBe(true);
    expect(isTls443Or443Tcp('turn:t.example.com:443')).toBe(false);
    expect(isTls443Or443Tcp('turn:t.example.com:443?transport=udp')).toBe(false);
    expect(isTls443Or443Tcp('turns:t.example.com:5349')).toBe(false);
    expect(isTls443Or443Tcp('stun:t.example.com:443')).toBe(false);
  });
});
