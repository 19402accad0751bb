import { describe, expect, it } from 'vitest';
import { defaultAudioProcessing, micAudioConstraints } from './audioProcessing';

describe('micAudioConstraints', () => {
  it('asks for all three processors by default, on the system default microphone', () => {
    expect(micAudioConstraints('', defaultAudioProcessing)).toEqual({ echoCancellation: { exact: true }, noiseSuppression: { exact: true }, autoGainControl: { exact: true } });
  });
  it('turns off exactly what the policy turns off, on the chosen microphone', () => {
    expect(micAudioConstraints('mic-7', { echoCancellation: true, noiseSuppression: false, autoGainControl: false })).toEqual({
      deviceId: { exact: 'mic-7' },
      echoCancellation: { exact: true },
      noiseSuppression: { exact: false },
      autoGainControl: { exact: false },
    });
  });
});
