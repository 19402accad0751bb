// Runs a command inside a private, loopback-only network namespace, so servers, browsers and WebRTC
// (which gathers candidates on every interface) can only talk over 127.0.0.1. Needs root for
// `unshare --net`; PostgreSQL refuses to run as root, so clusters started inside use the `postgres` user.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const inNetns = () => process.env.SWITCHBOARD_NETNS === '1';

/** True when every network interface that is up is the loopback one. */
export function onlyLoopbackUp() {
  return readdirSync('/sys/class/net').every((dev) => {
    if (dev === 'lo') return true;
    const state = readFileSync(`/sys/class/net/${dev}/operstate`, 'utf8').trim();
    return state === 'down';
  });
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
