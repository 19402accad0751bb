import { Web, type Invitation, type Session, type SessionDescriptionHandler, type SessionDescriptionHandlerFactory, type SessionDescriptionHandlerModifier } from 'sip.js';

/**
 * Answer-ahead: while an inbound call rings, do the slow half of answering it before the agent clicks.
 *
 * Answering a WebRTC call is: open the microphone, create the RTCPeerConnection, add the track, apply the
 * caller's offer (setRemoteDescription), then create the answer, apply it (setLocalDescription), gather ICE
 * candidates, and send the 200 OK. bench/call.mjs measured the first half at 20–45 ms on the answering
 * app page (it runs beside the call card's render and the screen pop), all of it after the click. Done
 * while the phone rings, Answer is left with createAnswer, setLocalDescription and gathering.
 *
 * Only steps that put nothing on the network are taken early: without a local description there are no
 * ICE candidates, no connectivity checks and no DTLS, so not a packet reaches the caller (no early media,
 * no audio before the agent answers) and a long ring cannot time ICE out. A call withdrawn or declined
 * while ringing closes its connection and microphone through {@link AnswerAhead.discard}.
 *
 * sip.js creates a session's handler through the factory when it first needs one (in accept()); the
 * factory here hands it the handler prepared for that session instead of a new one. The prepared
 * handler skips setDescription for the offer it already applied, so sip.js's own accept path (and its
 * error handling) runs unchanged.
 */

type Options = Web.SessionDescriptionHandlerOptions;

export class AnswerAheadHandler extends Web.SessionDescriptionHandler {
  private early: { sdp: string; applied: Promise<void> } | undefined;

  /** Applies the caller's offer now (microphone, track, setRemoteDescription); no answer is made. */
  prepare(sdp: string, options: Options): Promise<void> {
    const applied = super.setDescription(sdp, options);
    this.early = { sdp, applied };
    return applied;
  }

  override setDescription(sdp: string, options?: Options, modifiers?: Array<SessionDescriptionHandlerModifier>): Promise<void> {
    const early = this.early;
    this.early = undefined;
    if (!early || early.sdp !== sdp || (modifiers && modifiers.length > 0)) return super.setDescription(sdp, options, modifiers);
    // getLocalMediaStream again: a no-op unless the agent picked another microphone while it rang, in which
    // case sip.js opens that one and replaces the sender's track (no renegotiation).
    return early.applied.then(() => this.getLocalMediaStream(options));
  }
}

export type AnswerAhead = {
  /** The factory to give the UserAgent. */
  readonly factory: SessionDescriptionHandlerFactory;
  /**
   * Starts preparing the answer for a ringing invitation that carries an SDP offer. A failure here is
   * only logged: accept() meets the same failure (the same rejected promise) and reports it then.
   */
  prepare(invitation: Invitation, options: Options): void;
  /** Closes a prepared handler sip.js never took (the call ended unanswered). */
  discard(sessionId: string): void;
  dispose(): void;
};

export function createAnswerAhead(
  /** The media stream factory for one session's handler (so it can use the microphone warmed for it). */
  mediaFor: (sessionId: string) => Web.MediaStreamFactory,
  factoryOptions: () => Web.SessionDescriptionHandlerFactoryOptions | undefined,
  log: (line: string) => void,
): AnswerAhead {
  const prepared = new Map<string, AnswerAheadHandler>();

  // sip.js's defaultSessionDescriptionHandlerFactory, building our subclass (same configuration defaults).
  const build = (session: Session, options?: Web.SessionDescriptionHandlerFactoryOptions): AnswerAheadHandler => {
    const configuration: Web.SessionDescriptionHandlerConfiguration = {
      iceGatheringTimeout: options?.iceGatheringTimeout ?? 5000,
      peerConnectionConfiguration: { ...Web.defaultPeerConnectionConfiguration(), ...options?.peerConnectionConfiguration },
    };
    return new AnswerAheadHandler(session.userAgent.getLogger('sip.SessionDescriptionHandler'), mediaFor(session.id), configuration);
  };

  const factory: SessionDescriptionHandlerFactory = (session, options?: Web.SessionDescriptionHandlerFactoryOptions): SessionDescriptionHandler => {
    const ready = prepared.get(session.id);
    if (ready) {
      prepared.delete(session.id);
      return ready;
    }
    return build(session, options);
  };

  return {
    factory,
    prepare(invitation, options) {
      const sdp = invitation.body;
      const type = invitation.request.getHeader('content-type')?.split(';')[0]?.trim().toLowerCase();
      // An INVITE without an offer (RFC 3261 §13.2.1: the offer comes in our 200 OK) has nothing to apply.
      if (!sdp || type !== 'application/sdp' || prepared.has(invitation.id)) return;
      let handler: AnswerAheadHandler;
      try {
        handler = build(invitation, factoryOptions());
      } catch (e) {
        log(`answer not prepared: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      prepared.set(invitation.id, handler);
      handler.prepare(sdp, options).catch((e: unknown) => log(`answer not prepared: ${e instanceof Error ? e.message : String(e)}`));
    },
    discard(sessionId) {
      const handler = prepared.get(sessionId);
      if (!handler) return;
      prepared.delete(sessionId);
      handler.close();
    },
    dispose() {
      for (const id of [...prepared.keys()]) this.discard(id);
    },
  };
}
