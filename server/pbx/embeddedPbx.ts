import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../config';
import type { Queryable } from '../db/db';
import { createDemoLine, type DemoLine } from './demoLine';
import { accountSubscribers, subscriberTable, writeSubscriberTable, type Subscriber } from './subscribers';

/**
 * The phone on the embedded default: `npm start` has the server run Kamailio (registrar/proxy, SIP over
 * WebSocket for the softphone), rtpengine (media relay between WebRTC and plain RTP) and two baresip user
 * agents (the demo customer line, and an echo extension for the readiness check's test call), all
 * Debian's packages, as child processes bound to 127.0.0.1 only, with their logs and configs in `dir`.
 * Kamailio authenticates against the subscriber table the server writes from its accounts
 * (./subscribers.ts) and re-reads it when it changes.
 *
 * The daemons are this process's children: they stop with the server (close()), and if the server dies
 * without closing, their parent-death is noticed by no one, so close() is also wired to process exit.
 */

const here = dirname(fileURLToPath(import.meta.url));

export const PbxConfig = z.object({
  mode: z.enum(['off', 'embedded']).default('off'),
  /** First of a block of 30 TCP/UDP ports and 260 RTP ports (rtpengine base+100.., baresip base+300..). */
  basePort: z.coerce.number().int().min(1024).max(65_000 - 400).default(7660),
  dir: z.string().min(1).nullable().default(null),
  /** The demo customer line's and the echo test's extensions. */
  demoExtension: z.string().regex(/^[0-9]{2,10}$/).default('1099'),
  echoExtension: z.string().regex(/^[0-9]{2,10}$/).default('9196'),
});
export type PbxConfig = z.output<typeof PbxConfig>;

type Env = Readonly<Record<string, string | undefined>>;

/** SWITCHBOARD_PBX=embedded (set by `npm start` when the packages are there), SWITCHBOARD_PBX_PORT, SWITCHBOARD_PBX_DIR. */
export function loadPbxConfig(env: Env = process.env): PbxConfig {
  const parsed = PbxConfig.safeParse({
    mode: env.SWITCHBOARD_PBX || undefined,
    basePort: env.SWITCHBOARD_PBX_PORT || undefined,
    dir: env.SWITCHBOARD_PBX_DIR || undefined,
  });
  if (!parsed.success) {
    const names: Record<string, string> = { mode: 'SWITCHBOARD_PBX', basePort: 'SWITCHBOARD_PBX_PORT', dir: 'SWITCHBOARD_PBX_DIR' };
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid server configuration: ${names[String(issue?.path[0])] ?? 'PBX'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export type PbxPorts = { ws: number; sip: number; rtpengineNg: number; demoSip: number; demoCtrl: number; echoSip: number; echoCtrl: number; rtpengineRtp: [number, number]; demoRtp: [number, number]; echoRtp: [number, number] };

export function pbxPorts(base: number): PbxPorts {
  return {
    // baresip also opens TCP and TLS on sip_listen's port + 1: each agent gets a block of its own.
    ws: base, sip: base + 1, rtpengineNg: base + 2, demoSip: base + 10, demoCtrl: base + 13, echoSip: base + 20, echoCtrl: base + 23,
    rtpengineRtp: [base + 100, base + 299], demoRtp: [base + 300, base + 339], echoRtp: [base + 340, base + 379],
  };
}

/** The Debian packages the embedded phone needs (scripts/ensure.mjs lists the same as `phone`). */
export const pbxBinaries = ['kamailio', 'rtpengine', 'baresip', 'sox', 'espeak-ng'] as const;

export function missingPbxBinaries(): string[] {
  return pbxBinaries.filter((b) => spawnSync('sh', ['-c', `command -v ${b}`], { stdio: 'ignore' }).status !== 0);
}

export type EmbeddedPbx = {
  wsUrl: string;
  domain: string;
  ports: PbxPorts;
  dir: string;
  demoLine: DemoLine;
  echoExtension: string;
  /** Rewrites the subscriber table from the accounts (no-op when nothing changed). */
  provision(): Promise<boolean>;
  /** Kamailio's control socket (kamcmd -s), for signing a registration out (./provisioner.ts). */
  ctlSocket: string;
  timings: Record<string, number>;
  close(): Promise<void>;
};

export class PbxError extends Error {
  override readonly name = 'PbxError';
}

type Managed = { name: string; proc: ChildProcess; logFile: string; exited: Promise<void>; group: boolean };

/**
 * util-linux's setpriv sets PR_SET_PDEATHSIG before it execs the daemon: if the server dies without
 * closing (SIGKILL, a crash), the kernel sends the daemon SIGTERM, so no PBX outlives its server (Kamailio
 * runs in its own process group, which a kill of the server's group would not reach).
 */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

function launch(name: string, cmd: string, args: string[], logFile: string, group = false): Managed {
  const fd = openSync(logFile, 'a');
  const [bin, argv] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', cmd, ...args]] : [cmd, args];
  const proc = spawn(bin, argv, { stdio: ['ignore', fd, fd], detached: group });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  proc.once('error', (e) => writeFileSync(logFile, `\nspawn ${cmd} failed: ${e.message}\n`, { flag: 'a' }));
  return { name, proc, logFile, exited, group };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, m: Managed): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    if (m.proc.exitCode !== null || m.proc.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const tail = existsSync(m.logFile) ? readFileSync(m.logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new PbxError(`${m.proc.exitCode !== null ? `${m.name} exited (${m.proc.exitCode}) before` : 'timeout waiting for'} ${what}\n--- ${m.logFile} (tail) ---\n${tail}`);
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

function signal(m: Managed, sig: NodeJS.Signals): void {
  const pid = m.proc.pid;
  if (pid === undefined || m.proc.exitCode !== null || m.proc.signalCode !== null) return;
  try {
    // Kamailio forks workers: its own process group, so they go with it.
    process.kill(m.group ? -pid : pid, sig);
  } catch {
    /* already gone */
  }
}

async function stopProc(m: Managed): Promise<void> {
  if (m.proc.exitCode !== null || m.proc.signalCode !== null) return;
  signal(m, 'SIGTERM');
  // baresip's first SIGTERM waits for SIP transaction timers (~5 s); a second one exits at once.
  const again = setTimeout(() => signal(m, 'SIGTERM'), 500);
  const hard = setTimeout(() => signal(m, 'SIGKILL'), 5000);
  await m.exited;
  clearTimeout(again);
  clearTimeout(hard);
}

/** What the demo customer says, and says back to keys: 8 kHz mono wav files made by espeak-ng + sox. */
export const demoPrompts = {
  greeting: 'Hello, this is the Switchboard demo customer. I have a question about my order. Press 1 to hear my order number, or 2 to hear my phone number.',
  '1': 'My order number is S O 4 2 7 1 9 3.',
  '2': 'You can call me back on 0 1 5 5, 5 0 1, 2 3 4.',
  other: 'Sorry, I did not understand that key.',
} as const;

function speak(text: string, out: string): void {
  const raw = `${out}.raw.wav`;
  const e = spawnSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  if (e.status !== 0) throw new PbxError(`espeak-ng failed: ${e.stderr.toString()}`);
  // 8 kHz mono 16-bit (PCMU's rate, what baresip's aufile plays), a second of silence after, repeated for a long call.
  const s = spawnSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', out, 'pad', '0', '1.5', 'repeat', '20']);
  if (s.status !== 0) throw new PbxError(`sox failed: ${s.stderr.toString()}`);
}

function baresipConfig(o: { sip: number; ctrl: number; rtp: [number, number]; source: string; echo: boolean }): string {
  return [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${o.sip}`,
    // An IP, not a name: in a loopback-only namespace baresip otherwise finds no "local network address".
    'net_interface 127.0.0.1',
    'dns_server 127.0.0.1:53',
    'call_local_timeout 120',
    'call_max_calls 4',
    ...(o.echo
      ? ['audio_player aubridge,echo', 'audio_source aubridge,echo']
      : ['audio_player aufile,/dev/null', `audio_source aufile,${o.source}`]),
    'audio_alert aufile,/dev/null',
    'audio_buffer 20-160',
    `rtp_ports ${o.rtp[0]}-${o.rtp[1]}`,
    'rtcp_mux no',
    'jitter_buffer_delay 1-4',
    'rtp_stats no',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    ...(o.echo ? ['module aubridge.so', 'module_app echo.so'] : ['module aufile.so']),
    'module_tmp uuid.so',
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${o.ctrl}`,
    '',
  ].join('\n');
}

export type StartPbxOptions = {
  config: PbxConfig;
  db: Queryable;
  dir: string;
  log: (line: string) => void;
};

/** Starts rtpengine, Kamailio and the two baresip agents; throws PbxError (with the log tail) when one does not come up. */
export async function startEmbeddedPbx({ config, db, dir, log }: StartPbxOptions): Promise<EmbeddedPbx> {
  const missing = missingPbxBinaries();
  if (missing.length) throw new PbxError(`missing programs: ${missing.join(', ')}`);
  const ports = pbxPorts(config.basePort);
  const domain = '127.0.0.1';
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dbDir = join(dir, 'db');
  mkdirSync(dbDir, { recursive: true, mode: 0o700 });
  const procs: Managed[] = [];
  const ctlSocket = `unix:${join(dir, 'kamailio_ctl')}`;
  const timings: Record<string, number> = {};
  // The two service lines get fresh secrets at each start; they exist only in this run's files.
  const service: Subscriber[] = [
    { username: config.demoExtension, password: randomBytes(12).toString('hex') },
    { username: config.echoExtension, password: randomBytes(12).toString('hex') },
  ];
  const provision = async (): Promise<boolean> => {
    const subscribers = [...(await accountSubscribers(db)).filter((s) => !service.some((x) => x.username === s.username)), ...service];
    return writeSubscriberTable(dbDir, subscriberTable(subscribers, domain));
  };

  let closed = false;
  let demoLine: DemoLine | undefined;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    process.removeListener('exit', onExit);
    demoLine?.close();
    for (const m of [...procs].reverse()) await stopProc(m);
    procs.length = 0;
  };
  const onExit = (): void => {
    for (const m of procs) signal(m, 'SIGKILL');
  };
  process.once('exit', onExit);

  try {
    await provision();

    let t = Date.now();
    const rtpe = launch('rtpengine', 'rtpengine', [
      '--config-file=none', '--foreground', '--log-stderr', '--table=-1', '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ports.rtpengineNg}`, `--port-min=${ports.rtpengineRtp[0]}`, `--port-max=${ports.rtpengineRtp[1]}`,
      '--log-level=6', '--delete-delay=0',
    ], join(dir, 'rtpengine.log'));
    procs.push(rtpe);
    await until('rtpengine "Startup complete"', logHas(rtpe.logFile, /Startup complete/), 10_000, rtpe);
    timings.rtpengineMs = Date.now() - t;

    t = Date.now();
    const kam = launch('kamailio', 'kamailio', [
      '-f', join(here, 'kamailio.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-P', join(dir, 'kamailio.pid'), '-Y', dir,
      '-A', `SIP_PORT=${ports.sip}`, '-A', `WS_PORT=${ports.ws}`, '-A', `DBURL="text://${dbDir}"`, '-A', `CTL_SOCK="${ctlSocket}"`,
      '-A', 'WITH_RTPENGINE', '-A', `RTPE_SOCK="udp:127.0.0.1:${ports.rtpengineNg}"`,
    ], join(dir, 'kamailio.log'), true);
    procs.push(kam);
    await until(`Kamailio on tcp ${ports.ws}`, tcpOpen(ports.ws), 10_000, kam);
    await until('Kamailio to find rtpengine', logHas(kam.logFile, /rtpengine instance .* found/), 10_000, kam);
    timings.kamailioMs = Date.now() - t;

    const prompts: Record<string, string> = {};
    for (const [key, text] of Object.entries(demoPrompts)) {
      prompts[key] = join(dir, `demo-${key}.wav`);
      speak(text, prompts[key]);
    }
    const agents = [
      { name: 'demo-line', sub: service[0]!, sip: ports.demoSip, ctrl: ports.demoCtrl, rtp: ports.demoRtp, echo: false, display: 'Demo customer' },
      { name: 'echo', sub: service[1]!, sip: ports.echoSip, ctrl: ports.echoCtrl, rtp: ports.echoRtp, echo: true, display: 'Echo test' },
    ];
    for (const a of agents) {
      t = Date.now();
      const adir = join(dir, a.name);
      mkdirSync(adir, { recursive: true, mode: 0o700 });
      writeFileSync(join(adir, 'config'), baresipConfig({ sip: a.sip, ctrl: a.ctrl, rtp: a.rtp, source: prompts.greeting!, echo: a.echo }));
      // The echo line answers by itself (echo module); the demo line only places calls.
      writeFileSync(
        join(adir, 'accounts'),
        `"${a.display}" <sip:${a.sub.username}@${domain};transport=udp>;auth_pass=${a.sub.password};regint=300;outbound="sip:127.0.0.1:${ports.sip};transport=udp";audio_codecs=PCMU,PCMA\n`,
        { mode: 0o600 },
      );
      writeFileSync(join(adir, 'contacts'), '');
      const m = launch(a.name, 'baresip', ['-f', adir], join(dir, `${a.name}.log`));
      procs.push(m);
      await until(`${a.name} REGISTER 200 OK`, logHas(m.logFile, new RegExp(`${a.sub.username}@127\\.0\\.0\\.1: .*200 OK`)), 10_000, m);
      timings[`${a.name}Ms`] = Date.now() - t;
    }

    demoLine = createDemoLine({ ctrlPort: ports.demoCtrl, domain, prompts, log });
    log(`embedded PBX up: Kamailio ws://127.0.0.1:${ports.ws}, rtpengine, demo customer line ${config.demoExtension}, echo test ${config.echoExtension} (logs in ${dir}; ready in ${Object.entries(timings).map(([k, v]) => `${k.replace(/Ms$/, '')} ${v} ms`).join(', ')})`);
    return { wsUrl: `ws://127.0.0.1:${ports.ws}`, domain, ports, dir, demoLine, echoExtension: config.echoExtension, provision, ctlSocket, timings, close };
  } catch (e) {
    await close();
    throw e;
  }
}
