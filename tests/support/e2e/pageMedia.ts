import type { Page } from '@playwright/test';

/**
 * The page's WebRTC, seen from a test: every RTCPeerConnection the app creates (sip.js calls, the lead's
 * coaching call), each one's selected ICE candidate pair, and what a call actually receives, measured as
 * the level of a tone. Installed as an init script before the app loads; the app's behaviour is
 * unchanged (the subclass only remembers its instances).
 */

export function trackPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  const all: RTCPeerConnection[] = [];
  class Tracked extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      all.push(this);
    }
  }
  Object.assign(window, { RTCPeerConnection: Tracked, switchboardPeerConnections: () => all });
}

type PcWindow = { switchboardPeerConnections(): RTCPeerConnection[] };

export type LivePc = { localPort: number; remotePort: number; bytesIn: number; bytesOut: number };

/** The connected peer connections: the UDP port pair their ICE selected, and audio bytes in and out. */
export function livePeerConnections(page: Page): Promise<LivePc[]> {
  return page.evaluate(async () => {
    const out: LivePc[] = [];
    for (const pc of (window as unknown as PcWindow).switchboardPeerConnections()) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      let pairId: string | undefined;
      let bytesIn = 0;
      let bytesOut = 0;
      stats.forEach((s: { type: string; kind?: string; selectedCandidatePairId?: string; bytesReceived?: number; bytesSent?: number }) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') bytesIn += s.bytesReceived ?? 0;
        if (s.type === 'outbound-rtp' && s.kind === 'audio') bytesOut += s.bytesSent ?? 0;
      });
      const pair = pairId ? (stats.get(pairId) as { localCandidateId: string; remoteCandidateId: string } | undefined) : undefined;
      const local = pair && (stats.get(pair.localCandidateId) as { port?: number } | undefined);
      const remote = pair && (stats.get(pair.remoteCandidateId) as { port?: number } | undefined);
      if (local?.port && remote?.port) out.push({ localPort: local.port, remotePort: remote.port, bytesIn, bytesOut });
    }
    return out;
  });
}

/**
 * The loudest level (dB) of `hz` that any connected peer connection receives, averaged over a few
 * frames: an AnalyserNode on each receiver's track (played by a muted element, or WebAudio gets nothing).
 */
export function receivedToneDb(page: Page, hz: number): Promise<number> {
  return page.evaluate(async (f) => {
    const ctx = new AudioContext();
    await ctx.resume();
    let best = -200;
    for (const pc of (window as unknown as PcWindow).switchboardPeerConnections()) {
      if (pc.connectionState !== 'connected') continue;
      for (const r of pc.getReceivers()) {
        if (r.track.kind !== 'audio') continue;
        const stream = new MediaStream([r.track]);
        const el = new Audio();
        el.muted = true;
        el.srcObject = stream;
        void el.play();
        const an = ctx.createAnalyser();
        an.fftSize = 2048;
        an.smoothingTimeConstant = 0;
        ctx.createMediaStreamSource(stream).connect(an);
        const buf = new Float32Array(an.frequencyBinCount);
        const bin = (x: number) => Math.round((x * an.fftSize) / ctx.sampleRate);
        await new Promise((res) => setTimeout(res, 400));
        let sum = 0;
        const n = 8;
        for (let k = 0; k < n; k++) {
          await new Promise((res) => setTimeout(res, 60));
          an.getFloatFrequencyData(buf);
          let max = -200;
          for (let i = bin(f - 15); i <= bin(f + 15); i++) max = Math.max(max, buf[i] ?? -200);
          sum += max;
        }
        best = Math.max(best, sum / n);
        el.srcObject = null;
      }
    }
    await ctx.close();
    return Math.round(best * 10) / 10;
  }, hz);
}

/**
 * The loudest broadband level (dBFS, RMS over 50 ms frames) any connected peer connection receives over
 * `ms`: speech or a tone reads well above -45 dB, silence (PCMU's or Opus's) far below it.
 */
export function receivedLevelDb(page: Page, ms = 2000): Promise<number> {
  return page.evaluate(async (window_) => {
    const ctx = new AudioContext();
    await ctx.resume();
    let best = -200;
    const taps: { an: AnalyserNode; el: HTMLAudioElement }[] = [];
    for (const pc of (window as unknown as PcWindow).switchboardPeerConnections()) {
      if (pc.connectionState !== 'connected') continue;
      for (const r of pc.getReceivers()) {
        if (r.track.kind !== 'audio') continue;
        const stream = new MediaStream([r.track]);
        const el = new Audio();
        el.muted = true;
        el.srcObject = stream;
        void el.play();
        const an = ctx.createAnalyser();
        an.fftSize = 2048;
        ctx.createMediaStreamSource(stream).connect(an);
        taps.push({ an, el });
      }
    }
    const buf = new Float32Array(2048);
    const end = Date.now() + window_;
    while (Date.now() < end) {
      await new Promise((res) => setTimeout(res, 50));
      for (const { an } of taps) {
        an.getFloatTimeDomainData(buf);
        let sum = 0;
        for (const v of buf) sum += v * v;
        const db = 10 * Math.log10(sum / buf.length + 1e-20);
        best = Math.max(best, db);
      }
    }
    for (const { el } of taps) el.srcObject = null;
    await ctx.close();
    return Math.round(best * 10) / 10;
  }, ms);
}
