import type { NetworkInterfaceInfo } from 'node:os';
import type { NetworkHints } from '../core/ipc';

/**
 * VPN and proxy hints for the readiness check. A VPN is recognised by its adapter's name (tun/tap/utun on
 * Linux and macOS, WireGuard, PPP, and the common client adapters on Windows) while it has an address;
 * the proxy is what Chromium's own resolver (system settings or PAC) picks for the central server's URL,
 * so it is the proxy the app's WebSockets really go through.
 */
const vpnName = /^(tun|tap|utun|ppp|wg|ipsec|gpd|zt|tailscale|nordlynx)\d*|wireguard|openvpn|anyconnect|globalprotect|fortinet|forticlient|pulse secure|tap-windows|vpn/i;

export async function networkHints(deps: {
  interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  resolveProxy: (url: string) => Promise<string>;
  serverUrl: string;
}): Promise<NetworkHints> {
  const up = Object.entries(deps.interfaces()).filter(([, addrs]) => (addrs ?? []).some((a) => !a.internal));
  const vpnInterfaces = up.map(([name]) => name).filter((name) => vpnName.test(name)).slice(0, 16).map((n) => n.slice(0, 64));
  let proxy: string | null;
  try {
    const rule = (await deps.resolveProxy(deps.serverUrl)).trim();
    proxy = rule === '' || /^DIRECT$/i.test(rule) ? null : rule.slice(0, 500);
  } catch {
    proxy = null;
  }
  return { vpn: vpnInterfaces.length > 0, vpnInterfaces, proxy };
}
