import { insertRules } from '../support/net/iptables';

/**
 * Drops UDP to and from a port range on the loopback interface, to cut the media path (rtpengine's RTP
 * ports) while SIP over the WebSocket (TCP) keeps working: the Wi-Fi-drop-mid-call case. Only for the
 * private network namespace tests/sip/run.sh creates; the rules die with it, and `unblock` removes them.
 * The rules go in all or none (tests/support/net/iptables.ts).
 */
export type NetBlock = { tool: string; unblock(): void };

const rules = (ports: string): string[][] => [
  ['INPUT', '-i', 'lo', '-p', 'udp', '--dport', ports, '-j', 'DROP'],
  ['INPUT', '-i', 'lo', '-p', 'udp', '--sport', ports, '-j', 'DROP'],
  ['OUTPUT', '-o', 'lo', '-p', 'udp', '--dport', ports, '-j', 'DROP'],
  ['OUTPUT', '-o', 'lo', '-p', 'udp', '--sport', ports, '-j', 'DROP'],
];

export function blockUdp(ports: string): NetBlock {
  const { tool, remove } = insertRules(rules(ports), `cannot block UDP ${ports}`);
  return { tool, unblock: remove };
}
