import { spawnSync } from 'node:child_process';

/**
 * Drops UDP to and from a port range on the loopback interface, to cut the media path (rtpengine's RTP
 * ports) while SIP over the WebSocket (TCP) keeps working: the Wi-Fi-drop-mid-call case. Only for the
 * private network namespace tests/sip/run.sh creates; the rules die with it, and `unblock` removes them.
 * Uses iptables (nf_tables backend on Debian 12) and falls back to iptables-legacy.
 */
export type NetBlock = { tool: string; unblock(): void };

const rules = (ports: string): string[][] => [
  ['INPUT', '-i', 'lo', '-p', 'udp', '--dport', ports, '-j', 'DROP'],
  ['INPUT', '-i', 'lo', '-p', 'udp', '--sport', ports, '-j', 'DROP'],
  ['OUTPUT', '-o', 'lo', '-p', 'udp', '--dport', ports, '-j', 'DROP'],
  ['OUTPUT', '-o', 'lo', '-p', 'udp', '--sport', ports, '-j', 'DROP'],
];

function run(tool: string, args: string[]): string | undefined {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr || r.error?.message || `exit ${r.status}`).trim();
}

export function blockUdp(ports: string): NetBlock {
  const errors: string[] = [];
  for (const tool of ['iptables', 'iptables-legacy']) {
    const added: string[][] = [];
    for (const rule of rules(ports)) {
      const err = run(tool, ['-I', ...rule]);
      if (err) {
        errors.push(`${tool}: ${err}`);
        break;
      }
      added.push(rule);
    }
    const unblock = (): void => {
      for (const rule of added.splice(0)) run(tool, ['-D', ...rule]);
    };
    if (added.length === rules(ports).length) return { tool, unblock };
    unblock();
  }
  throw new Error(`cannot block UDP ${ports}: ${errors.join('; ')}`);
}
