/**
 * The microphone's audio processing (WebRTC's echo canceller, noise suppressor and automatic gain, applied
 * by the browser to the captured track), from the EchoCancellation, NoiseSuppression and AutoGainControl
 * policies (managed, or the agent's choice in Settings). All on by default, as browsers default them; a
 * headset that does its own processing is the reason to turn one off (two noise suppressors in a row
 * chop speech).
 */
export type AudioProcessing = { echoCancellation: boolean; noiseSuppression: boolean; autoGainControl: boolean };

export const defaultAudioProcessing: AudioProcessing = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * getUserMedia's audio constraints for the chosen microphone ('' the system default) with the processing
 * asked for. Exact values, not ideals: an ideal may be ignored, and the agent who turned suppression off
 * for their headset must get it off.
 */
export type MicConstraints = { deviceId?: { exact: string } } & { [K in keyof AudioProcessing]: { exact: boolean } };

export function micAudioConstraints(deviceId: string, p: AudioProcessing): MicConstraints {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: { exact: p.echoCancellation },
    noiseSuppression: { exact: p.noiseSuppression },
    autoGainControl: { exact: p.autoGainControl },
  };
}
