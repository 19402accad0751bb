import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { insertRules } from '../net/iptables';

/**
 * Silently drops the packets of given flows on loopback, as a home network that goes away does: no FIN,
 * no RST, no BYE, nothing reaches either end (iptables DROP, not REJECT). A flow is a protocol and a port
 * pair; both directions are dropped. Only for the private network namespace tests/e2e-sip/run.mjs creates:
 * the rules die with it, and `restore` removes them (tests/support/net/iptables.ts, as tests/sip/netBlock.ts).
 */
export type Flow = { proto: 'udp' | 'tcp'; a: number; b: number };
export type NetDrop = { tool: string; rules: string[][]; restore(): void };

const rulesFor = (f: Flow): string[][] =>
  [
    [f.a, f.b],
    [f.b, f.a],
  ].flatMap(([s, d]) => [
    ['OUTPUT', '-o', 'lo', '-p', f.proto, '--sport', String(s), '--dport', String(d), '-j', 'DROP'],
    ['INPUT', '-i', 'lo', '-p', f.proto, '--sport', String(s), '--dport', String(d), '-j', 'DROP'],
  ]);

export function dropFlows(flows: Flow[]): NetDrop {
  if (flows.length === 0) throw new Error('dropFlows: no flow given');
  const { tool, rules, remove } = insertRules(flows.flatMap(rulesFor), `cannot drop ${JSON.stringify(flows)}`);
  return { tool, rules, restore: remove };
}

/**
 * Local ports of established TCP connections to `remotePort` on 127.0.0.1 owned by a process whose
 * ancestry (itself or a parent) has `marker` on its command line: Chromium's network service is a child
 * of the browser process, and the marker is a switch only that browser was launched with.
 */
export function tcpPortsOf(marker: string, remotePort: number): number[] {
  const ss = spawnSync('ss', ['-tnpH', 'state', 'established', 'dst', `127.0.0.1:${remotePort}`], { encoding: 'utf8' });
  if (ss.status !== 0) throw new Error(`ss failed: ${ss.stderr}`);
  const ports: number[] = [];
  for (const line of ss.stdout.split('\n')) {
    const local = /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:\d+/.exec(line)?.[1];
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (local && pids.some((p) => hasMarker(p, marker))) ports.push(Number(local));
  }
  return ports;
}

function hasMarker(pid: number, marker: string): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 8; hops++) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker)) return true;
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      p = Number(stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/)[1]);
    } catch {
      return false;
    }
  }
  return false;
}
