import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';

/**
 * Delay on a media path without netem (this kernel has none): a userspace UDP relay that holds each
 * datagram `delayMs`, spliced in with iptables. For every destination port P in `toPorts` (the receiver's
 * RTP/RTCP ports), datagrams to P whose source port is in `fromPorts` (the sender) are DNATed to
 * 127.0.0.1:P+offset, where a socket of ours waits; after the delay it sends them on to P from that
 * socket (whose port is outside `fromPorts`, so the rule lets it through). NAT applies to a flow's first
 * datagram only, so `fromPorts` must be the side that sends first. Only run it inside the test's own
 * network namespace: it changes the namespace's nat table.
 */
export type UdpDelay = { forwarded(): number; stop(): Promise<void> };

export async function startUdpDelay(o: { toPorts: [number, number]; fromPorts: [number, number]; offset: number; delayMs: number }): Promise<UdpDelay> {
  const rules: string[][] = [];
  const sockets: dgram.Socket[] = [];
  let forwarded = 0;
  const timers = new Set<NodeJS.Timeout>();
  try {
    for (let p = o.toPorts[0]; p <= o.toPorts[1]; p++) {
      const target = p;
      const sock = dgram.createSocket('udp4');
      // The sender, learned from its datagrams: the receiver may latch onto our address (symmetric RTP,
      // as rtpengine does) and answer here; that goes back to the sender at once.
      let sender: { address: string; port: number } | null = null;
      sock.on('message', (msg, from) => {
        if (from.port === target) {
          if (sender) sock.send(msg, sender.port, sender.address, () => undefined);
          return;
        }
        sender = { address: from.address, port: from.port };
        const t = setTimeout(() => {
          timers.delete(t);
          sock.send(msg, target, '127.0.0.1', () => undefined);
          forwarded++;
        }, o.delayMs);
        timers.add(t);
      });
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(p + o.offset, '127.0.0.1', () => resolve());
      });
      sockets.push(sock);
      const rule = ['OUTPUT', '-p', 'udp', '-d', '127.0.0.1', '--dport', String(p), '--sport', `${o.fromPorts[0]}:${o.fromPorts[1]}`, '-j', 'DNAT', '--to-destination', `127.0.0.1:${p + o.offset}`];
      const r = spawnSync('iptables', ['-t', 'nat', '-A', ...rule], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`iptables: ${r.stderr}`);
      rules.push(rule);
    }
  } catch (e) {
    for (const rule of rules) spawnSync('iptables', ['-t', 'nat', '-D', ...rule]);
    for (const s of sockets) s.close();
    throw e;
  }
  return {
    forwarded: () => forwarded,
    async stop() {
      for (const rule of rules) spawnSync('iptables', ['-t', 'nat', '-D', ...rule]);
      for (const t of timers) clearTimeout(t);
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
      // conntrack keeps the DNAT mapping of flows already seen; forget them so later calls go direct.
      spawnSync('sh', ['-c', 'command -v conntrack >/dev/null && conntrack -F 2>/dev/null'], { stdio: 'ignore' });
    },
  };
}
