// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAudioOutputs, cueWav, ringtoneWav } from './audio';

describe('ringtoneWav', () => {
  const wav = ringtoneWav();
  const v = new DataView(wav.buffer);
  const sample = (sec: number) => v.getInt16(44 + Math.round(sec * 8000) * 2, true);

  it('is a well-formed 8 kHz 16-bit mono WAV of one 3 s cadence', () => {
    expect(new TextDecoder().decode(wav.subarray(0, 4))).toBe('RIFF');
    expect(new TextDecoder().decode(wav.subarray(8, 16))).toBe('WAVEfmt ');
    expect(v.getUint32(24, true)).toBe(8000);
    expect(v.getUint32(40, true)).toBe(wav.length - 44);
    expect((wav.length - 44) / 2 / 8000).toBeCloseTo(3, 5);
  });

  it('rings, pauses, rings, then stays silent (so looping gives the double-ring cadence)', () => {
    const loud = (from: number, to: number) => {
      let max = 0;
      for (let t = from; t < to; t += 0.001) max = Math.max(max, Math.abs(sample(t)));
      return max;
    };
    expect(loud(0.05, 0.35)).toBeGreaterThan(10_000);
    expect(loud(0.45, 0.55)).toBe(0);
    expect(loud(0.65, 0.95)).toBeGreaterThan(10_000);
    expect(loud(1.05, 2.95)).toBe(0);
  });
});

describe('cueWav (the auto-answer tone)', () => {
  it('is two short beeps, over in a quarter of a second, so it never talks over the caller', () => {
    const wav = cueWav();
    const v = new DataView(wav.buffer);
    const loud = (from: number, to: number) => {
      let max = 0;
      for (let t = from; t < to; t += 0.0005) max = Math.max(max, Math.abs(v.getInt16(44 + Math.round(t * 8000) * 2, true)));
      return max;
    };
    expect((wav.length - 44) / 2 / 8000).toBeCloseTo(0.26, 5);
    expect(loud(0.01, 0.09)).toBeGreaterThan(10_000);
    expect(loud(0.105, 0.155)).toBe(0);
    expect(loud(0.17, 0.25)).toBeGreaterThan(10_000);
  });
});

describe('ringer', () => {
  afterEach(() => vi.restoreAllMocks());

  const setup = () => {
    // jsdom implements neither media playback nor Blob URLs.
    URL.createObjectURL = () => 'blob:ring';
    URL.revokeObjectURL = () => undefined;
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockReturnValue(undefined);
    return { play, out: createAudioOutputs(() => undefined) };
  };

  it('rings when a call comes in', async () => {
    const { play, out } = setup();
    out.startRinging();
    await vi.waitFor(() => expect(play).toHaveBeenCalledTimes(1));
  });

  it('stays silent when the call is answered before the ringer device is set (no ringing over the call)', async () => {
    const { play, out } = setup();
    out.startRinging();
    out.stopRinging();
    await new Promise((r) => setTimeout(r, 0));
    expect(play).not.toHaveBeenCalled();
  });

  it('plays the auto-answer cue once, on the speaker device (the headset), not the ringer', async () => {
    const { play, out } = setup();
    const sinks: string[] = [];
    Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', { configurable: true, value: function (this: HTMLMediaElement, id: string) { sinks.push(id); return Promise.resolve(); } });
    Object.defineProperty(HTMLMediaElement.prototype, 'sinkId', { configurable: true, get: () => 'default' });
    await out.setSpeaker('headset-1');
    await out.setRinger('laptop-speakers');
    out.playCue();
    await vi.waitFor(() => expect(play).toHaveBeenCalledTimes(1));
    expect(sinks).toEqual(['headset-1']);
  });

  describe('the second ring', () => {
    const sinkSpy = () => {
      const sinks: string[] = [];
      Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', { configurable: true, value: function (this: HTMLMediaElement, id: string) { sinks.push(id); return Promise.resolve(); } });
      Object.defineProperty(HTMLMediaElement.prototype, 'sinkId', { configurable: true, get: () => 'none-yet' });
      return sinks;
    };

    it('rings on the headset and on the speakers at once when the agent chose the speakers as the second ring', async () => {
      const { play, out } = setup();
      const sinks = sinkSpy();
      await out.setRinger('headset-1');
      await out.setSecondRinger('laptop-speakers');
      out.startRinging();
      await vi.waitFor(() => expect(play).toHaveBeenCalledTimes(2));
      expect(sinks.sort()).toEqual(['headset-1', 'laptop-speakers']);
    });

    it('rings once when the second ring is off (the default) or is the ringer device itself', async () => {
      const { play, out } = setup();
      sinkSpy();
      await out.setRinger('headset-1');
      out.startRinging();
      await vi.waitFor(() => expect(play).toHaveBeenCalledTimes(1));
      out.stopRinging();
      await out.setSecondRinger('headset-1');
      out.startRinging();
      await vi.waitFor(() => expect(play).toHaveBeenCalledTimes(2));
      await new Promise((r) => setTimeout(r, 10));
      expect(play).toHaveBeenCalledTimes(2);
    });

    it('stops both rings when the call is answered', async () => {
      const { play, out } = setup();
      sinkSpy();
      const pause = vi.mocked(HTMLMediaElement.prototype.pause);
      await out.setRinger('headset-1');
      await out.setSecondRinger('');
      out.startRinging();
      await vi.waitFor(() => expect(play).toHaveBeenCalledTimes(2));
      pause.mockClear();
      out.stopRinging();
      expect(pause).toHaveBeenCalledTimes(2);
    });
  });
});
