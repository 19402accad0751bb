import { Inviter, SessionState, UserAgent, Web } from 'sip.js';
import type { EchoMeasurement } from '../../../core/readiness/readiness';
import { cueWav } from '../phone/audio';
import type { PhoneAccount } from '../phone/phone';

/**
 * The readiness check's measurements, each against the real thing: the chosen microphone through
 * getUserMedia, the chosen speaker and ringer through setSinkId, the phone server over its own WebSocket
 * (an OPTIONS answered), TURN by gathering relay candidates, and an echo test call through the PBX to an
 * extension that sends the audio back. Verdicts are core/readiness/readiness.ts's; these only measure.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The loudest 50 ms frame (dBFS) the chosen microphone picks up over `ms`; `onLevel` drives the meter. */
export async function probeMicrophone(deviceId: string, ms: number, onLevel: (db: number) => void): Promise<{ levelDb: number } | { error: 'mic-missing' | 'mic-blocked' | 'mic-error'; message: string }> {
  let stream: MediaStream;
  try {
    if (!navigator.mediaDevices?.getUserMedia) return { error: 'mic-missing', message: 'no media devices API' };
    stream = await navigator.mediaDevices.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true, video: false });
  } catch (e) {
    const name = e instanceof DOMException ? e.name : '';
    const message = e instanceof Error ? e.message : String(e);
    if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return { error: 'mic-missing', message: `${name}: ${message}` };
    if (name === 'NotAllowedError' || name === 'SecurityError') return { error: 'mic-blocked', message: `${name}: ${message}` };
    return { error: 'mic-error', message: `${name}: ${message}` };
  }
  const ctx = new AudioContext();
  try {
    await ctx.resume();
    const an = ctx.createAnalyser();
    an.fftSize = 2048;
    ctx.createMediaStreamSource(stream).connect(an);
    const buf = new Float32Array(an.fftSize);
    let best = -120;
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await sleep(50);
      an.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      const db = Math.max(-120, 10 * Math.log10(sum / buf.length + 1e-12));
      best = Math.max(best, db);
      onLevel(db);
    }
    return { levelDb: best };
  } finally {
    for (const t of stream.getTracks()) t.stop();
    void ctx.close();
  }
}

type SinkAudio = HTMLAudioElement & { setSinkId?(id: string): Promise<void> };

/** Plays the short cue tone on an output device (the chosen speaker or ringer); the agent hears it. */
export async function probeOutput(deviceId: string): Promise<{ ok: true; ms: number } | { error: 'output-missing' | 'output-error'; message: string }> {
  const url = URL.createObjectURL(new Blob([cueWav() as BlobPart], { type: 'audio/wav' }));
  const el = new Audio(url) as SinkAudio;
  const t0 = performance.now();
  try {
    if (deviceId) {
      if (!el.setSinkId) return { error: 'output-error', message: 'this browser cannot choose an output device' };
      try {
        await el.setSinkId(deviceId);
      } catch (e) {
        return { error: 'output-missing', message: e instanceof Error ? e.message : String(e) };
      }
    }
    const ended = new Promise<void>((resolve) => {
      el.addEventListener('ended', () => resolve(), { once: true });
      setTimeout(resolve, 1500);
    });
    await el.play();
    await ended;
    return { ok: true, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { error: 'output-error', message: e instanceof Error ? e.message : String(e) };
  } finally {
    el.pause();
    URL.revokeObjectURL(url);
  }
}

const rand = () => Math.random().toString(36).slice(2, 12);

/**
 * One SIP OPTIONS over a fresh WebSocket to the phone server (RFC 7118 framing, RFC 3261 §11): the time
 * from sending it to the final answer, or null when the server does not answer within `timeoutMs`. A
 * 200, or any final answer (407 from a proxy that challenges OPTIONS), proves the server is alive.
 */
export function probeSipServer(wsUri: string, domain: string, timeoutMs = 4000): Promise<number | null> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(wsUri, 'sip');
    } catch {
      resolve(null);
      return;
    }
    let sentAt = 0;
    const done = (v: number | null) => {
      clearTimeout(timer);
      try {
        ws.close();
      } catch {
        /* closing anyway */
      }
      resolve(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    const host = `${rand()}.invalid`;
    const callId = rand() + rand();
    ws.onopen = () => {
      const msg = [
        `OPTIONS sip:${domain} SIP/2.0`,
        `Via: SIP/2.0/WS ${host};branch=z9hG4bK${rand()}`,
        'Max-Forwards: 70',
        `To: <sip:${domain}>`,
        `From: <sip:readiness@${domain}>;tag=${rand()}`,
        `Call-ID: ${callId}`,
        'CSeq: 1 OPTIONS',
        'Accept: application/sdp',
        'User-Agent: Switchboard readiness',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sentAt = performance.now();
      ws.send(msg);
    };
    ws.onmessage = (ev) => {
      const text = typeof ev.data === 'string' ? ev.data : '';
      if (/^SIP\/2\.0 [2-6]\d\d/.test(text) && text.includes(callId)) done(performance.now() - sentAt);
    };
    ws.onerror = () => done(null);
    ws.onclose = () => done(null);
  });
}

/** TURN: gathers with relay candidates only; true when a relay candidate arrives (the server allocated one). */
export async function probeTurn(iceServers: RTCIceServer[], timeoutMs = 5000): Promise<'skipped' | boolean> {
  const turn = iceServers.filter((s) => [s.urls].flat().some((u) => /^turns?:/i.test(u)));
  if (turn.length === 0) return 'skipped';
  const pc = new RTCPeerConnection({ iceServers: turn, iceTransportPolicy: 'relay' });
  try {
    pc.createDataChannel('readiness');
    const got = new Promise<boolean>((resolve) => {
      pc.onicecandidate = (e) => {
        if (e.candidate?.type === 'relay') resolve(true);
        if (!e.candidate) resolve(false);
      };
      setTimeout(() => resolve(false), timeoutMs);
    });
    await pc.setLocalDescription(await pc.createOffer());
    return await got;
  } finally {
    pc.close();
  }
}

/**
 * The echo test call: a call of its own (not through the phone, so it never shows as a call or needs
 * wrap-up) to the echo extension, sending a synthetic voice (three 1 kHz bursts) instead of the
 * microphone. RTT is measured on the audio itself: from each burst leaving to its echo arriving, which is
 * what a caller's ear gets (network both ways, the PBX's relay and both jitter buffers). Jitter and loss
 * come from the received stream's RTP statistics.
 */
export async function probeEchoCall(account: PhoneAccount, extension: string, log: (line: string) => void): Promise<EchoMeasurement | { error: string }> {
  const uri = UserAgent.makeURI(account.sipUri);
  const target = uri ? UserAgent.makeURI(`sip:${encodeURIComponent(extension)}@${uri.host}`) : undefined;
  if (!uri || !target) return { error: `cannot dial ${extension}` };
  const ctx = new AudioContext();
  await ctx.resume();
  const osc = ctx.createOscillator();
  osc.frequency.value = 1000;
  const gain = ctx.createGain();
  gain.gain.value = 0;
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  osc.start();
  const ua = new UserAgent({
    uri,
    displayName: account.displayName,
    authorizationUsername: account.authUser,
    authorizationPassword: account.password,
    transportOptions: { server: account.wsUri, connectionTimeout: 5 },
    userAgentString: 'Switchboard readiness',
    logBuiltinEnabled: false,
    logLevel: 'error',
    sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(async () => dest.stream),
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: account.iceServers, iceTransportPolicy: account.iceTransportPolicy ?? 'all' },
      iceGatheringTimeout: 2000,
    },
  });
  let inviter: Inviter | undefined;
  try {
    await ua.start();
    inviter = new Inviter(ua, target, { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
    const call = inviter;
    const established = new Promise<void>((resolve, reject) => {
      call.stateChange.addListener((s) => {
        if (s === SessionState.Established) resolve();
        if (s === SessionState.Terminated) reject(new Error('the echo call ended before it connected'));
      });
      setTimeout(() => reject(new Error('the echo extension did not answer within 8 s')), 8000);
    });
    await call.invite();
    await established;
    const pc = (call.sessionDescriptionHandler as Web.SessionDescriptionHandler).peerConnection;
    if (!pc) return { error: 'no media' };
    const track = pc.getReceivers().find((r) => r.track.kind === 'audio')?.track;
    if (!track) return { error: 'no audio received' };
    const stream = new MediaStream([track]);
    // WebAudio gets nothing from a remote track unless a media element plays it (muted is enough).
    const el = new Audio();
    el.muted = true;
    el.srcObject = stream;
    void el.play().catch(() => undefined);
    const an = ctx.createAnalyser();
    an.fftSize = 512;
    an.smoothingTimeConstant = 0;
    ctx.createMediaStreamSource(stream).connect(an);
    const bins = new Float32Array(an.frequencyBinCount);
    const bin = Math.round((1000 * an.fftSize) / ctx.sampleRate);
    const level = () => {
      an.getFloatFrequencyData(bins);
      return Math.max(bins[bin - 1] ?? -200, bins[bin] ?? -200, bins[bin + 1] ?? -200);
    };
    await sleep(600);
    const rtts: number[] = [];
    for (let i = 0; i < 3; i++) {
      // Quiet floor first, then a 150 ms burst; the echo is the first frame well above the floor.
      await sleep(150);
      const floor = level();
      const sentAt = performance.now();
      gain.gain.setValueAtTime(0.5, ctx.currentTime);
      gain.gain.setValueAtTime(0, ctx.currentTime + 0.15);
      const deadline = sentAt + 1500;
      while (performance.now() < deadline) {
        await sleep(5);
        if (level() > Math.max(floor + 25, -60)) {
          rtts.push(performance.now() - sentAt);
          break;
        }
      }
      await sleep(Math.max(0, sentAt + 900 - performance.now()));
    }
    const stats = await pc.getStats();
    let jitterMs = 0;
    let lost = 0;
    let received = 0;
    let codec: 'opus' | 'PCMU' = 'PCMU';
    stats.forEach((s: { type: string; kind?: string; jitter?: number; packetsLost?: number; packetsReceived?: number; mimeType?: string }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        jitterMs = (s.jitter ?? 0) * 1000;
        lost = Math.max(0, s.packetsLost ?? 0);
        received = s.packetsReceived ?? 0;
      }
      if (s.type === 'codec' && /opus/i.test(s.mimeType ?? '')) codec = 'opus';
    });
    el.srcObject = null;
    rtts.sort((x, y) => x - y);
    const rttMs = rtts.length ? rtts[Math.floor(rtts.length / 2)]! : null;
    log(`[readiness] echo call to ${extension}: rtt ${rtts.map((r) => Math.round(r)).join('/')} ms, jitter ${jitterMs.toFixed(1)} ms, lost ${lost}/${lost + received}`);
    return { rttMs, jitterMs, lossPct: received + lost > 0 ? (100 * lost) / (received + lost) : 0, packetsReceived: received, codec };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    if (inviter?.state === SessionState.Established) await inviter.bye().catch(() => undefined);
    osc.stop();
    void ctx.close();
    await ua.stop().catch(() => undefined);
  }
}

