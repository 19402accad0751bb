import { mixGains, type CoachMode } from '../../../core/coaching/modes';

/**
 * The agent's app mixes coaching audio itself (WebAudio), so coaching needs nothing from the SIP server:
 *
 *   customer ──────────────┬──────────────────────────────► agent's ear (already played by the phone)
 *                          └──────────────┐
 *   agent mic ──┬──────────┼──────────────┼─► toLead   ──► the coaching call's sender (replaceTrack)
 *               │          │              │
 *               └──────────┼─► toCustomer ◄── lead × leadToCustomer (barge)
 *                          │      └──────────► the customer call's sender (replaceTrack, no re-INVITE)
 *   lead ── × leadToAgent ─┴──────────────────► agent's ear (its own element: whisper, barge)
 *
 * Gains come from core/coaching/modes.ts; a mode switch is a gain change, effective on the next render
 * quantum (~3 ms), with no signalling towards the customer. Dispose puts the agent's own microphone back.
 */
export type CoachMixer = {
  setMode(mode: CoachMode): void;
  readonly mode: CoachMode;
  /** What the agent hears (customer + lead as gated), for a level meter or a diagnostic probe. */
  readonly agentEar: MediaStream;
  /** What the customer is sent (agent mic + lead as gated). */
  readonly toCustomer: MediaStream;
  dispose(): Promise<void>;
};

export type MixerInput = {
  customerPc: RTCPeerConnection;
  coachPc: RTCPeerConnection;
  mode: CoachMode;
  log(line: string): void;
};

const receivedAudio = (pc: RTCPeerConnection): MediaStream =>
  new MediaStream(pc.getReceivers().flatMap((r) => (r.track?.kind === 'audio' ? [r.track] : [])));
const audioSender = (pc: RTCPeerConnection): RTCRtpSender | undefined => pc.getSenders().find((s) => s.track?.kind === 'audio');

export async function createCoachMixer(input: MixerInput): Promise<CoachMixer> {
  const { customerPc, coachPc, log } = input;
  const customerSender = audioSender(customerPc);
  const coachSender = audioSender(coachPc);
  const mic = customerSender?.track;
  if (!customerSender || !coachSender || !mic) throw new Error('no audio sender on the customer or coaching call');

  const ctx = new AudioContext();
  // Chromium delivers a remote WebRTC track to WebAudio only while a media element consumes it; the
  // element is muted, the sound goes out through `ear` below.
  const leadStream = receivedAudio(coachPc);
  const pull = new Audio();
  pull.muted = true;
  pull.srcObject = leadStream;
  pull.play().catch((e: unknown) => log(`lead audio pull refused: ${String(e)}`));

  const customerIn = ctx.createMediaStreamSource(receivedAudio(customerPc));
  const leadIn = ctx.createMediaStreamSource(leadStream);
  const micIn = ctx.createMediaStreamSource(new MediaStream([mic]));
  const leadToAgent = ctx.createGain();
  const leadToCustomer = ctx.createGain();
  const toCustomer = ctx.createMediaStreamDestination();
  const toLead = ctx.createMediaStreamDestination();
  const ear = ctx.createMediaStreamDestination();
  const agentEar = ctx.createMediaStreamDestination();

  leadIn.connect(leadToAgent).connect(ear);
  leadIn.connect(leadToCustomer).connect(toCustomer);
  micIn.connect(toCustomer);
  micIn.connect(toLead);
  customerIn.connect(toLead);
  customerIn.connect(agentEar);
  leadToAgent.connect(agentEar);

  let mode = input.mode;
  const apply = (): void => {
    const g = mixGains(mode);
    leadToAgent.gain.setValueAtTime(g.leadToAgent, ctx.currentTime);
    leadToCustomer.gain.setValueAtTime(g.leadToCustomer, ctx.currentTime);
  };
  apply();
  await ctx.resume();

  const sent = toCustomer.stream.getAudioTracks()[0]!;
  // The agent may be muted: the mixed track carries the mute, as the microphone track did.
  sent.enabled = mic.enabled;
  await customerSender.replaceTrack(sent);
  // The coaching call was answered with a microphone of its own; the mix replaces it, so release it.
  const answeredWith = coachSender.track;
  await coachSender.replaceTrack(toLead.stream.getAudioTracks()[0]!);
  answeredWith?.stop();
  const earEl = new Audio();
  earEl.srcObject = ear.stream;
  earEl.play().catch((e: unknown) => log(`coach audio play refused: ${String(e)}`));

  return {
    setMode(next) {
      mode = next;
      apply();
    },
    get mode() {
      return mode;
    },
    agentEar: agentEar.stream,
    toCustomer: toCustomer.stream,
    async dispose() {
      earEl.pause();
      earEl.srcObject = null;
      pull.pause();
      pull.srcObject = null;
      mic.enabled = customerSender.track?.enabled ?? mic.enabled;
      // The customer call may already be gone; then there is nothing to restore.
      if (customerPc.connectionState !== 'closed') await customerSender.replaceTrack(mic).catch(() => undefined);
      await ctx.close().catch(() => undefined);
    },
  };
}
