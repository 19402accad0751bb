// bench/call: call setup in the app beside a bare sip.js UserAgent, through the same Kamailio + rtpengine
// in the same run (calls alternate, so drift hits both alike). For each call: click → INVITE sent and
// INVITE → established on the caller, answer → first inbound audio on the callee, all from marks taken
// inside the pages (performance clock). The caller is agent1 in the real app (server on PGlite, demo
// seed, dial pad click); the baseline is bench/call/barePage.ts, 1005 → 1006, which answers in code.
// The app is measured answering two ways: agent2 (1002) with "Answer calls automatically" on, which
// answers in code as the bare page does (the like-for-like figure, `app`), and agent4 (1004) with an
// in-page "agent" that clicks the banner's Answer button the moment it renders (`appClick`).
// INVITE → established is also split into legs from each page's WebSocket (proxy in, callee, proxy out,
// caller). BENCH_TIMELINE=1 prints every call's message and WebRTC timeline as well.
// Runs in a loopback-only network namespace. Ends with one JSON line of figures.
// Usage: npm run bench:call [-- calls]
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { register } from 'tsx/esm/api';
import { buildAll } from '../scripts/build.mjs';
import { root } from '../scripts/ensure.mjs';
import { inNetns, onlyLoopbackUp, reexecInNetns } from '../scripts/netns.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));
if (!onlyLoopbackUp()) {
  console.error('refusing to run: an interface other than lo is up in this namespace');
  process.exit(1);
}
register();
const { startSipStack } = await import('../tests/stack/sipStack.ts');

const calls = Number(process.argv[2] ?? 20);
/**
 * Every call starts after the same quiet pause: the app's previous call leaves work behind (call log to
 * Dexie, sync push to the server on this same machine) that must not land on the next call, app or bare.
 */
const SETTLE_MS = 400;
const appPort = 7631;
const barePort = 8093;
const app = `http://127.0.0.1:${appPort}`;
const args = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];

await buildAll({ quiet: true });
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env, SWITCHBOARD_PORT: String(appPort), SWITCHBOARD_DATA_DIR: 'memory://', SWITCHBOARD_SEED: 'demo', SWITCHBOARD_LOG_LEVEL: 'warn',
    SWITCHBOARD_WEB_ROOT: join(root, 'dist/renderer'), SWITCHBOARD_SIP_WS_URL: 'ws://127.0.0.1:8080', SWITCHBOARD_SIP_DOMAIN: '127.0.0.1',
  },
});

const bundle = await build({ entryPoints: [join(root, 'bench/call/barePage.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'warning' });
const bareJs = bundle.outputFiles[0].contents;
const bareServer = http.createServer((req, res) => {
  if (req.url === '/bare.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bareJs);
  if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>bare</title><body><script src="bare.js"></script></body>');
  res.writeHead(404).end();
});
await new Promise((r) => bareServer.listen(barePort, '127.0.0.1', r));

const stack = await startSipStack({ dir: mkdtempSync(join(os.tmpdir(), 'bench-call-')), baresip: false });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
let exitCode = 0;
try {
  await waitFor(`${app}/health`);
  const [a, b, c] = await Promise.all([appAgent('agent1', 'none'), appAgent('agent2', 'auto'), appAgent('agent4', 'click')]);
  const [x, y] = await Promise.all([bareAgent('1005'), bareAgent('1006')]);
  const [agent1, agent2, agent4] = [appSide(a, '1001'), appSide(b, '1002'), appSide(c, '1004')];
  const [bare1005, bare1006] = [bareSide(x, '1005'), bareSide(y, '1006')];
  // Both ends app, both ends bare, and each app end against a bare one (which side carries a difference).
  const pairs = { app: [agent1, agent2], appClick: [agent1, agent4], appCaller: [agent1, bare1006], appCallee: [bare1005, agent2], bare: [bare1005, bare1006] };
  const results = Object.fromEntries(Object.keys(pairs).map((k) => [k, []]));
  for (let i = 0; i < calls; i++) for (const [k, [from, to]] of Object.entries(pairs)) results[k].push(await call(from, to, `${k}-${i}`));
  const setup = (r) => r.clickToInviteMs + r.inviteToEstablishedMs;
  const figures = {};
  const metrics = ['clickToInviteMs', 'inviteToEstablishedMs', 'answerToFirstAudioMs', 'clickToEstablishedMs', 'ringToAnswerMs', 'proxyInviteMs', 'calleeMs', 'proxy200Ms', 'callerMs'];
  console.log(`${'median ms (× bare)'.padEnd(22)} ${Object.keys(pairs).map((k) => k.padStart(20)).join('')}`);
  for (const metric of metrics) {
    const read = (r) => (metric === 'clickToEstablishedMs' ? setup(r) : r[metric]);
    const s = Object.fromEntries(Object.entries(results).map(([k, rs]) => [k, stats(rs.map(read))]));
    const ratios = Object.fromEntries(Object.keys(pairs).filter((k) => k !== 'bare').map((k) => [k, ratio(s[k].median, s.bare.median)]));
    // Calls alternate round by round, so each round's app/bare ratio cancels drift that moves both (the
    // VM's speed changes between and within runs); the median of those is the steadier comparison.
    const paired = Object.fromEntries(
      Object.keys(ratios).map((k) => {
        const perRound = results[k].map((r, i) => ratio(read(r), read(results.bare[i]))).filter((v) => v !== null);
        return [k, perRound.length ? stats(perRound).median : null];
      }),
    );
    figures[metric] = { ...s, medianRatio: ratios.app, ratios, pairedRatios: paired };
    console.log(`${metric.padEnd(22)} ${Object.keys(pairs).map((k) => `${s[k].median}${k === 'bare' || ratios[k] === null ? '' : ` (×${ratios[k]}/${paired[k]})`}`.padStart(20)).join('')}`);
  }
  console.log('app: agent1 → agent2 (auto-answer); appClick: agent1 → agent4 (banner clicked on render); appCaller: agent1 → bare 1006;');
  console.log('appCallee: bare 1005 → agent2 (auto-answer); bare: 1005 → 1006. (×a/b): a = ratio of medians, b = median of per-round ratios.');
  console.log('min and p95 are in the JSON line. Goal: app ≤ 1.1× bare.');
  // Issue 15's goal, per end: each app end (caller, callee) within 1.1× a bare sip.js end, as the median of
  // per-round ratios of call setup (click → established), with answer → first audio beside it.
  const goal = 1.1;
  const perEnd = Object.fromEntries(['appCaller', 'appCallee'].map((k) => {
    const setupRatio = figures.clickToEstablishedMs.pairedRatios[k];
    const audioRatio = figures.answerToFirstAudioMs.pairedRatios[k];
    return [k, { setupRatio, audioRatio, meetsGoal: setupRatio !== null && setupRatio <= goal }];
  }));
  for (const [k, v] of Object.entries(perEnd)) {
    console.log(`per end ${k.padEnd(10)} click → established ×${v.setupRatio} (answer → first audio ×${v.audioRatio}) vs goal ×${goal}: ${v.meetsGoal ? 'met' : 'NOT met'}`);
  }
  console.log(JSON.stringify({ bench: 'call', calls, goalRatio: goal, perEnd, ...figures }));
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await browser.close();
  await stack.stop();
  bareServer.close();
  server.kill('SIGTERM');
}
process.exit(exitCode);

/**
 * `answers`: 'auto' turns on "Answer calls automatically" on the Phone page (the app answers in code, as
 * the bare page does); 'click' installs an in-page observer that clicks the banner's Answer button the
 * moment it renders, as an agent with a finger on the button would (a Playwright click would add its own
 * round trips to the figure); 'none' is the caller.
 */
async function appAgent(username, answers) {
  const ctx = await browser.newContext({ baseURL: app, viewport: { width: 1280, height: 800 }, permissions: ['microphone'] });
  await ctx.addInitScript(wireTap, Boolean(process.env.BENCH_TIMELINE));
  await ctx.addInitScript(() => window.localStorage.setItem('switchboard.debug-calls', '1'));
  if (answers === 'click') {
    await ctx.addInitScript(() => {
      new MutationObserver(() => {
        const button = document.querySelector('[data-testid="incoming-answer"]');
        if (button && !button.dataset.clicked) {
          button.dataset.clicked = '1';
          button.click();
        }
      }).observe(document, { childList: true, subtree: true });
    });
  }
  const page = await ctx.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('status-phone').and(page.locator('[data-state="registered"]')).waitFor({ timeout: 20_000 });
  // By test id: since issue 15 the screens follow the account's language (agent1 and agent2 are Chinese).
  await page.getByTestId('nav-phone').click();
  if (answers === 'auto') await page.getByTestId('auto-answer-input').check();
  return page;
}

/**
 * Injected into every page (app and bare alike): timestamps each SIP message where it crosses the page's
 * WebSocket, so INVITE → established can be split into legs (proxy in, callee, proxy out, caller).
 */
function wireTap(marks) {
  const wire = [];
  const now = () => performance.timeOrigin + performance.now();
  const head = (s) => {
    if (typeof s !== 'string') return undefined;
    return { first: s.slice(0, s.indexOf('\r\n')), cseq: /\r\nCSeq:\s*\d+\s+(\w+)/i.exec(s)?.[1], callId: /\r\n(?:Call-ID|i):\s*(\S+)/i.exec(s)?.[1] };
  };
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    const h = head(data);
    if (h) wire.push({ dir: 'out', t: now(), ...h });
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      // Registered before sip.js's own listener, so this is the arrival, not the end of its handling.
      this.addEventListener('message', (ev) => {
        const h = head(ev.data);
        if (h) wire.push({ dir: 'in', t: now(), ...h });
      });
    }
  };
  // BENCH_TIMELINE: the WebRTC steps and the banner click too, for the per-call timeline (dump()).
  if (marks) {
    const mark = (what) => wire.push({ dir: 'mark', t: now(), first: what });
    const P = window.RTCPeerConnection;
    for (const m of ['setRemoteDescription', 'createAnswer', 'createOffer', 'setLocalDescription', 'addTrack']) {
      const orig = P.prototype[m];
      P.prototype[m] = function (...a) {
        mark(`${m} start`);
        const r = orig.apply(this, a);
        r?.then?.(() => mark(`${m} end`));
        return r;
      };
    }
    window.RTCPeerConnection = class extends P {
      constructor(...a) {
        mark('new RTCPeerConnection');
        super(...a);
        this.addEventListener('icegatheringstatechange', () => mark(`ICE gathering ${this.iceGatheringState}`));
      }
    };
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (c) => {
      mark('getUserMedia start');
      return gum(c).then((x) => {
        mark('getUserMedia end');
        return x;
      });
    };
    const click = HTMLElement.prototype.click;
    HTMLElement.prototype.click = function () {
      mark(`click ${this.dataset.testid ?? ''}`);
      return click.call(this);
    };
  }
  window.__sipWire = () => wire.splice(0);
}

/** The legs of INVITE → established from both pages' wire logs (same browser, so one clock). */
function dump(wire, marks) {
  const t0 = wire[1].find((m) => m.dir === 'in' && m.first.startsWith('INVITE '))?.t ?? 0;
  const all = [...wire[0].map((m) => ({ ...m, who: 'caller' })), ...wire[1].map((m) => ({ ...m, who: 'callee' })), { who: 'caller', dir: 'mark', first: 'established', t: marks.establishedAt }].sort((p, q) => p.t - q.t);
  console.log('---');
  for (const m of all) if (m.t >= t0 - 5) console.log(`${(m.t - t0).toFixed(1).padStart(7)} ${m.who.padEnd(6)} ${m.dir.padEnd(4)} ${m.first.slice(0, 40)}`);
}

function legs(callerWire, calleeWire, established) {
  const calleeInvite = calleeWire.find((m) => m.dir === 'in' && m.first.startsWith('INVITE '));
  if (!calleeInvite) return undefined;
  const id = calleeInvite.callId;
  const callerInvite = callerWire.filter((m) => m.dir === 'out' && m.callId === id && m.first.startsWith('INVITE ')).at(-1);
  const callee200 = calleeWire.find((m) => m.dir === 'out' && m.callId === id && m.cseq === 'INVITE' && m.first.startsWith('SIP/2.0 200'));
  const caller200 = callerWire.find((m) => m.dir === 'in' && m.callId === id && m.cseq === 'INVITE' && m.first.startsWith('SIP/2.0 200'));
  if (!callerInvite || !callee200 || !caller200) return undefined;
  return {
    proxyInviteMs: calleeInvite.t - callerInvite.t,
    calleeMs: callee200.t - calleeInvite.t,
    proxy200Ms: caller200.t - callee200.t,
    callerMs: established - caller200.t,
  };
}

async function bareAgent(user) {
  const ctx = await browser.newContext({ permissions: ['microphone'] });
  await ctx.addInitScript(wireTap, Boolean(process.env.BENCH_TIMELINE));
  const page = await ctx.newPage();
  await page.goto(`http://127.0.0.1:${barePort}/`);
  await page.evaluate((u) => window.bare.start({ wsUri: 'ws://127.0.0.1:8080', user: u, password: `test${u}`, domain: '127.0.0.1' }), user);
  return page;
}

/**
 * BENCH_PROFILE=<pair>:<caller|callee> (e.g. app:caller): a V8 CPU profile (0.1 ms sampling) of that end's
 * page from the dial click until the callee hears audio, per call, written to $BENCH_PROFILE_DIR (default
 * /tmp/bench-call-profiles) as <pair>-<n>-<end>.cpuprofile, for Chrome DevTools' Performance panel.
 */
async function startProfile(name, ends) {
  const [pair, end] = (process.env.BENCH_PROFILE ?? '').split(':');
  if (!end || !name.startsWith(`${pair}-`) || !ends[end]) return undefined;
  const page = ends[end].page;
  const cdp = (page.benchCdp ??= await page.context().newCDPSession(page));
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    const dir = process.env.BENCH_PROFILE_DIR ?? '/tmp/bench-call-profiles';
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}-${end}.cpuprofile`), JSON.stringify(profile));
  };
}

function debugCalls(page) {
  return page.evaluate(() => window.switchboardDebugCalls());
}

/** One end of a call, app or bare, behind the same few operations. */
function appSide(page, number) {
  const find = async (pick) => (await debugCalls(page)).find(pick);
  return {
    number,
    page,
    count: async () => 0,
    dial: async (target) => {
      await page.getByTestId('dial-input').fill(target);
      await page.getByTestId('dial-call').click();
    },
    // Finished calls leave the list at wrap-up, so the one established call is this one.
    asCaller: () => find((c) => c.marks.establishedAt && c.state === 'established'),
    asCallee: () => find((c) => c.marks.firstAudioAt && c.state === 'established'),
    hangup: () => page.getByTestId('call-hangup').click(),
    async wrapUp() {
      await page.getByTestId('wrapup-disposition').selectOption('no-action');
      await page.getByTestId('wrapup-done').click();
      await page.getByTestId('wrapup').waitFor({ state: 'detached' });
    },
  };
}

function bareSide(page, number) {
  const list = () => page.evaluate(() => window.bare.calls());
  let before = 0;
  return {
    number,
    page,
    count: async () => (before = (await list()).length),
    dial: async (target) => {
      await page.evaluate((t) => (document.getElementById('call').dataset.target = t), target);
      await page.click('#call');
    },
    asCaller: async () => {
      const c = (await list()).at(-1);
      return c?.direction === 'outbound' && c.marks.establishedAt && c.marks.inviteAt ? c : undefined;
    },
    asCallee: async () => {
      const c = (await list())[before];
      return c?.marks.firstAudioAt ? c : undefined;
    },
    hangup: () => page.evaluate(() => window.bare.hangupAll()),
    wrapUp: async () => undefined,
  };
}

async function call(from, to, name) {
  await from.page.waitForTimeout(SETTLE_MS);
  await Promise.all([from, to].map((e) => e.page.evaluate(() => window.__sipWire())));
  await to.count();
  const profiler = await startProfile(name, { caller: from, callee: to });
  await from.dial(to.number);
  const caller = await until(() => from.asCaller());
  const callee = await until(() => to.asCallee());
  await profiler?.();
  const wire = await Promise.all([from, to].map((e) => e.page.evaluate(() => window.__sipWire())));
  await from.hangup();
  await from.wrapUp();
  await to.wrapUp();
  if (process.env.BENCH_TIMELINE) dump(wire, caller.marks);
  return { ...timings(caller.marks, callee.marks), ...legs(wire[0], wire[1], caller.marks.establishedAt) };
}


function timings(caller, callee) {
  return {
    clickToInviteMs: caller.inviteAt - caller.clickAt,
    inviteToEstablishedMs: caller.establishedAt - caller.inviteAt,
    answerToFirstAudioMs: callee.firstAudioAt - callee.answerAt,
    // Not a goal figure: how long the callee took from receiving the INVITE to answering (the app renders
    // the banner and the in-page "agent" clicks it; the bare page accepts inside onInvite).
    ringToAnswerMs: callee.answerAt - callee.inviteAt,
  };
}

async function until(read, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for a call mark');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function stats(values) {
  const s = [...values].sort((p, q) => p - q);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { min: round(s[0]), median: round(at(0.5)), p95: round(at(0.95)) };
}

function ratio(p, q) {
  return q > 0 ? round(p / q) : null;
}

function round(n) {
  return Math.round(n * 100) / 100;
}

async function waitFor(url) {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
