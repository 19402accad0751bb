import type { AudioOutputs } from './audio';
import type { DeviceKind } from './phone';

/**
 * Watches `devicechange` (a headset unplugged, a Bluetooth headset walking out of range). When the
 * device the agent chose disappears we switch to the system default and report it, rather than letting
 * the call go silent: Chromium would keep a dead track and the far end would hear nothing.
 */
export function watchDevices(deps: {
  micId(): string;
  useDefaultMic(): Promise<void>;
  audio: AudioOutputs;
  onFallback(kind: DeviceKind, lostDeviceId: string): void;
  onError(message: string): void;
}): () => void {
  const media = navigator.mediaDevices as MediaDevices | undefined;
  const check = async (): Promise<void> => {
    if (!media) return;
    const devices = await media.enumerateDevices();
    const has = (kind: MediaDeviceKind, id: string): boolean => devices.some((d) => d.kind === kind && d.deviceId === id);
    const mic = deps.micId();
    if (mic && !has('audioinput', mic)) {
      await deps.useDefaultMic();
      deps.onFallback('microphone', mic);
    }
    const speaker = deps.audio.speakerId;
    if (speaker && !has('audiooutput', speaker)) {
      await deps.audio.setSpeaker('');
      deps.onFallback('speaker', speaker);
    }
    const ringer = deps.audio.ringerId;
    if (ringer && !has('audiooutput', ringer)) {
      await deps.audio.setRinger('');
      deps.onFallback('ringer', ringer);
    }
    // A second ring on a device that went away rings on the system default instead (still a second ring).
    const second = deps.audio.secondRingerId;
    if (second && !has('audiooutput', second)) await deps.audio.setSecondRinger('');
  };
  const onChange = (): void => {
    check().catch((e: unknown) => deps.onError(`device fallback failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  media?.addEventListener('devicechange', onChange);
  return () => media?.removeEventListener('devicechange', onChange);
}
