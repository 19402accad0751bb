import type { CallId } from '../../../core/call/callMachine';

/**
 * Audio outputs of the phone: one element per call for the far end's voice (all on the speaker device)
 * and a separate ringer element, so a headset wearer can have calls in the headset and the ring on the
 * laptop speakers (agents miss rings when both go to a headset lying on the desk). The optional second
 * ring plays the same ring on one more output at the same time (the ring in the headset AND on the
 * speakers), for an agent who takes the headset off between calls.
 */

const RATE = 8000;

type Tone = { pattern: Array<[on: boolean, seconds: number]>; hz: readonly number[] };

/**
 * A ring cadence: 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off (the UK cadence, distinct from
 * most handset ringtones).
 */
const RING: Tone = { pattern: [[true, 0.4], [false, 0.2], [true, 0.4], [false, 2]], hz: [400, 450] };
/** The "zip tone" of an auto-answered call: two short 880 Hz beeps in the headset as the caller connects. */
const CUE: Tone = { pattern: [[true, 0.1], [false, 0.06], [true, 0.1]], hz: [880] };

/**
 * A tone as a 16-bit mono WAV. Served as a Blob URL because the app's CSP allows media-src 'self' blob:
 * only (no data: URLs), and it needs no asset file or network.
 */
function toneWav({ pattern, hz }: Tone): Uint8Array {
  const total = Math.round(pattern.reduce((s, [, sec]) => s + sec, 0) * RATE);
  const out = new Uint8Array(44 + total * 2);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + total * 2, true);
  ascii(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, RATE, true);
  v.setUint32(28, RATE * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, total * 2, true);
  let i = 0;
  for (const [on, sec] of pattern) {
    const n = Math.round(sec * RATE);
    for (let k = 0; k < n; k++, i++) {
      const t = i / RATE;
      const s = on ? (0.5 / hz.length) * hz.reduce((sum, f) => sum + Math.sin(2 * Math.PI * f * t), 0) : 0;
      v.setInt16(44 + i * 2, Math.round(s * 32767), true);
    }
  }
  return out;
}

export const ringtoneWav = (): Uint8Array => toneWav(RING);
export const cueWav = (): Uint8Array => toneWav(CUE);

export type AudioOutputs = {
  playRemote(callId: CallId, stream: MediaStream): void;
  stopRemote(callId: CallId): void;
  startRinging(): void;
  stopRinging(): void;
  /** The auto-answer cue, once, on the speaker (the headset), where the caller's voice follows. */
  playCue(): void;
  /** '' is the system default output. */
  setSpeaker(deviceId: string): Promise<void>;
  setRinger(deviceId: string): Promise<void>;
  /** null: no second ring; '' the system default output; else a device id. Ignored when it is the ringer's own device. */
  setSecondRinger(deviceId: string | null): Promise<void>;
  readonly speakerId: string;
  readonly ringerId: string;
  readonly secondRingerId: string | null;
  dispose(): void;
};

export function createAudioOutputs(log: (line: string) => void): AudioOutputs {
  const remotes = new Map<CallId, HTMLAudioElement>();
  let speakerId = '';
  let ringerId = '';
  let secondRingerId: string | null = null;
  let ringer: HTMLAudioElement | undefined;
  let second: HTMLAudioElement | undefined;
  let ringUrl: string | undefined;
  let cueUrl: string | undefined;
  let ringing = false;

  const sink = async (el: HTMLMediaElement, id: string): Promise<void> => {
    // setSinkId is missing in some embedded browsers; the default output still works there.
    if (typeof el.setSinkId === 'function' && el.sinkId !== id) await el.setSinkId(id);
  };
  const play = (el: HTMLMediaElement, what: string): void => {
    el.play().catch((e: unknown) => log(`${what} play() refused: ${String(e)}`));
  };

  return {
    playRemote(callId, stream) {
      let el = remotes.get(callId);
      if (!el) {
        el = document.createElement('audio');
        el.autoplay = true;
        remotes.set(callId, el);
      }
      el.srcObject = stream;
      sink(el, speakerId).catch((e: unknown) => log(`[${callId}] speaker ${speakerId || 'default'} unusable: ${String(e)}`));
      play(el, `[${callId}] remote audio`);
    },
    stopRemote(callId) {
      const el = remotes.get(callId);
      if (!el) return;
      el.pause();
      el.srcObject = null;
      remotes.delete(callId);
    },
    startRinging() {
      const ringEl = (): HTMLAudioElement => {
        ringUrl ??= URL.createObjectURL(new Blob([ringtoneWav() as BlobPart], { type: 'audio/wav' }));
        const el = document.createElement('audio');
        el.loop = true;
        el.src = ringUrl;
        return el;
      };
      ringer ??= ringEl();
      ringing = true;
      // setSinkId settles later (at least a few microtasks): a call answered or withdrawn by then must not
      // start the ringtone after stopRinging, where it would ring over the call until established.
      const start = (el: HTMLAudioElement, id: string, what: string): void => {
        sink(el, id)
          .catch((e: unknown) => log(`${what} ${id || 'default'} unusable: ${String(e)}`))
          .finally(() => {
            if (ringing) play(el, what);
          });
      };
      start(ringer, ringerId, 'ringer');
      // The same device twice would only ring louder and out of phase: one ring there is enough.
      if (secondRingerId !== null && secondRingerId !== ringerId) {
        second ??= ringEl();
        start(second, secondRingerId, 'second ringer');
      }
    },
    stopRinging() {
      ringing = false;
      for (const el of [ringer, second]) {
        if (!el) continue;
        el.pause();
        el.currentTime = 0;
      }
    },
    playCue() {
      cueUrl ??= URL.createObjectURL(new Blob([cueWav() as BlobPart], { type: 'audio/wav' }));
      const el = document.createElement('audio');
      el.src = cueUrl;
      sink(el, speakerId)
        .catch((e: unknown) => log(`cue: speaker ${speakerId || 'default'} unusable: ${String(e)}`))
        .finally(() => play(el, 'cue'));
    },
    async setSpeaker(deviceId) {
      speakerId = deviceId;
      await Promise.all([...remotes.values()].map((el) => sink(el, deviceId)));
    },
    async setRinger(deviceId) {
      ringerId = deviceId;
      if (ringer) await sink(ringer, deviceId);
    },
    get speakerId() {
      return speakerId;
    },
    async setSecondRinger(deviceId) {
      secondRingerId = deviceId;
      if (deviceId === null || deviceId === ringerId) {
        second?.pause();
        return;
      }
      if (second) await sink(second, deviceId);
    },
    get ringerId() {
      return ringerId;
    },
    get secondRingerId() {
      return secondRingerId;
    },
    dispose() {
      for (const id of [...remotes.keys()]) this.stopRemote(id);
      this.stopRinging();
      if (ringUrl) URL.revokeObjectURL(ringUrl);
      if (cueUrl) URL.revokeObjectURL(cueUrl);
      ringer = undefined;
      second = undefined;
      ringUrl = undefined;
      cueUrl = undefined;
    },
  };
}
