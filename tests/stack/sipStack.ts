/**
 * The real SIP stack for end-to-end tests: rtpengine (media relay, WebRTC <-> RTP/AVP), Kamailio
 * (registrar/proxy, SIP over WS and UDP) and baresip (a plain SIP phone playing the customer), each a
 * foreground child process with its log in `dir`, readiness taken from logs and ports (never sleeps),
 * and stopped by PID in reverse order.
 *
 * Call it from inside a loopback-only network namespace (`unshare --net` + `ip link set lo up`, see
 * tests/sip/run.sh): the daemons bind 127.0.0.1 only, but Chromium would gather ICE candidates on every
 * interface it sees, and fixed ports could collide with the host. It refuses to start when another
 * interface is up, unless SIP_STACK_ALLOW_HOST_NET=1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export type StackPorts = {
  sip: number;
  ws: number;
  rtpengineNg: number;
  rtpengineRtp: [number, number];
  baresipSip: number;
  baresipCtrl: number;
  baresipRtp: [number, number];
};

export const defaultPorts: StackPorts = {
  sip: 5060,
  ws: 8080,
  rtpengineNg: 2223,
  rtpengineRtp: [30000, 30199],
  baresipSip: 5062,
  baresipCtrl: 4444,
  baresipRtp: [31000, 31099],
};

export type StackUser = { user: string; password: string; sipUri: string };

/** A ctrl_tcp reply: `{ response: true, ok, data }` (events on the same socket are skipped). */
export type BaresipReply = { response: true; ok: boolean; data?: string; token?: string };

export type SipStack = {
  wsUrl: string;
  domain: string;
  /** The fake accounts of kamailio/db/subscriber, by user name (1001..1006). 1003 is baresip's. */
  users: Record<string, StackUser>;
  baresip?: {
    user: StackUser;
    ctrl(command: string, params?: string): Promise<BaresipReply>;
    dumpDir: string;
    logFile: string;
  };
  /** Startup figures in ms, for the report. */
  timings: Record<string, number>;
  /** SIGKILLs Kamailio's whole process group (a crash: sockets close, no un-REGISTER). */
  killKamailio(): Promise<void>;
  startKamailio(): Promise<void>;
  /** SIGSTOP / SIGCONT Kamailio's process group: the TCP connection stays open but nothing answers (a dead path). */
  freezeKamailio(frozen: boolean): void;
  stop(): Promise<void>;
};

export type SipStackOptions = {
  /** Per-run directory for logs, rendered configs and audio dumps. */
  dir: string;
  rtpengine?: boolean;
  baresip?: boolean;
  ports?: Partial<StackPorts>;
  log?: (line: string) => void;
};

export class StackError extends Error {
  override readonly name = 'StackError';
}

/**
 * Interfaces other than lo that are up in *this process's* network namespace. /sys/class/net is no use
 * here: sysfs stays mounted from the namespace that mounted it and lists the host's interfaces even after
 * unshare --net. `ip -o link show up` asks the kernel for our namespace; without iproute2 we fall back to
 * /proc/self/net/dev, which is per-namespace but has no up/down flag, so any non-lo interface counts.
 */
export function nonLoopbackInterfacesUp(): string[] {
  const ip = spawnSync('ip', ['-o', 'link', 'show', 'up'], { encoding: 'utf8' });
  const names =
    ip.status === 0
      ? ip.stdout.split('\n').map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
      : readFileSync('/proc/self/net/dev', 'utf8').split('\n').slice(2).map((l) => l.split(':')[0]?.trim());
  return names.filter((n): n is string => !!n && n !== 'lo');
}

const USERS: Record<string, StackUser> = Object.fromEntries(
  ['1001', '1002', '1003', '1004', '1005', '1006'].map((u) => [u, { user: u, password: `test${u}`, sipUri: `sip:${u}@127.0.0.1` }]),
);

type Managed = { name: string; proc: ChildProcess; logFile: string; exited: Promise<void>; group: boolean };

function launch(name: string, cmd: string, args: string[], logFile: string, opts: { group?: boolean; cwd?: string } = {}): Managed {
  const fd = openSync(logFile, 'a');
  // detached = its own process group, so a crash test can kill Kamailio's forked workers with it.
  const proc = spawn(cmd, args, { stdio: ['ignore', fd, fd], detached: opts.group ?? false, cwd: opts.cwd });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  proc.once('error', (e) => writeFileSync(logFile, `\nspawn ${cmd} failed: ${e.message}\n`, { flag: 'a' }));
  return { name, proc, logFile, exited, group: opts.group ?? false };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, m?: Managed): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    if (m && (m.proc.exitCode !== null || m.proc.signalCode !== null)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const tail = m ? `\n--- ${m.logFile} (tail) ---\n${readFileSync(m.logFile, 'utf8').split('\n').slice(-25).join('\n')}` : '';
  throw new StackError(`${m && m.proc.exitCode !== null ? `${m.name} exited (${m.proc.exitCode}) before` : 'timeout waiting for'} ${what}${tail}`);
}

const logHas = (file: string, re: RegExp) => (): boolean => existsSync(file) && re.test(readFileSync(file, 'utf8'));

const tcpOpen = (port: number) => (): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

async function stopProc(m: Managed, secondTermAfterMs?: number): Promise<void> {
  if (m.proc.exitCode !== null || m.proc.signalCode !== null || m.proc.pid === undefined) return;
  const pid = m.proc.pid;
  const kill = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  // baresip's first SIGTERM waits for SIP transaction timers (~5 s); a second one exits at once.
  const again = secondTermAfterMs !== undefined ? setTimeout(() => kill('SIGTERM'), secondTermAfterMs) : undefined;
  const hard = setTimeout(() => kill('SIGKILL'), 5000);
  await m.exited;
  clearTimeout(again);
  clearTimeout(hard);
}

function baresipCtrl(port: number) {
  return (command: string, params = ''): Promise<BaresipReply> =>
    new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      const token = `t${Date.now()}`;
      const msg = JSON.stringify({ command, params, token });
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new StackError(`baresip ctrl '${command}' timed out; got ${buf.toString().slice(0, 200)}`));
      }, 5000);
      // ctrl_tcp speaks netstrings: "<len>:<json>,"
      sock.on('connect', () => sock.write(`${Buffer.byteLength(msg)}:${msg},`));
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          const colon = buf.indexOf(':');
          if (colon < 0) return;
          const len = Number(buf.subarray(0, colon).toString());
          if (buf.length < colon + 1 + len + 1) return;
          const body = buf.subarray(colon + 1, colon + 1 + len).toString();
          buf = buf.subarray(colon + 2 + len);
          let j: Partial<BaresipReply> & { event?: boolean };
          try {
            j = JSON.parse(body) as typeof j;
          } catch {
            continue;
          }
          if (j.response) {
            clearTimeout(timer);
            sock.end();
            resolve(j as BaresipReply);
            return;
          }
        }
      });
      sock.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
}

export async function startSipStack(options: SipStackOptions): Promise<SipStack> {
  const up = nonLoopbackInterfacesUp();
  if (up.length > 0 && process.env.SIP_STACK_ALLOW_HOST_NET !== '1') {
    throw new StackError(
      `refusing to start the SIP stack: interfaces other than lo are up (${up.join(', ')}). ` +
        'Run inside a loopback-only network namespace (tests/sip/run.sh does: unshare --net + ip link set lo up), ' +
        'or set SIP_STACK_ALLOW_HOST_NET=1 if you know what you are doing.',
    );
  }
  const log = options.log ?? ((line: string) => console.log(`[stack] ${line}`));
  const ports: StackPorts = { ...defaultPorts, ...options.ports };
  const dir = path.resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const procs: Managed[] = [];
  const timings: Record<string, number> = {};
  const wantRtpe = options.rtpengine ?? true;
  const wantBaresip = (options.baresip ?? true) && wantRtpe;

  const stop = async (): Promise<void> => {
    const t = Date.now();
    for (const m of [...procs].reverse()) {
      if (m.group && m.proc.pid) process.kill(-m.proc.pid, 'SIGCONT');
      await stopProc(m, m.name === 'baresip' ? 500 : undefined);
    }
    procs.length = 0;
    timings.stopMs = Date.now() - t;
  };

  let kamailio: Managed | undefined;
  const startKamailio = async (): Promise<void> => {
    const t = Date.now();
    const args = [
      '-f', path.join(here, '../../server/pbx/kamailio.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-P', path.join(dir, 'kamailio.pid'), '-Y', dir,
      '-A', `SIP_PORT=${ports.sip}`, '-A', `WS_PORT=${ports.ws}`,
      '-A', `DBURL="text://${path.join(here, 'kamailio/db')}"`, '-A', `CTL_SOCK="unix:${path.join(dir, 'kamailio_ctl')}"`,
      ...(wantRtpe ? ['-A', 'WITH_RTPENGINE', '-A', `RTPE_SOCK="udp:127.0.0.1:${ports.rtpengineNg}"`] : []),
    ];
    const logFile = path.join(dir, 'kamailio.log');
    writeFileSync(logFile, `--- start ${new Date().toISOString()} ---\n`, { flag: 'a' });
    const startOffset = readFileSync(logFile, 'utf8').length;
    const m = launch('kamailio', 'kamailio', args, logFile, { group: true });
    kamailio = m;
    procs.push(m);
    await until(`Kamailio on tcp ${ports.ws}`, tcpOpen(ports.ws), 10_000, m);
    if (wantRtpe) await until('Kamailio to find rtpengine', () => /rtpengine instance .* found/.test(readFileSync(logFile, 'utf8').slice(startOffset)), 10_000, m);
    timings.kamailioMs = Date.now() - t;
    log(`kamailio up in ${timings.kamailioMs} ms (pid ${m.proc.pid})`);
  };

  const killKamailio = async (): Promise<void> => {
    const m = kamailio;
    if (!m?.proc.pid) return;
    try {
      process.kill(-m.proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await m.exited;
    procs.splice(procs.indexOf(m), 1);
    await until(`tcp ${ports.ws} to close`, async () => !(await tcpOpen(ports.ws)()), 5000);
    log('kamailio killed');
  };

  const freezeKamailio = (frozen: boolean): void => {
    if (kamailio?.proc.pid) process.kill(-kamailio.proc.pid, frozen ? 'SIGSTOP' : 'SIGCONT');
    log(`kamailio ${frozen ? 'frozen' : 'thawed'}`);
  };

  try {
    if (wantRtpe) {
      const t = Date.now();
      const logFile = path.join(dir, 'rtpengine.log');
      const m = launch('rtpengine', 'rtpengine', [
        '--config-file=none', '--foreground', '--log-stderr', '--table=-1', '--interface=127.0.0.1',
        `--listen-ng=127.0.0.1:${ports.rtpengineNg}`, `--port-min=${ports.rtpengineRtp[0]}`, `--port-max=${ports.rtpengineRtp[1]}`,
        '--log-level=6', '--delete-delay=0',
      ], logFile);
      procs.push(m);
      // "Startup complete" is printed at log level >= 6 only.
      await until('rtpengine "Startup complete"', logHas(logFile, /Startup complete/), 10_000, m);
      timings.rtpengineMs = Date.now() - t;
      log(`rtpengine up in ${timings.rtpengineMs} ms (pid ${m.proc.pid})`);
    }

    await startKamailio();

    let baresip: SipStack['baresip'];
    if (wantBaresip) {
      const t = Date.now();
      const bdir = path.join(dir, 'baresip');
      const dumpDir = path.join(dir, 'baresip-rec');
      mkdirSync(bdir, { recursive: true });
      mkdirSync(dumpDir, { recursive: true });
      // The customer's voice: a 440 Hz tone, half a second on and off, so energy checks see both.
      const wav = spawnSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path.join(dir, 'prompt.wav'), 'synth', '0.5', 'sine', '440', 'vol', '0.5', 'pad', '0', '0.5', 'repeat', '60']);
      if (wav.status !== 0) throw new StackError(`sox failed: ${wav.stderr.toString()}`);
      const render = (tmpl: string): string =>
        readFileSync(path.join(here, 'baresip', tmpl), 'utf8')
          .replaceAll('@RUN@', dir)
          .replaceAll('@SIP_PORT@', String(ports.sip))
          .replaceAll('@BARESIP_SIP_PORT@', String(ports.baresipSip))
          .replaceAll('@BARESIP_CTRL@', String(ports.baresipCtrl))
          .replaceAll('@BARESIP_RTP_PORTS@', `${ports.baresipRtp[0]}-${ports.baresipRtp[1]}`);
      writeFileSync(path.join(bdir, 'config'), render('config.tmpl'));
      writeFileSync(path.join(bdir, 'accounts'), render('accounts.tmpl'));
      writeFileSync(path.join(bdir, 'contacts'), '');
      const logFile = path.join(dir, 'baresip.log');
      const m = launch('baresip', 'baresip', ['-f', bdir], logFile);
      procs.push(m);
      await until('baresip 1003 REGISTER 200 OK', logHas(logFile, /1003@127\.0\.0\.1: .*200 OK/), 10_000, m);
      timings.baresipMs = Date.now() - t;
      log(`baresip registered in ${timings.baresipMs} ms (pid ${m.proc.pid})`);
      baresip = { user: USERS['1003']!, ctrl: baresipCtrl(ports.baresipCtrl), dumpDir, logFile };
    }

    return {
      wsUrl: `ws://127.0.0.1:${ports.ws}`,
      domain: '127.0.0.1',
      users: USERS,
      ...(baresip ? { baresip } : {}),
      timings,
      killKamailio,
      startKamailio,
      freezeKamailio,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
