/**
 * Test page for tests/sip/e2e.ts: the real phone service (renderer/services/phone) on a bare page,
 * exposed as `window.sb`. Bundled by esbuild; no React. Peer connections are recorded by wrapping the
 * RTCPeerConnection constructor, so the test can read what the far end hears without widening the
 * Phone interface for tests.
 */
import type { Call, CallId } from '../../core/call/callMachine';
import type { RegistrationState } from '../../core/call/registration';
import type { IncomingCall, Phone, PhoneAccount, QualitySample } from '../../renderer/services/phone/phone';
import { createSipPhone } from '../../renderer/services/phone/sipPhone';

type Ev =
  | { t: number; type: 'registration'; state: RegistrationState }
  | { t: number; type: 'call'; callId: CallId; call: Call }
  | { t: number; type: 'incoming'; info: IncomingCall }
  | { t: number; type: 'quality'; callId: CallId; sample: QualitySample }
  | { t: number; type: 'error'; code: string; message: string }
  | { t: number; type: 'log'; line: string };

const events: Ev[] = [];
const pcs: RTCPeerConnection[] = [];
const Native = window.RTCPeerConnection;
window.RTCPeerConnection = class extends Native {
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this);
  }
};

let autoAnswer = false;
const newPhone = (): Phone => createSipPhone({
  log: (line) => events.push({ t: performance.now(), type: 'log', line }),
  delegate: {
    onRegistration: (state) => events.push({ t: performance.now(), type: 'registration', state }),
    onCallState: (callId, call) => events.push({ t: performance.now(), type: 'call', callId, call }),
    onIncoming: (info) => {
      events.push({ t: performance.now(), type: 'incoming', info });
      if (autoAnswer) void phone.answer(info.callId);
    },
    onQuality: (callId, sample) => events.push({ t: performance.now(), type: 'quality', callId, sample }),
    onError: (e) => events.push({ t: performance.now(), type: 'error', code: e.code, message: e.message }),
  },
});
// An account is fixed for a phone's life (configure() twice is refused): switching servers means a new phone.
let phone = newPhone();

type Media = {
  pcs: number;
  connection: string[];
  directions: Array<string | null>;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  energyIn: number;
  codec?: string;
  /** ICE ufrags of the local descriptions: they change on an ICE restart. */
  ufrags: string[];
  /** Labels of the tracks being sent. */
  sending: string[];
};

/** Counters summed over the live peer connections of this page. */
async function media(): Promise<Media> {
  const live = pcs.filter((p) => p.connectionState !== 'closed');
  const out: Media = { pcs: live.length, connection: [], directions: [], bytesIn: 0, bytesOut: 0, packetsIn: 0, energyIn: 0, ufrags: [], sending: [] };
  for (const p of live) {
    out.connection.push(p.connectionState);
    out.directions.push(...p.getTransceivers().map((t) => t.currentDirection));
    out.ufrags.push(/a=ice-ufrag:(\S+)/.exec(p.localDescription?.sdp ?? '')?.[1] ?? '');
    out.sending.push(...p.getSenders().map((s) => (s.track ? `${s.track.label}${s.track.enabled ? '' : ' (disabled)'}` : '')));
    const report = await p.getStats();
    report.forEach((s: Record<string, unknown>) => {
      if (s.kind !== 'audio') return;
      if (s.type === 'inbound-rtp') {
        out.bytesIn += Number(s.bytesReceived ?? 0);
        out.packetsIn += Number(s.packetsReceived ?? 0);
        out.energyIn += Number(s.totalAudioEnergy ?? 0);
        const codec = report.get(String(s.codecId)) as { mimeType?: string } | undefined;
        if (codec?.mimeType) out.codec = codec.mimeType;
      }
      if (s.type === 'outbound-rtp') out.bytesOut += Number(s.bytesSent ?? 0);
    });
  }
  return out;
}

const sb = {
  get phone(): Phone {
    return phone;
  },
  /** Disposes the phone and creates a fresh one on the same page (what the app does on an account change). */
  async replacePhone(): Promise<void> {
    await phone.dispose();
    phone = newPhone();
  },
  events,
  media,
  setAutoAnswer: (v: boolean) => {
    autoAnswer = v;
  },
  /** Configures and registers; resolves on the first registered/failed/reconnecting state. */
  async start(account: PhoneAccount): Promise<{ state: RegistrationState; ms: number }> {
    const t0 = performance.now();
    phone.configure(account);
    await phone.register();
    for (;;) {
      const s = phone.registration();
      if (s.kind === 'registered' || s.kind === 'failed' || s.kind === 'reconnecting') return { state: s, ms: performance.now() - t0 };
      await new Promise((r) => setTimeout(r, 10));
    }
  },
  calls: () => phone.calls(),
  registration: () => phone.registration(),
  lastIncoming: (): IncomingCall | undefined => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type === 'incoming') return e.info;
    }
    return undefined;
  },
  /** The last state reported for a call (also after the phone dropped it). */
  lastCall: (callId: CallId): Call | undefined => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type === 'call' && e.callId === callId) return e.call;
    }
    return undefined;
  },
  errors: () => events.filter((e) => e.type === 'error'),
  lastQuality: (): QualitySample | undefined => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type === 'quality') return e.sample;
    }
    return undefined;
  },
  microphones: async () => (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput').map((d) => ({ id: d.deviceId, label: d.label })),
  logs: () => events.filter((e): e is Extract<Ev, { type: 'log' }> => e.type === 'log').map((e) => e.line),
};

declare global {
  var sb: typeof import('./harness').harnessApi;
}
export const harnessApi = sb;
globalThis.sb = sb;
