/**
 * End-to-end proof of the softphone service against the real SIP stack: Kamailio + rtpengine + baresip
 * (tests/stack) and headless Debian Chromium pages running renderer/services/phone through
 * tests/sip/harness.ts. Must run inside a loopback-only network namespace: use tests/sip/run.sh.
 * Prints `N passed, N failed` and exits non-zero on any failure. Timings are printed, never asserted.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { callTimings } from '../../core/call/callMachine';
import type { PhoneAccount } from '../../renderer/services/phone/phone';
import { startSipStack, type SipStack } from '../stack/sipStack';
import { startFakeSipServer } from './fakeSipServer';
import { blockUdp } from './netBlock';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.env.SIP_E2E_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'sip-e2e-'));
const HTTP_PORT = Number(process.env.SIP_E2E_HTTP_PORT ?? 8090);
const T0 = Date.now();

// ---------------------------------------------------------------- reporting
let passed = 0;
let failed = 0;
const figures: Record<string, unknown> = {};
function check(name: string, ok: boolean, detail?: unknown): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail === undefined ? '' : ` ${JSON.stringify(detail)}`}`);
}
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  const t = Date.now();
  try {
    await fn();
  } catch (e) {
    check(`${name}: no exception`, false, e instanceof Error ? e.message : String(e));
    await dumpLogs();
  }
  (figures.stepMs as Record<string, number>)[name] = Date.now() - t;
}
figures.stepMs = {};

async function waitUntil<T>(what: string, read: () => Promise<T>, pred: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!pred(v)) {
    if (Date.now() > end) throw new Error(`timeout (${ms} ms) waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- page + server
const bundle = await build({
  entryPoints: [path.join(here, 'harness.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  write: false,
  logLevel: 'warning',
});
const js = bundle.outputFiles[0]!.contents;
const html = '<!doctype html><html><head><meta charset="utf-8"><title>phone harness</title></head><body><script src="harness.js"></script></body></html>';
// The app's policy for the parts the phone touches: scripts from self only, SIP over ws(s), media from blob: (ringtone).
const csp = "default-src 'self'; script-src 'self'; connect-src 'self' ws://127.0.0.1:* wss:; media-src 'self' blob:; img-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";
const server = http.createServer((req, res) => {
  const body = req.url === '/' ? html : req.url === '/harness.js' ? js : undefined;
  if (body === undefined) return void res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
  res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/javascript', 'content-security-policy': csp });
  res.end(body);
});
await new Promise<void>((r) => server.listen(HTTP_PORT, '127.0.0.1', r));

let stack: SipStack | undefined;
let browser: Browser | undefined;
const cspViolations: string[] = [];
/** Uncaught exceptions on any page, as `user: message`. */
const pageErrors: string[] = [];

type Agent = { user: string; page: Page };
const openPages: Agent[] = [];
/** On failure, the phone's own log lines (each prefixed with its call id) say what happened. */
async function dumpLogs(): Promise<void> {
  for (const a of openPages) {
    if (a.page.isClosed()) continue;
    const lines = await a.page.evaluate(() => sb.logs()).catch(() => []);
    console.log(`  --- phone log ${a.user} ---\n${lines.slice(-40).map((l) => `  ${a.user} ${l}`).join('\n')}`);
  }
}
async function openAgent(user: string, account: Partial<PhoneAccount> = {}): Promise<{ agent: Agent; state: string; reason?: string; ms: number }> {
  const ctx = await browser!.newContext();
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    if (m.type() === 'error') console.log(`  [${user} console] ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    pageErrors.push(`${user}: ${e.message}`);
    console.log(`  [${user} pageerror] ${e.message}`);
  });
  await page.goto(`http://127.0.0.1:${HTTP_PORT}/`);
  const u = stack!.users[user]!;
  const full: PhoneAccount = { wsUri: stack!.wsUrl, sipUri: u.sipUri, authUser: u.user, password: u.password, displayName: `Agent ${user}`, iceServers: [], ...account };
  openPages.push({ user, page });
  const r = await page.evaluate((a) => sb.start(a), full);
  return { agent: { user, page }, state: r.state.kind, reason: 'reason' in r.state ? r.state.reason.message : undefined, ms: Math.round(r.ms) };
}
const media = (a: Agent) => a.page.evaluate(() => sb.media());
const reg = (a: Agent) => a.page.evaluate(() => sb.registration());
const calls = (a: Agent) => a.page.evaluate(() => sb.calls());
const incoming = (a: Agent) => a.page.evaluate(() => sb.lastIncoming());
async function hangupAll(...agents: Agent[]): Promise<void> {
  for (const a of agents) {
    await a.page.evaluate(async () => {
      for (const c of sb.calls()) await sb.phone.hangup(c.id).catch(() => undefined);
    });
  }
  for (const a of agents) await waitUntil(`${a.user} idle`, () => media(a), (m) => m.pcs === 0, 5000).catch(() => undefined);
}
/** Inbound bytes and energy gained over `ms`. */
async function flow(a: Agent, ms = 700): Promise<{ bytes: number; energy: number; outBytes: number }> {
  const m1 = await media(a);
  await pause(ms);
  const m2 = await media(a);
  return { bytes: m2.bytesIn - m1.bytesIn, energy: +(m2.energyIn - m1.energyIn).toFixed(4), outBytes: m2.bytesOut - m1.bytesOut };
}

/** Dials, waits for the callee's onIncoming, answers, waits for audio both ways; returns the call ids. */
async function connect(from: Agent, to: Agent): Promise<{ aId: string; bId: string }> {
  const before = (await incoming(to))?.callId;
  const aId = await from.page.evaluate((t) => sb.phone.dial(t), to.user);
  const inc = await waitUntil(`${to.user} onIncoming`, () => incoming(to), (i) => !!i && i.callId !== before);
  await to.page.evaluate((id) => sb.phone.answer(id), inc!.callId);
  await waitUntil(`${from.user} audio in`, () => media(from), (m) => m.packetsIn > 10);
  await waitUntil(`${to.user} audio in`, () => media(to), (m) => m.packetsIn > 10);
  return { aId, bId: inc!.callId };
}

// ---------------------------------------------------------------- the run
try {
  stack = await startSipStack({ dir: path.join(dir, 'stack') });
  figures.stack = stack.timings;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
      // In a loopback-only netns Chromium gathers no ICE host candidate without this.
      '--allow-loopback-in-peer-connection',
    ],
  });

  const ra = await openAgent('1001');
  const rb = await openAgent('1002');
  const a = ra.agent;
  const b = rb.agent;
  check('two agents register over WS with digest auth', ra.state === 'registered' && rb.state === 'registered', { a: ra.state, b: rb.state });
  figures.registerMs = { a: ra.ms, b: rb.ms };

  await step('call', async () => {
    const { aId, bId } = await connect(a, b);
    const fa = await flow(a);
    const fb = await flow(b);
    check('A calls B, B answers: inbound RTP rises on both ends', fa.bytes > 0 && fb.bytes > 0, { a: fa, b: fb, codec: (await media(a)).codec });
    const ca = (await calls(a)).find((c) => c.id === aId);
    const cb = (await calls(b)).find((c) => c.id === bId);
    check('both calls are established in the state machine, caller id shown to B', ca?.state === 'established' && cb?.state === 'established' && cb.remote.uri === 'sip:1001@127.0.0.1', { a: ca?.state, b: cb?.state, remote: cb?.remote });
    figures.browserCall = { caller: ca && callTimings(ca), callee: cb && callTimings(cb) };
    const q = await waitUntil('a quality sample with RTCP RTT', () => a.page.evaluate(() => sb.lastQuality()), (x) => !!x && x.rttMs > 0, 6000).catch(() => undefined);
    check('quality samples every second: RTT, jitter, loss, MOS and band on loopback', !!q && q.band === 'good' && q.mos > 4 && q.bytesIn > 0 && q.lossPct === 0, q);

    await a.page.evaluate((id) => sb.phone.hold(id), aId);
    const held = await waitUntil('hold directions', async () => ({ a: (await media(a)).directions[0], b: (await media(b)).directions[0] }), (d) => d.a === 'sendonly' && d.b === 'recvonly', 3000);
    const heldFlow = await flow(a);
    check('hold: re-INVITE makes A sendonly / B recvonly and A receives nothing', heldFlow.bytes === 0, { ...held, aBytesWhileHeld: heldFlow.bytes });
    await a.page.evaluate((id) => sb.phone.resume(id), aId);
    await waitUntil('resume directions', async () => (await media(a)).directions[0], (d) => d === 'sendrecv', 3000);
    await pause(200);
    const ra2 = await flow(a);
    const rb2 = await flow(b);
    check('resume: sendrecv again and audio returns both ways', ra2.bytes > 0 && rb2.bytes > 0, { a: ra2.bytes, b: rb2.bytes });

    const before = await flow(b, 1500);
    a.page.evaluate((id) => sb.phone.mute(id), aId).catch(() => undefined);
    await pause(300);
    const during = await flow(b, 1500);
    const st = (await calls(a)).find((c) => c.id === aId);
    check('mute: B hears no energy from A while A stays connected', st?.muted === true && before.energy > 0 && during.energy < before.energy * 0.05, { before, during });
    await a.page.evaluate((id) => sb.phone.unmute(id), aId);

    // Switch A's microphone mid-call (Chromium's fake devices): replaceTrack, no renegotiation.
    const mics = await a.page.evaluate(() => sb.microphones());
    const other = mics.find((m) => m.id !== 'default' && !/default/i.test(m.label)) ?? mics[mics.length - 1];
    const ufragBefore = (await media(a)).ufrags[0];
    await a.page.evaluate((id) => sb.phone.setMicrophone(id), other?.id ?? '');
    await pause(300);
    const afterSwitch = await media(a);
    const heard = await flow(b, 1500);
    check('microphone switch mid-call keeps the call and B hears the new mic', afterSwitch.sending.includes(other?.label ?? '?') && heard.energy > 0 && afterSwitch.ufrags[0] === ufragBefore,
      { mics: mics.map((m) => m.label), sending: afterSwitch.sending, heard });

    // Network change: re-INVITE with an ICE restart (new ufrag), audio continues.
    await a.page.evaluate(() => window.dispatchEvent(new Event('online')));
    const restarted = await waitUntil('new ICE ufrag', () => media(a), (m) => m.ufrags[0] !== ufragBefore, 4000);
    await pause(300);
    const afterRestart = [await flow(a), await flow(b)];
    check('network change: ICE-restart re-INVITE, audio flows both ways after it', afterRestart.every((f) => f.bytes > 0), { ufrag: [ufragBefore, restarted.ufrags[0]], bytes: afterRestart.map((f) => f.bytes) });
    await hangupAll(a, b);
    const ended = await a.page.evaluate((id) => sb.lastCall(id), aId);
    check('hang-up ends the call on both sides', ended?.state === 'ended' && (await calls(b)).length === 0, { a: ended?.state, endReason: ended?.endReason });
  });

  await step('timing calls', async () => {
    // Setup figures without a human in the loop: B answers from its onIncoming handler. Printed, not asserted.
    await b.page.evaluate(() => sb.setAutoAnswer(true));
    const rows: Array<ReturnType<typeof callTimings>> = [];
    for (let i = 0; i < 5; i++) {
      const id = await a.page.evaluate(() => sb.phone.dial('1002'));
      const c = await waitUntil('first audio at A', async () => a.page.evaluate((cid) => sb.lastCall(cid), id), (x) => x?.marks.firstAudioAt !== undefined);
      rows.push(callTimings(c!));
      await hangupAll(a, b);
    }
    await b.page.evaluate(() => sb.setAutoAnswer(false));
    const med = (k: keyof ReturnType<typeof callTimings>) => {
      const xs = rows.map((r) => r[k]).filter((x): x is number => x !== undefined).sort((p, q) => p - q);
      return xs.length ? { min: Math.round(xs[0]!), median: Math.round(xs[Math.floor((xs.length - 1) / 2)]!), max: Math.round(xs[xs.length - 1]!) } : undefined;
    };
    figures.autoAnswered5 = { clickToInviteMs: med('clickToInviteMs'), inviteToEstablishedMs: med('inviteToEstablishedMs'), establishedToFirstAudioMs: med('answerToFirstAudioMs') };
    check('5 auto-answered calls reach first audio', rows.length === 5 && rows.every((r) => r.answerToFirstAudioMs !== undefined), figures.autoAnswered5);
  });

  await step('dtmf to baresip', async () => {
    const id = await a.page.evaluate(() => sb.phone.dial('1003'));
    await waitUntil('audio from baresip', () => media(a), (m) => m.packetsIn > 25 && m.energyIn > 0);
    await a.page.evaluate((cid) => sb.phone.sendDtmf(cid, '42'), id);
    const log = await waitUntil('baresip received events', async () => readFileSync(stack!.baresip!.logFile, 'utf8'), (l) => /received event: '4'/.test(l) && /received event: '2'/.test(l), 4000).catch(() => '');
    check('DTMF (RFC 4733) from the page is received by baresip', log !== '', { codec: (await media(a)).codec });
    const c = (await calls(a)).find((x) => x.id === id);
    figures.browserToBaresip = c && callTimings(c);
    await hangupAll(a);
  });

  await step('blind transfer', async () => {
    const rc = await openAgent('1004');
    const c = rc.agent;
    await c.page.evaluate(() => sb.setAutoAnswer(true));
    const { bId } = await connect(a, b);
    await b.page.evaluate(({ id, to }) => sb.phone.blindTransfer(id, to), { id: bId, to: '1004' });
    await waitUntil('B idle after transfer', () => media(b), (m) => m.pcs === 0, 5000);
    await waitUntil('C audio in', () => media(c), (m) => m.packetsIn > 10, 8000);
    await waitUntil('A audio from C', () => calls(a), (cs) => cs.some((x) => x.state === 'established' && x.remote.uri.includes('1004')), 8000);
    const fa = await flow(a);
    const fc = await flow(c);
    const bEnd = await b.page.evaluate((id) => sb.lastCall(id), bId);
    check('blind transfer B→C: A and C talk, B is out with reason transferred', fa.bytes > 0 && fc.bytes > 0 && bEnd?.endReason?.kind === 'transferred', { a: fa.bytes, c: fc.bytes, b: bEnd?.state });
    await hangupAll(a, c);

    // Attended transfer: B consults C (A waits on hold), then joins A to C (REFER with Replaces).
    const first = await connect(a, b);
    const consultId = await b.page.evaluate(({ id, to }) => sb.phone.startConsult(id, to), { id: first.bId, to: '1004' });
    await waitUntil('A held by B', async () => (await media(a)).directions[0], (d) => d === 'recvonly', 4000);
    await waitUntil('consult audio at C', () => media(c), (m) => m.packetsIn > 10, 8000);
    await b.page.evaluate(({ id, consult }) => sb.phone.completeTransfer(id, consult), { id: first.bId, consult: consultId });
    await waitUntil('B idle after attended transfer', () => media(b), (m) => m.pcs === 0, 6000);
    await waitUntil('A talks to C', () => calls(a), (cs) => cs.some((x) => x.state === 'established' && x.remote.uri.includes('1004')), 8000);
    await pause(300);
    const fa2 = await flow(a);
    const fc2 = await flow(c);
    const cCalls = await calls(c);
    check('attended transfer: A and C talk on one call at C, B is out', fa2.bytes > 0 && fc2.bytes > 0 && cCalls.length === 1, { a: fa2.bytes, c: fc2.bytes, callsAtC: cCalls.map((x) => x.remote.uri) });
    await hangupAll(a, c);

    // Call waiting: C calls B while B talks to A; answering C puts A on hold.
    await c.page.evaluate(() => sb.setAutoAnswer(false));
    const ab = await connect(a, b);
    const before2 = (await incoming(b))?.callId;
    await c.page.evaluate(() => sb.phone.dial('1002'));
    const second = await waitUntil('second incoming at B', () => incoming(b), (i) => !!i && i.callId !== before2);
    await b.page.evaluate((id) => sb.phone.answer(id), second!.callId);
    await waitUntil('C hears B', () => media(c), (m) => m.packetsIn > 10, 8000);
    const bCalls = await calls(b);
    const heldAtA = (await media(a)).directions[0];
    check('second incoming while on a call: reported as call waiting, answering it holds the first', second!.otherCallActive && bCalls.find((x) => x.id === ab.bId)?.state === 'held' && heldAtA === 'recvonly' && (await flow(c)).bytes > 0,
      { otherCallActive: second!.otherCallActive, atB: bCalls.map((x) => `${x.remote.uri}:${x.state}`), directionAtA: heldAtA });
    await hangupAll(a, b, c);
    await c.page.close();
  });

  await step('dtmf via SIP INFO', async () => {
    const r = await openAgent('1006', { dtmfMode: 'info' });
    const d = r.agent;
    await connect(d, b);
    const id = (await calls(d))[0]!.id;
    await d.page.evaluate((cid) => sb.phone.sendDtmf(cid, '5#'), id);
    const logs = await waitUntil('INFO at B', () => b.page.evaluate(() => sb.logs()), (l) => l.some((x) => x.includes('DTMF 5')) && l.some((x) => x.includes('DTMF #')), 3000).catch(() => []);
    check('DTMF via SIP INFO (application/dtmf-relay) reaches the other agent', logs.length > 0);
    await hangupAll(d, b);
    await d.page.close();
  });

  await step('baresip calls agent', async () => {
    const before = (await incoming(b))?.callId;
    const t = Date.now();
    await stack!.baresip!.ctrl('dial', 'sip:1002@127.0.0.1');
    const inc = await waitUntil('onIncoming from baresip', () => incoming(b), (i) => !!i && i.callId !== before);
    figures.baresipDialToIncomingMs = Date.now() - t;
    await b.page.evaluate((id) => sb.phone.answer(id), inc!.callId);
    await waitUntil('audio from baresip', () => media(b), (m) => m.packetsIn > 25);
    const fb = await flow(b, 1500);
    check('baresip → agent: onIncoming with caller id 1003, answered, audio in', inc!.remote.uri === 'sip:1003@127.0.0.1' && fb.bytes > 0 && fb.energy > 0, { remote: inc!.remote, flow: fb });
    const c = (await calls(b)).find((x) => x.id === inc!.callId);
    figures.baresipToAgent = c && callTimings(c);
    await hangupAll(b);
    await pause(300);
    const wavs = readdirSync(stack!.baresip!.dumpDir).filter((f) => f.endsWith('-dec.wav'));
    const amps = wavs.map((f) => Number(/Maximum amplitude:\s+([\d.]+)/.exec(spawnSync('sox', ['--ignore-length', path.join(stack!.baresip!.dumpDir, f), '-n', 'stat'], { encoding: 'utf8' }).stderr)?.[1] ?? 0));
    check('baresip decoded non-silent audio from the agents', amps.length > 0 && amps.some((x) => x > 0.05), { files: wavs.length, maxAmplitudes: amps });
  });

  await step('network interruption', async () => {
    // Wi-Fi drops for a few seconds mid-call: RTP to/from rtpengine (tests/stack ports 30000-30199) is
    // dropped while SIP over the WebSocket (TCP 8080) stays up.
    const { aId, bId } = await connect(a, b);
    const ufragBefore = (await media(a)).ufrags[0];
    const block = blockUdp('30000:30199');
    const tBlock = Date.now();
    let gone: Array<{ bytes: number }>;
    try {
      await pause(300);
      gone = await Promise.all([flow(a, 1500), flow(b, 1500)]);
      await pause(Math.max(0, 4000 - (Date.now() - tBlock)));
    } finally {
      block.unblock();
    }
    figures.mediaBlockedMs = Date.now() - tBlock;
    check('media path cut: inbound RTP stops on both ends', gone.every((f) => f.bytes === 0), { tool: block.tool, bytes: gone.map((f) => f.bytes) });
    // Without any help from the app (same ICE pair, consent checks resume)?
    const tBack = Date.now();
    const back = await waitUntil('media back without ICE restart', async () => Promise.all([flow(a, 300), flow(b, 300)]), (fs) => fs.every((f) => f.bytes > 0), 3000).catch(() => undefined);
    figures.mediaBackWithoutIceRestartMs = back ? Date.now() - tBack : 'not within 3000 ms';
    // The app's own path: the network came back, so it re-INVITEs with an ICE restart.
    const tOnline = Date.now();
    await a.page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitUntil('new ICE ufrag', () => media(a), (m) => m.ufrags[0] !== ufragBefore, 4000);
    const flows = await waitUntil('audio both ways after ICE restart', async () => Promise.all([flow(a, 300), flow(b, 300)]), (fs) => fs.every((f) => f.bytes > 0), 5000);
    figures.mediaBackAfterOnlineMs = Date.now() - tOnline;
    const ca = (await calls(a)).find((c) => c.id === aId);
    const cb = (await calls(b)).find((c) => c.id === bId);
    check('network interruption during a call: media resumes and the call is not dropped', ca?.state === 'established' && cb?.state === 'established',
      { a: ca?.state, b: cb?.state, bytes: flows.map((f) => f.bytes), blockedMs: figures.mediaBlockedMs, withoutRestartMs: figures.mediaBackWithoutIceRestartMs, afterOnlineMs: figures.mediaBackAfterOnlineMs });
    await hangupAll(a, b);
  });

  await step('kamailio restart', async () => {
    await stack!.killKamailio();
    const down = await waitUntil('B leaves registered', () => reg(b), (s) => s.kind !== 'registered', 5000);
    check('Kamailio killed: registration leaves "registered" with a reason', down.kind === 'reconnecting', down);
    const t = Date.now();
    await stack!.startKamailio();
    const back = await waitUntil('A and B registered again', async () => [await reg(a), await reg(b)], (s) => s.every((x) => x.kind === 'registered'), 10_000).catch((e: Error) => e.message);
    figures.reRegisterAfterRestartMs = Date.now() - t;
    check('registered again within 10 s of the restart, with no action', typeof back !== 'string', { ms: figures.reRegisterAfterRestartMs, back });
    const { aId } = await connect(a, b);
    check('after the restart B receives a call with audio', (await flow(b)).bytes > 0, { aId });
    await hangupAll(a, b);
  });

  if (process.env.SIP_E2E_SLOW === '1') {
    await step('silent server (slow)', async () => {
      // The sleeping-laptop case: the socket stays open but nothing answers. Only the OPTIONS ping can tell.
      const t = Date.now();
      stack!.freezeKamailio(true);
      const down = await waitUntil('B notices the dead path', () => reg(b), (s) => s.kind !== 'registered', 35_000).catch((e: Error) => e.message);
      figures.deadPathNoticedMs = Date.now() - t;
      stack!.freezeKamailio(false);
      check('silent server noticed within 30 s (OPTIONS ping), then registered again', typeof down !== 'string' && (figures.deadPathNoticedMs as number) <= 30_000, { down, ms: figures.deadPathNoticedMs });
      await waitUntil('B registered again', () => reg(b), (s) => s.kind === 'registered', 15_000);
    });
  }

  await step('malformed SIP', async () => {
    const fake = await startFakeSipServer(8091);
    try {
      const errorsBefore = pageErrors.length;
      const r = await openAgent('1006', { wsUri: fake.url });
      const d = r.agent;
      check('malformed SIP gives a clear state and nothing crashes: junk replies to REGISTER, then 403 → failed with the reason',
        r.state === 'failed' && /403/.test(r.reason ?? '') && fake.received.some((m) => m.startsWith('REGISTER ')), { state: r.state, reason: r.reason });
      // An INVITE whose SDP is not SDP: it may ring, but answering must fail cleanly with a response to the server.
      const before = (await incoming(d))?.callId;
      const inviteId = fake.sendBadInvite('1006');
      const inc = await waitUntil('bad INVITE reaches the phone', () => incoming(d), (i) => !!i && i.callId !== before, 3000).catch(() => undefined);
      const answered = inc ? await d.page.evaluate((id) => sb.phone.answer(id).then(() => 'answered', (e: Error) => `${e.name}: ${e.message}`), inc.callId) : 'no onIncoming';
      const reply = await waitUntil('final answer to the bad INVITE', async () => fake.received.find((m) => /^SIP\/2\.0 [3-6]\d\d /.test(m) && m.includes(inviteId)), (m) => m !== undefined, 3000).catch(() => undefined);
      const left = await calls(d);
      check('INVITE with malformed SDP: answer fails with a media error, the server gets a final error response, no call is left',
        /PhoneError/.test(answered) && !!reply && left.length === 0, { answered, reply: reply?.split('\r\n')[0], callsLeft: left.map((c) => c.state) });
      check('no uncaught page errors from malformed SIP', pageErrors.length === errorsBefore, pageErrors.slice(errorsBefore));
      // Still usable: a fresh phone on the same page (an account change) registers with the real server.
      await d.page.evaluate(() => sb.replacePhone());
      const u = stack!.users['1006']!;
      const again = await d.page.evaluate((acc) => sb.start(acc), { wsUri: stack!.wsUrl, sipUri: u.sipUri, authUser: u.user, password: u.password, displayName: 'Agent 1006', iceServers: [] });
      check('after the malformed server, the page registers with Kamailio', again.state.kind === 'registered', again.state);
      await d.page.evaluate(() => sb.phone.dispose());
      await d.page.close();
    } finally {
      await fake.close();
    }
  });

  await step('wrong password', async () => {
    const r = await openAgent('1005', { password: 'not-the-password' });
    check('wrong password → failed with a clear reason', r.state === 'failed' && /401|403|407/.test(r.reason ?? ''), { state: r.state, reason: r.reason });
    await r.agent.page.close();
  });

  await step('unreachable server', async () => {
    // Nothing listens on 5999 in the namespace (port 9 would be blocked by Chromium as an unsafe port).
    const r = await openAgent('1006', { wsUri: 'ws://127.0.0.1:5999' });
    check('unreachable server → reconnecting with the cause', r.state === 'reconnecting' && !!r.reason, { state: r.state, reason: r.reason });
    await r.agent.page.close();
  });

  check('no CSP violations on the page', cspViolations.length === 0, cspViolations.slice(0, 3));
} catch (e) {
  check('run completed', false, e instanceof Error ? e.stack ?? e.message : String(e));
} finally {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  server.close();
}
figures.totalMs = Date.now() - T0;
console.log(JSON.stringify(figures, null, 1));
console.log(`logs: ${dir}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
