import { SessionState, type Invitation } from 'sip.js';
import type { CallId } from '../../../core/call/callMachine';
import { peerConnection } from './sessionMedia';

/**
 * The narrow hook coaching gets into the phone: an incoming INVITE and the agent's calls in plain
 * types, so no sip.js type leaves services/phone (house style: libraries stay behind their service).
 * sipPhone offers every INVITE to the interceptor before it rings.
 */
export type CoachingInvite = {
  header(name: string): string | undefined;
  reject(response: { statusCode: number; reasonPhrase?: string }): Promise<void>;
  /** Answers with audio only; resolves with the call's peer connection once the answer is out. */
  accept(): Promise<RTCPeerConnection | undefined>;
  /** In-dialog INFO (mode changes): the handler returns true to accept it, false to refuse it (415). */
  onInfo(handler: (info: { contentType: string; body: string }) => boolean): void;
  /** The coaching call ended, from either side. */
  onEnded(listener: () => void): void;
  established(): boolean;
  bye(): Promise<void>;
};

/** What an INVITE interceptor may see of the calls: the agent's established call and its media. */
export type LiveCallAccess = { current(): { callId: CallId } | undefined; peerConnection(callId: CallId): RTCPeerConnection | undefined };

/** Returns true when it handled the INVITE itself (it never rings or shows as a call). */
export type InviteInterceptor = (invite: CoachingInvite, calls: LiveCallAccess) => boolean;

export function coachingInvite(inv: Invitation): CoachingInvite {
  return {
    header: (name) => inv.request.getHeader(name),
    reject: (response) => inv.reject(response),
    async accept() {
      await inv.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
      return peerConnection(inv);
    },
    onInfo(handler) {
      inv.delegate = {
        ...inv.delegate,
        onInfo: (info) => {
          const ok = handler({ contentType: info.request.getHeader('Content-Type') ?? '', body: info.request.body });
          void (ok ? info.accept() : info.reject({ statusCode: 415 }));
        },
      };
    },
    onEnded(listener) {
      inv.stateChange.addListener((s) => {
        if (s === SessionState.Terminated) listener();
      });
    },
    established: () => inv.state === SessionState.Established,
    bye: async () => {
      await inv.bye();
    },
  };
}
