// bench/scale: the processes of one run, all on loopback inside the bench's network namespace: Debian
// PostgreSQL (scripts/postgres.mjs), Debian redis-server as the broker, Debian HAProxy as the balancer, and
// N server instances (the plain-JavaScript build the Debian package ships: scripts/package-server.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../../scripts/ensure.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(url, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** utime + stime of a process in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** All postgres processes of the cluster (the postmaster and its backends), for CPU accounting. */
export function postgresPids() {
  const r = spawnSync('pgrep', ['-u', 'postgres'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

export function startRedis(port, dir) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxclients', '10000'], {
    stdio: ['ignore', openSync(join(dir, `redis-${Date.now()}.log`), 'w'), 'inherit'],
  });
  return child;
}

export async function redisUp(port) {
  for (let i = 0; i < 200; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') return;
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

/** HAProxy in front: round robin, health-checked on /health, WebSockets tunnelled (no sticky sessions). */
export function startHaproxy(port, backends, dir) {
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    `global
  maxconn 9500
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout tunnel 1h
  option http-server-close
frontend switchboard
  bind 127.0.0.1:${port}
  default_backend servers
backend servers
  balance roundrobin
  option httpchk GET /health
  default-server inter 1s fall 2 rise 1 maxconn 20000
${backends.map((p, i) => `  server s${i} 127.0.0.1:${p} check`).join('\n')}
`,
  );
  return spawn('haproxy', ['-f', cfg, '-db'], { stdio: ['ignore', openSync(join(dir, 'haproxy.log'), 'w'), 'inherit'] });
}

/** One server instance from the plain-JavaScript build (scripts/package-server.mjs stageServer), as IT runs it. */
export function startInstance(main, port, env, dir, profDir = join(dir, 'prof')) {
  // SCALE_PROF=1: each instance writes a V8 CPU profile into the run's folder when it stops (BENCHMARKS.md's profile).
  const prof = process.env.SCALE_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  return spawn(process.execPath, [...prof, main], {
    cwd: root,
    stdio: ['ignore', openSync(join(dir, `server-${port}-${Date.now()}.log`), 'w'), 'inherit'],
    env: { ...process.env, SWITCHBOARD_PORT: String(port), SWITCHBOARD_HOST: '127.0.0.1', SWITCHBOARD_LOG_LEVEL: 'warn', SWITCHBOARD_ACCESS_TTL: '7200', ...env },
  });
}

export const scratchDir = () => mkdtempSync(join(tmpdir(), 'bench-scale-'));

/** Self time per function (and per file) of the V8 CPU profiles in `folder`, the top `n` of each. */
export function profileSummary(folder, n = 15) {
  const fns = new Map();
  const files = new Map();
  let total = 0;
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    const byId = new Map(p.nodes.map((node) => [node.id, node]));
    const dt = new Map();
    for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
    for (const [id, us] of dt) {
      const { functionName, url, lineNumber } = byId.get(id).callFrame;
      const file = url.replace(/^.*\/(node_modules\/(?:@[^/]+\/)?[^/]+|server|core)\//, '$1/') || '(native)';
      const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
      fns.set(key, (fns.get(key) ?? 0) + us);
      files.set(file, (files.get(file) ?? 0) + us);
      total += us;
    }
  }
  const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
  return { totalMs: Math.round(total / 1000), functions: top(fns), files: top(files) };
}

export function stop(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
