import { chromium, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPorts, startSipStack, type SipStack } from '../stack/sipStack';
import { dropFlows, tcpPortsOf, type NetDrop } from '../support/e2e/netDrop';
import { livePeerConnections, receivedToneDb, trackPeerConnections } from '../support/e2e/pageMedia';
import { baseURL } from './playwright.config';
import { goertzel, lastSeconds, newestRecording, wavSamples } from '../support/e2e/recording';

/**
 * Issue 7, live call coaching end to end: the real server, Kamailio, rtpengine and baresip. Three
 * parties each send their own tone: the customer (baresip, 1003) 600 Hz, the agent (agent1, 1001) 1000 Hz
 * and the lead (lead1) 1500 Hz, each browser from its own fake microphone file. For every mode the test
 * measures what each party actually receives: the agent's and the lead's audio in their pages (an
 * AnalyserNode on the received or mixed stream), the customer's from baresip's recording of what it
 * decoded (a Goertzel filter per tone). Then it checks the table of issue 7: who hears whom.
 */

test.describe.configure({ mode: 'serial' });

const F = { customer: 600, agent: 1000, lead: 1500 } as const;
type Tone = keyof typeof F;
const tones = Object.keys(F) as Tone[];

let dir: string;
let stack: SipStack;
let agentBrowser: Browser;
let leadBrowser: Browser;
let agentCtx: BrowserContext;
let agent: Page;
let lead: Page;
let leadToken: string;
let leadMic: string;
let netLeadBrowser: Browser | undefined;

function wav(file: string, hz: number, rate: number, seconds: number): string {
  const r = spawnSync('sox', ['-n', '-r', String(rate), '-c', '1', '-b', '16', file, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5']);
  if (r.status !== 0) throw new Error(`sox: ${r.stderr.toString()}`);
  return file;
}

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];

/**
 * One browser per party: --use-file-for-fake-audio-capture is per process. `marker` is an inert switch on
 * the browser's command line, so the test can find that browser's sockets (`ss -p`) to cut its network.
 */
async function signIn(username: string, micWav: string, marker?: string): Promise<{ browser: Browser; ctx: BrowserContext; page: Page }> {
  const args = [...chromiumArgs, `--use-file-for-fake-audio-capture=${micWav}`, ...(marker ? [marker] : [])];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
  const ctx = await browser.newContext({ baseURL, permissions: ['microphone', 'notifications'], viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript(() => window.localStorage.setItem('switchboard.debug-coaching', '1'));
  await ctx.addInitScript(trackPeerConnections);
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (/\[coaching\]|\[phone\]/.test(m.text())) console.log(`[${username}] ${m.text()}`);
  });
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expect(page.getByTestId('status-phone')).toHaveAttribute('data-state', 'registered');
  return { browser, ctx, page };
}

async function apiLogin(username: string): Promise<string> {
  const res = await fetch(`${baseURL}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'switchboard' }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}
async function api<T>(token: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseURL}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}

type Stream = 'agentEar' | 'toCustomer' | 'leadEar';

/**
 * In the page: an AnalyserNode per stream (no smoothing), the level in dB at each tone (the loudest bin
 * within ±15 Hz). `levels` averages a few frames; `until` polls every 10 ms and returns when a tone
 * crosses the threshold, with the page's clock, so a mode switch can be timed from the click.
 */
async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Probe = { stream: MediaStream; an: AnalyserNode; buf: Float32Array<ArrayBuffer>; rate: number };
    const probes = new Map<string, Probe>();
    const ctx = new AudioContext();
    const get = (name: string): Probe => {
      const streams = (window as unknown as { switchboardCoaching(): Record<string, MediaStream | null> }).switchboardCoaching();
      const stream = streams[name];
      if (!stream) throw new Error(`no ${name} stream`);
      let p = probes.get(name);
      if (!p || p.stream !== stream) {
        // Remote WebRTC audio reaches WebAudio only while an element plays it (muted here).
        const el = new Audio();
        el.muted = true;
        el.srcObject = stream;
        void el.play();
        const an = ctx.createAnalyser();
        an.fftSize = 2048;
        an.smoothingTimeConstant = 0;
        ctx.createMediaStreamSource(stream).connect(an);
        p = { stream, an, buf: new Float32Array(an.frequencyBinCount), rate: ctx.sampleRate };
        probes.set(name, p);
      }
      return p;
    };
    const level = (p: Probe, hz: number): number => {
      p.an.getFloatFrequencyData(p.buf);
      const bin = (f: number) => Math.round((f * p.an.fftSize) / p.rate);
      let max = -200;
      for (let i = bin(hz - 15); i <= bin(hz + 15); i++) max = Math.max(max, p.buf[i] ?? -200);
      return max;
    };
    void ctx.resume();
    Object.assign(window, {
      coachProbe: {
        async levels(name: string, freqs: number[]): Promise<number[]> {
          const p = get(name);
          const sums = freqs.map(() => 0);
          const n = 8;
          for (let k = 0; k < n; k++) {
            await new Promise((r) => setTimeout(r, 60));
            freqs.forEach((f, i) => (sums[i]! += level(p, f)));
          }
          return sums.map((s) => Math.round((s / n) * 10) / 10);
        },
        async until(name: string, hz: number, present: boolean, thresholdDb: number, timeoutMs: number): Promise<number | null> {
          const end = Date.now() + timeoutMs;
          while (Date.now() < end) {
            try {
              const l = level(get(name), hz);
              if (present ? l > thresholdDb : l < thresholdDb) return Date.now();
            } catch {
              /* the stream appears once the mixer is up */
            }
            await new Promise((r) => setTimeout(r, 10));
          }
          return null;
        },
      },
    });
  });
}

type ProbeWindow = { coachProbe: { levels(n: string, f: number[]): Promise<number[]>; until(n: string, hz: number, present: boolean, db: number, ms: number): Promise<number | null> } };

async function pageLevels(page: Page, stream: Stream): Promise<Record<Tone, number>> {
  const l = await page.evaluate(([s, f]) => (window as unknown as ProbeWindow).coachProbe.levels(s, f), [stream, tones.map((t) => F[t])] as const);
  return Object.fromEntries(tones.map((t, i) => [t, l[i]!])) as Record<Tone, number>;
}

/** What the customer heard over the last `seconds` (skipping the newest 0.3 s still in buffers). */
async function customerHears(seconds = 1.5): Promise<Record<Tone, number>> {
  const { rate, samples } = wavSamples(newestRecording(stack.baresip!.dumpDir));
  const { from, to } = lastSeconds(rate, samples.length, seconds);
  return Object.fromEntries(tones.map((t) => [t, Math.round(goertzel(samples, rate, F[t], from, to) * 1e4) / 1e4])) as Record<Tone, number>;
}

/** A tone is "heard" above these; "not heard" below the lower ones. The gap keeps the check honest. */
const PAGE_ON_DB = -60;
const PAGE_OFF_DB = -80;
const WAV_ON = 0.02;
const WAV_OFF = 0.004;

type Heard = Record<'customer' | 'agent' | 'lead', Partial<Record<Tone, boolean>>>;

/** The table of issue 7 per mode: who hears which tone (a party does not hear its own). */
const expected: Record<'listen' | 'whisper' | 'barge', Heard> = {
  listen: { customer: { agent: true, lead: false }, agent: { customer: true, lead: false }, lead: { customer: true, agent: true } },
  whisper: { customer: { agent: true, lead: false }, agent: { customer: true, lead: true }, lead: { customer: true, agent: true } },
  barge: { customer: { agent: true, lead: true }, agent: { customer: true, lead: true }, lead: { customer: true, agent: true } },
};

async function checkMatrix(mode: 'listen' | 'whisper' | 'barge'): Promise<void> {
  // Let a mode settle and the customer's recording cover it.
  await new Promise((r) => setTimeout(r, 1800));
  const measured = { agent: await pageLevels(agent, 'agentEar'), lead: await pageLevels(lead, 'leadEar'), customer: await customerHears() };
  console.log(`[coaching] ${mode}: agent hears dB ${JSON.stringify(measured.agent)}; lead hears dB ${JSON.stringify(measured.lead)}; customer hears amplitude ${JSON.stringify(measured.customer)}`);
  const want = expected[mode];
  for (const party of ['agent', 'lead'] as const) {
    for (const [tone, on] of Object.entries(want[party]) as Array<[Tone, boolean]>) {
      const db = measured[party][tone];
      expect(on ? db > PAGE_ON_DB : db < PAGE_OFF_DB, `${mode}: ${party} ${on ? 'hears' : 'must not hear'} the ${tone} (${db} dB)`).toBe(true);
    }
  }
  for (const [tone, on] of Object.entries(want.customer) as Array<[Tone, boolean]>) {
    const a = measured.customer[tone];
    expect(on ? a > WAV_ON : a < WAV_OFF, `${mode}: customer ${on ? 'hears' : 'must not hear'} the ${tone} (amplitude ${a})`).toBe(true);
  }
}

/** Clicks a mode on the lead's page and returns ms from the click until the agent's page hears the change. */
async function switchAndTime(mode: 'listen' | 'whisper' | 'barge', probe: { stream: Stream; hz: number; present: boolean }): Promise<number> {
  const threshold = probe.present ? PAGE_ON_DB : PAGE_OFF_DB;
  const waiting = agent.evaluate(([s, hz, present, db]) => (window as unknown as ProbeWindow).coachProbe.until(s, hz, present, db, 5000), [probe.stream, probe.hz, probe.present, threshold] as const);
  const clickAt = await lead.evaluate(() => Date.now());
  await row(lead).getByTestId(`coach-${mode}`).click();
  const heardAt = await waiting;
  expect(heardAt, `${mode}: the change reached the agent's ${probe.stream}`).not.toBeNull();
  return heardAt! - clickAt;
}

const row = (p: Page) => p.getByTestId('live-1001');
const card = (p: Page) => p.getByTestId('call-card').first();

async function expectAgentCallAlive(): Promise<void> {
  await expect(card(agent)).toHaveAttribute('data-state', 'established');
  const q = agent.getByTestId('call-quality').first();
  const read = async () => ({ in: Number(await q.getAttribute('data-bytes-in')), out: Number(await q.getAttribute('data-bytes-out')) });
  const a = await read();
  await agent.waitForTimeout(1200);
  const b = await read();
  expect(b.in).toBeGreaterThan(a.in);
  expect(b.out).toBeGreaterThan(a.out);
  const heard = await customerHears(1);
  expect(heard.agent, 'the customer still hears the agent').toBeGreaterThan(WAV_ON);
}

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'e2e-coach-'));
  stack = await startSipStack({ dir, log: (l) => console.log(`[stack] ${l}`) });
  // baresip opens its source file at each call: the customer's voice becomes a steady 600 Hz tone.
  wav(path.join(dir, 'prompt.wav'), F.customer, 8000, 600);
  ({ browser: agentBrowser, ctx: agentCtx, page: agent } = await signIn('agent1', wav(path.join(dir, 'agent-mic.wav'), F.agent, 48000, 30)));
  leadMic = wav(path.join(dir, 'lead-mic.wav'), F.lead, 48000, 30);
  ({ browser: leadBrowser, page: lead } = await signIn('lead1', leadMic));
  leadToken = await apiLogin('lead1');
});

test.afterAll(async () => {
  await agentCtx?.close();
  await agentBrowser?.close();
  await leadBrowser?.close().catch(() => undefined);
  await netLeadBrowser?.close().catch(() => undefined);
  await stack?.stop();
});

test('the customer calls agent1; the lead sees it live on the Team page with duration and quality, and a raised hand', async () => {
  await stack.baresip!.ctrl('dial', 'sip:1001@127.0.0.1');
  const banner = agent.getByTestId('incoming-call');
  await expect(banner).toBeVisible();
  await banner.getByTestId('incoming-answer').click();
  await agent.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Phone' }).click();
  await expect(card(agent)).toHaveAttribute('data-state', 'established');

  await agent.getByTestId('raise-hand').click();
  await expect(agent.getByTestId('raise-hand')).toHaveAttribute('aria-pressed', 'true');

  await lead.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Team' }).click();
  await expect(row(lead)).toHaveAttribute('data-call-id', /.+/);
  await expect(row(lead).getByTestId('live-call')).toContainText(/1003 · 0:\d\d/);
  await expect(row(lead).getByTestId('live-hand')).toBeVisible();
  await expect(row(lead).locator('[data-band]')).not.toHaveAttribute('data-band', 'unknown');
  await agent.getByTestId('raise-hand').click();
  await expect(row(lead).getByTestId('live-hand')).toHaveCount(0);
});

test('coaching INVITEs without a valid grant are refused with 403 and never ring; the customer call is unaffected', async () => {
  const agentId = (await api<{ members: Array<{ id: string; extension: string | null; call: { callId: string } | null }> }>(leadToken, 'GET', `/coaching/teams/${await shanghai()}/live`)).body.members.find((m) => m.extension === '1001')!;
  const dial = (grant: string | null) => lead.evaluate(([g]) => (window as unknown as { switchboardCoachDial(e: string, g: string | null): Promise<number> }).switchboardCoachDial('1001', g), [grant] as const);
  const grant = async (ttlSeconds?: number) =>
    (await api<{ grant: string }>(leadToken, 'POST', '/coaching/grants', { agentId: agentId.id, callId: agentId.call!.callId, ...(ttlSeconds ? { ttlSeconds } : {}) })).body.grant;

  expect(await dial(null), 'no grant').toBe(403);

  const good = await grant();
  const [v, body, sig] = good.split('.');
  const flipped = `${v}.${body}.${sig![0] === 'A' ? 'B' : 'A'}${sig!.slice(1)}`;
  expect(await dial(flipped), 'forged grant').toBe(403);

  const short = await grant(1);
  await new Promise((r) => setTimeout(r, 2100));
  expect(await dial(short), 'expired grant').toBe(403);

  // agent2 is on a call of their own (reported as their app would); a grant for it is not agent1's.
  const agent2Token = await apiLogin('agent2');
  await api(agent2Token, 'POST', '/coaching/live', { presence: 'busy', call: { callId: 'c-agent2', remote: '1004', direction: 'inbound', startedAt: Date.now(), held: false, band: 'good' } });
  const agent2 = (await api<{ members: Array<{ id: string; extension: string | null }> }>(leadToken, 'GET', `/coaching/teams/${await shanghai()}/live`)).body.members.find((m) => m.extension === '1002')!;
  const other = (await api<{ grant: string }>(leadToken, 'POST', '/coaching/grants', { agentId: agent2.id, callId: 'c-agent2' })).body.grant;
  expect(await dial(other), "another agent's grant").toBe(403);

  await expect(agent.getByTestId('incoming-call')).toHaveCount(0);
  await expect(agent.getByTestId('coach-indicator')).toHaveCount(0);
  await expectAgentCallAlive();
});

const switchTimes: Record<string, number> = {};

test('listen → whisper → barge → listen on one coaching call: each party hears exactly what the mode allows, each switch reaches the agent\'s mix (times reported)', async () => {
  await row(lead).getByTestId('coach-listen').click();
  await expect(row(lead).getByTestId('coach-controls')).toHaveAttribute('data-mode', 'listen');
  await expect(agent.getByTestId('coach-indicator')).toHaveAttribute('data-mode', 'listen');
  await expect(agent.getByTestId('coach-indicator')).toContainText('王军');
  await installProbe(agent);
  await installProbe(lead);
  await checkMatrix('listen');

  switchTimes['listen→whisper'] = await switchAndTime('whisper', { stream: 'agentEar', hz: F.lead, present: true });
  await expect(agent.getByTestId('coach-indicator')).toHaveAttribute('data-mode', 'whisper');
  // For a person to look at: the lead's live view with the coaching controls, the agent's indicator.
  await lead.screenshot({ path: test.info().outputPath('lead-team-live-whisper.png') });
  await agent.screenshot({ path: test.info().outputPath('agent-coached-whisper.png') });
  await checkMatrix('whisper');

  switchTimes['whisper→barge'] = await switchAndTime('barge', { stream: 'toCustomer', hz: F.lead, present: true });
  await expect(agent.getByTestId('coach-indicator')).toHaveAttribute('data-mode', 'barge');
  await checkMatrix('barge');

  switchTimes['barge→listen'] = await switchAndTime('listen', { stream: 'agentEar', hz: F.lead, present: false });
  await expect(agent.getByTestId('coach-indicator')).toHaveAttribute('data-mode', 'listen');
  await checkMatrix('listen');

  // The 500 ms goal of issue 7 is a figure to report, not an assertion: on a loaded 2-core runner one
  // switch measured 523 ms while the mode itself was right (speed goals belong in bench/, see the brief).
  console.log(`[coaching] switch times (click on the lead's page → change in the agent's mix): ${JSON.stringify(switchTimes)} ms`);
  test.info().annotations.push({ type: 'switch-ms', description: JSON.stringify(switchTimes) });

  // Still the one coaching call: the agent's phone shows only the customer's call.
  await expect(agent.getByTestId('call-card')).toHaveCount(1);
});

test("the lead's app closes abruptly: the customer's call goes on, audio both ways, and the agent's coaching ends", async () => {
  await row(lead).getByTestId('coach-barge').click();
  await expect(agent.getByTestId('coach-indicator')).toHaveAttribute('data-mode', 'barge');
  // The lead's app records its mode switches after the agent's app accepts them; the close comes after
  // that, so the audit test below can expect this last barge (a close within those milliseconds loses it).
  await expect.poll(auditModes).toEqual(['listen', 'whisper', 'barge', 'listen', 'barge']);
  await leadBrowser.close();
  await expect(agent.getByTestId('coach-indicator')).toHaveCount(0, { timeout: 15_000 });
  await new Promise((r) => setTimeout(r, 1500));
  await expectAgentCallAlive();
  const heard = await customerHears(1);
  expect(heard.lead, 'the lead is gone from what the customer hears').toBeLessThan(WAV_OFF);
});

test('the audit log holds the session: who, whom, which call, each mode with its time, and the end', async () => {
  const { body } = await api<AuditBody>(leadToken, 'GET', '/coaching/audit');
  const s = body.sessions.find((x) => x.startedAt !== null);
  expect(s).toBeDefined();
  expect(s).toMatchObject({ lead: { displayName: '王军' }, agent: { displayName: '李娜' }, endReason: 'lead-lost' });
  expect(s!.endedAt).not.toBeNull();
  expect(s!.events.filter((e) => e.kind === 'started' || e.kind === 'mode').map((e) => e.mode)).toEqual(['listen', 'whisper', 'barge', 'listen', 'barge']);
  // The refused INVITEs left their trace too.
  expect(body.sessions.some((x) => x.events.some((e) => e.kind === 'refused'))).toBe(true);
});

/**
 * After the audit test on purpose: that test reads the newest session with a start, which was the first
 * one until this one exists. This is the other half of "losing the lead": the lead's network goes away
 * mid-barge. Nothing is closed or said: the lead's media (the UDP port pair its ICE selected) and every
 * TCP connection its browser holds to Kamailio and to our server are dropped silently by iptables.
 */
test("the lead's network drops mid-barge (no BYE, no socket close): the customer's call goes on, the lead's voice is gone, the agent's coaching ends", async () => {
  const marker = '--switchboard-e2e-party=lead-net';
  const fresh = await signIn('lead1', leadMic, marker);
  netLeadBrowser = fresh.browser;
  const lead2 = fresh.page;
  await lead2.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Team' }).click();
  await row(lead2).getByTestId('coach-listen').click();
  await expect(agent.getByTestId('coach-indicator')).toHaveAttribute('data-mode', 'listen');
  await row(lead2).getByTestId('coach-barge').click();
  await expect(agent.getByTestId('coach-indicator')).toHaveAttribute('data-mode', 'barge');
  await expect.poll(auditModes, { message: "the lead's app recorded the switch before its network goes" }).toEqual(['listen', 'barge']);
  // Before the drop the customer does hear the lead, so "no longer hears" below means something.
  await expect.poll(async () => (await customerHears(1)).lead, { timeout: 10_000 }).toBeGreaterThan(WAV_ON);

  const [media, ...others] = await livePeerConnections(lead2);
  expect(media, "the lead's coaching call has a selected ICE pair").toBeDefined();
  expect(others, 'the lead is on no other call').toHaveLength(0);
  const sip = tcpPortsOf(marker, defaultPorts.ws);
  const server = tcpPortsOf(marker, Number(new URL(baseURL).port));
  expect(sip.length, "the lead's WebSockets to Kamailio (phone and coaching user agents)").toBeGreaterThanOrEqual(1);
  console.log(`[coaching] dropping the lead: media udp ${media!.localPort}<->${media!.remotePort}, SIP ws tcp ${sip.join(',')}, server tcp ${server.join(',')}`);

  let cut: NetDrop | undefined;
  try {
    cut = dropFlows([
      { proto: 'udp', a: media!.localPort, b: media!.remotePort },
      ...sip.map((p) => ({ proto: 'tcp' as const, a: p, b: defaultPorts.ws })),
      ...server.map((p) => ({ proto: 'tcp' as const, a: p, b: Number(new URL(baseURL).port) })),
    ]);
    // The cut is real: the lead's coaching call receives nothing more.
    const inAt = async () => (await livePeerConnections(lead2)).find((p) => p.localPort === media!.localPort)?.bytesIn ?? 0;
    const before = await inAt();
    await lead2.waitForTimeout(1000);
    expect(await inAt(), 'no RTP reaches the lead once its network is gone').toBe(before);

    // The lead asks for Listen during the outage: the INFO cannot leave, so the agent never switches.
    await row(lead2).getByTestId('coach-listen').click();

    // Right away and for the seconds until the agent's app gives up on the lead, the customer call is fine.
    await expectAgentCallAlive();
    expect(await agent.getByTestId('coach-indicator').evaluateAll((els) => els.map((e) => e.getAttribute('data-mode'))), 'no mode change got through').not.toContain('listen');
    await expect.poll(async () => (await customerHears(1)).lead, { timeout: 10_000, message: 'the customer no longer hears the lead' }).toBeLessThan(WAV_OFF);

    // The agent's app notices the silent lead (no RTP for a few seconds) and ends the coaching.
    await expect(agent.getByTestId('coach-indicator')).toHaveCount(0, { timeout: 20_000 });
    await expect(card(agent)).toHaveAttribute('data-state', 'established');
    await agent.waitForTimeout(1500);
    await expectAgentCallAlive();
    expect(await receivedToneDb(agent, F.customer), 'the agent still hears the customer').toBeGreaterThan(PAGE_ON_DB);
    const heard = await customerHears(1.5);
    expect(heard.agent, 'the customer still hears the agent').toBeGreaterThan(WAV_ON);
    expect(heard.lead, 'the lead is gone from what the customer hears').toBeLessThan(WAV_OFF);
  } finally {
    cut?.restore();
  }

  // The audit log closes the session as lost, with the modes that reached the agent.
  const { body } = await api<AuditBody>(leadToken, 'GET', '/coaching/audit');
  expect(body.sessions.find((x) => x.startedAt !== null)).toMatchObject({ lead: { displayName: '王军' }, agent: { displayName: '李娜' }, endReason: 'lead-lost' });
  expect(await auditModes()).toEqual(['listen', 'barge']);

  await netLeadBrowser.close();
  netLeadBrowser = undefined;
  await expect(card(agent)).toHaveAttribute('data-state', 'established');
});

/** The modes of the newest coaching session that started, in order, as the audit log holds them. */
async function auditModes(): Promise<Array<string | null>> {
  const { body } = await api<AuditBody>(leadToken, 'GET', '/coaching/audit');
  const s = body.sessions.find((x) => x.startedAt !== null);
  return (s?.events ?? []).filter((e) => e.kind === 'started' || e.kind === 'mode').map((e) => e.mode);
}

type AuditBody = {
  sessions: Array<{ lead: { displayName: string }; agent: { displayName: string }; callId: string; startedAt: number | null; endedAt: number | null; endReason: string | null; events: Array<{ kind: string; mode: string | null; at: number }> }>;
};

let shanghaiId: string | undefined;
async function shanghai(): Promise<string> {
  shanghaiId ??= (await api<{ teams: Array<{ id: string; name: string }> }>(leadToken, 'GET', '/me')).body.teams.find((t) => t.name === 'Team Shanghai')!.id;
  return shanghaiId;
}
