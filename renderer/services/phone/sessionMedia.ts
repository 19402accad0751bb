import type { Session, Web } from 'sip.js';

/** WebRTC details of one sip.js session, kept apart from the signalling logic in sipPhone.ts. */

export function peerConnection(session: Session): RTCPeerConnection | undefined {
  return (session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.peerConnection;
}

export function remoteStream(pc: RTCPeerConnection): MediaStream {
  const stream = new MediaStream();
  for (const r of pc.getReceivers()) if (r.track?.kind === 'audio') stream.addTrack(r.track);
  return stream;
}

export async function inboundAudioBytes(pc: RTCPeerConnection): Promise<number> {
  let bytes = 0;
  (await pc.getStats()).forEach((s: { type?: string; kind?: string; bytesReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived ?? 0;
  });
  return bytes;
}

const audioSenders = (pc: RTCPeerConnection): RTCRtpSender[] => pc.getSenders().filter((s) => s.track?.kind === 'audio');

/**
 * Mutes by disabling the sending track: the sender then emits silence frames, so the far end's jitter
 * buffer and the RTP session stay alive (no re-INVITE, no "call dropped" on strict PBXs). Returns whether
 * every audio sender now matches `muted`, which the caller reports if not (a sender without a track
 * would otherwise look muted while a later replaceTrack could unmute it silently).
 */
export function setSendersMuted(pc: RTCPeerConnection, muted: boolean): boolean {
  const senders = audioSenders(pc);
  for (const s of senders) if (s.track) s.track.enabled = !muted;
  return senders.length > 0 && senders.every((s) => s.track?.enabled === !muted);
}

/**
 * Swaps the microphone mid-call with RTCRtpSender.replaceTrack: no renegotiation, the call stays up.
 * The SDH's local stream is updated too so a later hold re-INVITE keeps the new track.
 */
export async function replaceMicrophone(session: Session, track: MediaStreamTrack, muted: boolean): Promise<void> {
  const sdh = session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
  const pc = sdh?.peerConnection;
  if (!sdh || !pc) return;
  track.enabled = !muted;
  const senders = audioSenders(pc);
  const old = senders.map((s) => s.track).filter((t): t is MediaStreamTrack => t !== null);
  await Promise.all(senders.map((s) => s.replaceTrack(track)));
  const local = sdh.localMediaStream;
  for (const t of old) {
    t.stop();
    local.removeTrack(t);
  }
  local.addTrack(track);
}
