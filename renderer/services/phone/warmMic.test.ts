import { describe, expect, it, vi } from 'vitest';
import { createWarmMic } from './warmMic';

const fakeStream = () => {
  const track = { stop: vi.fn() };
  return { track, stream: { getTracks: () => [track] } as unknown as MediaStream };
};
const audio: MediaStreamConstraints = { audio: true, video: false };

describe('warm microphone', () => {
  it('hands the stream opened while ringing to the answer, opening the mic once', async () => {
    const { stream, track } = fakeStream();
    const open = vi.fn(() => Promise.resolve(stream));
    const mic = createWarmMic(open, () => undefined);
    mic.warm('s1', audio);
    mic.warm('s1', audio);
    await expect(mic.take('s1', { audio: true, video: false })).resolves.toBe(stream);
    expect(open).toHaveBeenCalledTimes(1);
    // Now owned by the call: a later drop (call ended) must not stop the live microphone.
    mic.drop('s1');
    await Promise.resolve();
    expect(track.stop).not.toHaveBeenCalled();
    expect(mic.take('s1', audio)).toBeUndefined();
  });

  it('stops the stream of a call that ended unanswered', async () => {
    const { stream, track } = fakeStream();
    const mic = createWarmMic(() => Promise.resolve(stream), () => undefined);
    mic.warm('s1', audio);
    mic.drop('s1');
    await vi.waitFor(() => expect(track.stop).toHaveBeenCalled());
    expect(mic.take('s1', audio)).toBeUndefined();
  });

  it('does not hand over a stream for a microphone the agent switched away from while it rang', async () => {
    const { stream, track } = fakeStream();
    const mic = createWarmMic(() => Promise.resolve(stream), () => undefined);
    mic.warm('s1', audio);
    expect(mic.take('s1', { audio: { deviceId: { exact: 'headset' } }, video: false })).toBeUndefined();
    await vi.waitFor(() => expect(track.stop).toHaveBeenCalled());
  });

  it('reports a refused microphone on answer, and only logs it for a call never answered', async () => {
    const log = vi.fn();
    const refused = new Error('Permission denied');
    const mic = createWarmMic(() => Promise.reject(refused), log);
    mic.warm('answered', audio);
    mic.warm('missed', audio);
    await expect(mic.take('answered', audio)).rejects.toBe(refused);
    mic.drop('missed');
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('Permission denied')));
  });

  it('turns a synchronous getUserMedia failure (no mediaDevices) into a rejected stream', async () => {
    const mic = createWarmMic(() => {
      throw new TypeError('mediaDevices is undefined');
    }, () => undefined);
    mic.warm('s1', audio);
    await expect(mic.take('s1', audio)).rejects.toThrow('mediaDevices is undefined');
  });
});
