import { describe, expect, it } from 'vitest';
import { networkHints } from './netHints';

const addr = (internal = false) => [{ address: '10.8.0.2', netmask: '255.255.255.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal, cidr: '10.8.0.2/24' }];

describe('network hints for the readiness check', () => {
  it('names a VPN adapter that is up, and the proxy in front of the server', async () => {
    const hints = await networkHints({ interfaces: () => ({ lo: addr(true), eth0: addr(), tun0: addr(), 'GlobalProtect Adapter': addr() }), resolveProxy: async () => 'PROXY proxy.corp:3128', serverUrl: 'https://sb.example' });
    expect(hints).toEqual({ vpn: true, vpnInterfaces: ['tun0', 'GlobalProtect Adapter'], proxy: 'PROXY proxy.corp:3128' });
  });

  it('says nothing about a plain home network', async () => {
    const hints = await networkHints({ interfaces: () => ({ lo: addr(true), wlan0: addr(), eth0: [] }), resolveProxy: async () => 'DIRECT', serverUrl: 'https://sb.example' });
    expect(hints).toEqual({ vpn: false, vpnInterfaces: [], proxy: null });
  });
});
