// Runs a command inside a private, loopback-only network namespace, so servers, browsers and WebRTC
// (which gathers candidates on every interface) can only talk over 127.0.0.1. Needs root for
// `unshare --net`; PostgreSQL refuses to run as root, so clusters started inside use the `postgres` user.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const inNetns = () => process.env.SWITCHBOARD_NETNS === '1';

/**
 * True when this namespace has no interface but lo. /proc/net/dev is per network namespace
 * (/sys/class/net is not: it shows the host's devices unless sysfs is remounted).
 */
export function onlyLoopbackUp() {
  const devices = readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)
    .map((line) => line.split(':')[0].trim()).filter(Boolean);
  return devices.every((d) => d === 'lo');
}

/** Re-runs `node <script> ...args` inside a new network namespace with lo up; returns its exit code. */
export function reexecInNetns(script, args) {
  if (process.getuid?.() !== 0) {
    console.error('These tests run in a private network namespace, which needs root here: run `sudo -E npm test`.');
    return 1;
  }
  const inner = `ip link set lo up && exec "${process.execPath}" "${script}" "$@"`;
  const r = spawnSync('unshare', ['--net', 'sh', '-c', inner, 'sh', ...args], {
    stdio: 'inherit',
    env: { ...process.env, SWITCHBOARD_NETNS: '1' },
  });
  return r.status ?? 1;
}
