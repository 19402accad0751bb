import type { AudioProcessing } from '../../../core/call/audioProcessing';
import type { Call, CallId, DtmfMode, RemoteIdentity } from '../../../core/call/callMachine';
import type { QualityBand } from '../../../core/call/mos';
import type { RegistrationState } from '../../../core/call/registration';

/**
 * The softphone as the rest of the renderer sees it: no sip.js types cross this line, so stores and
 * features can be tested against a fake `Phone`. Decisions about what a call may do live in
 * core/call/callMachine.ts; this service carries them out over SIP and WebRTC and reports back through
 * the delegate (the shape of SIP.js's SessionManagerDelegate).
 */

export type PhoneAccount = {
  /** `wss://sip.example.com:8443` (ws:// only on loopback, for tests). */
  wsUri: string;
  /** The agent's AOR, `sip:1001@example.com`; its host is the domain numbers are dialled in. */
  sipUri: string;
  authUser: string;
  password: string;
  displayName: string;
  iceServers: RTCIceServer[];
  /** 'relay' when the RelayOnlyTls443 policy allows TURN candidates only (core/policy/ice.ts). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** How digits travel; RFC 4733 telephone-events unless the PBX only understands SIP INFO. */
  dtmfMode?: DtmfMode;
};

export type IncomingCall = {
  callId: CallId;
  remote: RemoteIdentity;
  /** Another call is live: answering this one puts that one on hold first. */
  otherCallActive: boolean;
  /** Answered on arrival (PhoneDelegate.shouldAutoAnswer): it does not ring, it connects. */
  autoAnswered?: boolean;
};

/** One getStats reading, taken every second while a call is up. */
export type QualitySample = {
  at: number;
  rttMs: number;
  jitterMs: number;
  /** Packets lost in the last interval, as a percentage of packets expected in it. */
  lossPct: number;
  mos: number;
  band: QualityBand;
  /** Cumulative RTP payload bytes. */
  bytesIn: number;
  bytesOut: number;
  codec: string;
};

export type DeviceKind = 'microphone' | 'speaker' | 'ringer';

export type PhoneErrorCode =
  | 'not-configured'
  | 'bad-config'
  | 'bad-target'
  | 'no-such-call'
  | 'illegal-state'
  | 'media'
  | 'device'
  | 'sip'
  | 'transfer-failed';

export class PhoneError extends Error {
  override readonly name = 'PhoneError';
  constructor(
    readonly code: PhoneErrorCode,
    message: string,
    readonly callId?: CallId,
  ) {
    super(callId ? `[${callId}] ${message}` : message);
  }
}

export type PhoneDelegate = {
  onRegistration(state: RegistrationState): void;
  /** Every change of a call, including marks and flags; `call.state` says where it is. */
  onCallState(callId: CallId, call: Call): void;
  onIncoming(call: IncomingCall): void;
  /**
   * Asked once as a call arrives, before it rings: true answers it at once (the agent's AutoAnswer
   * setting, when they are available). Not asked for a call that arrives during another call.
   */
  shouldAutoAnswer?(call: IncomingCall): boolean;
  /** The microphone's processing for the next time it is opened (policy or the agent's Settings); all on without it. */
  audioProcessing?(): AudioProcessing;
  onQuality(callId: CallId, sample: QualitySample): void;
  /** Failures that happened outside a method call the caller awaits (network, far end, devices). */
  onError(error: PhoneError): void;
  /** The chosen device vanished (unplugged headset); the phone switched to the system default. */
  onDeviceFallback?(kind: DeviceKind, lostDeviceId: string): void;
};

export type DialOptions = {
  /** When the agent clicked (epoch ms), if earlier than the call to dial(); for the bench. */
  clickAt?: number;
};

export type Phone = {
  configure(account: PhoneAccount): void;
  register(): Promise<void>;
  unregister(): Promise<void>;
  /** A number (`+4930123`, dialled at the account's domain) or a SIP URI. */
  dial(target: string, options?: DialOptions): Promise<CallId>;
  answer(callId: CallId): Promise<void>;
  decline(callId: CallId): Promise<void>;
  hangup(callId: CallId): Promise<void>;
  hold(callId: CallId): Promise<void>;
  resume(callId: CallId): Promise<void>;
  mute(callId: CallId): void;
  unmute(callId: CallId): void;
  sendDtmf(callId: CallId, digits: string): Promise<void>;
  blindTransfer(callId: CallId, target: string): Promise<void>;
  /** Attended transfer, step 1: hold `callId` and call the consultee; returns the consult call. */
  startConsult(callId: CallId, target: string): Promise<CallId>;
  /** Step 2: REFER the original party to the consultee with Replaces; both legs then end here. */
  completeTransfer(callId: CallId, consultId: CallId): Promise<void>;
  setMicrophone(deviceId: string): Promise<void>;
  setSpeaker(deviceId: string): Promise<void>;
  setRinger(deviceId: string): Promise<void>;
  /** A second output that rings together with the ringer (null: none; '' the system default output). */
  setSecondRinger(deviceId: string | null): Promise<void>;
  /** The host woke from sleep (or the network came back): reconnect and re-register now. */
  resumed(): void;
  calls(): readonly Call[];
  registration(): RegistrationState;
  /** Stops every call, timer, listener and the transport. */
  dispose(): Promise<void>;
};

/** Whether DTMF digits are valid for both RFC 4733 and SIP INFO. */
export const dtmfDigits = /^[0-9A-D*#]{1,32}$/;
