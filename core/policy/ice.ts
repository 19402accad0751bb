import type { IceServer } from '../wire/sip';
import type { PolicyValues } from './schema';

export type IceConfig = { iceServers: IceServer[]; iceTransportPolicy: 'all' | 'relay' };

/**
 * Applies the TURN policies to the ICE servers the central server provisioned:
 * - TurnServers, when set, replaces the provisioned list (IT runs its own TURN).
 * - RelayOnlyTls443 forces relay candidates (RTCConfiguration.iceTransportPolicy = 'relay') and keeps
 *   only URLs a network that allows nothing but TCP/443 can reach: `turns:host:443` (TURN over TLS,
 *   RFC 7065; 443 is also its default port when none is given) and `turn:host:443?transport=tcp`.
 *   STUN and UDP TURN are dropped: with relay-only they could only waste gathering time.
 * An ICE server whose every URL is dropped is dropped with it (an empty `urls` throws in the browser).
 */
export function applyIcePolicy(provisioned: readonly IceServer[], policy: Pick<PolicyValues, 'TurnServers' | 'RelayOnlyTls443'>): IceConfig {
  const base = policy.TurnServers ?? provisioned;
  if (!policy.RelayOnlyTls443) return { iceServers: base.map((s) => ({ ...s })), iceTransportPolicy: 'all' };
  const iceServers: IceServer[] = [];
  for (const server of base) {
    const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter(isTls443Or443Tcp);
    if (urls.length > 0) iceServers.push({ ...server, urls: urls.length === 1 ? urls[0]! : urls });
  }
  return { iceServers, iceTransportPolicy: 'relay' };
}

/** `turns:host[:443][?transport=tcp]` or `turn:host:443?transport=tcp` (RFC 7065 URI syntax). */
export function isTls443Or443Tcp(url: string): boolean {
  const m = /^(turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!m) return false;
  const scheme = m[1]!.toLowerCase();
  const port = m[3] ?? (scheme === 'turns' ? '443' : '3478');
  const transport = m[4]?.toLowerCase();
  if (port !== '443') return false;
  if (scheme === 'turns') return transport !== 'udp';
  return transport === 'tcp';
}
