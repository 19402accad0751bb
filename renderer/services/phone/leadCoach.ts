import { Inviter, SessionState, UserAgent, type Web } from 'sip.js';
import { coachHeaders, coachInfoContentType, type CoachMode } from '../../../core/coaching/modes';
import type { PhoneAccount } from './phone';

/**
 * The lead's side of coaching: a call from the lead to the agent's extension, carrying the server's grant
 * in a header. It runs on its own sip.js UserAgent that never REGISTERs (it only places this call), so
 * it stays out of the lead's own phone: no call card, no wrap-up, no second ring target, and closing it
 * cannot touch a call the lead is on. Mode switches are in-dialog INFOs, so the call is never re-dialled.
 */

export type LeadCoachCall = {
  readonly mode: CoachMode;
  /** What the lead hears (agent + customer as the agent's app mixes them). */
  readonly remote: MediaStream;
  setMode(mode: CoachMode): Promise<void>;
  leave(): Promise<void>;
};

export type LeadCoachOptions = {
  account: PhoneAccount;
  extension: string;
  /** The server's grant. Null only from the e2e probe, to prove an INVITE without one is refused. */
  grant: string | null;
  mode: CoachMode;
  /** The call ended from the far side (agent's app refused, the customer call ended, network). */
  onEnded(reason: string): void;
  log(line: string): void;
};

export class CoachCallError extends Error {
  override readonly name = 'CoachCallError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startCoachCall(opts: LeadCoachOptions): Promise<LeadCoachCall> {
  const { account: a, log } = opts;
  const uri = UserAgent.makeURI(a.sipUri);
  const domain = uri?.host;
  const target = domain ? UserAgent.makeURI(`sip:${encodeURIComponent(opts.extension)}@${domain}`) : undefined;
  if (!uri || !target) throw new CoachCallError(0, `cannot dial extension ${opts.extension}`);
  const ua = new UserAgent({
    uri,
    displayName: a.displayName,
    authorizationUsername: a.authUser,
    authorizationPassword: a.password,
    transportOptions: { server: a.wsUri, connectionTimeout: 5 },
    userAgentString: 'Switchboard coach',
    logBuiltinEnabled: false,
    logLevel: 'error',
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: a.iceServers, iceTransportPolicy: a.iceTransportPolicy ?? 'all' }, iceGatheringTimeout: 2000 },
  });
  await ua.start();
  const inviter = new Inviter(ua, target, {
    extraHeaders: [`${coachHeaders.mode}: ${opts.mode}`, ...(opts.grant === null ? [] : [`${coachHeaders.grant}: ${opts.grant}`])],
    sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
  });
  const remote = new MediaStream();
  const el = new Audio();
  el.autoplay = true;
  let mode = opts.mode;
  let seq = 0;
  let leaving = false;
  let rejected: CoachCallError | null = null;

  const stopUa = (): void => {
    el.pause();
    el.srcObject = null;
    ua.stop().catch(() => undefined);
  };

  const established = new Promise<void>((resolve, reject) => {
    inviter.stateChange.addListener((s) => {
      if (s === SessionState.Established) {
        const pc = (inviter.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.peerConnection;
        for (const r of pc?.getReceivers() ?? []) if (r.track?.kind === 'audio') remote.addTrack(r.track);
        el.srcObject = remote;
        el.play().catch((e: unknown) => log(`coach audio play refused: ${String(e)}`));
        resolve();
      } else if (s === SessionState.Terminated) {
        stopUa();
        // sip.js moves to Terminated before it hands the final response to onReject: read it a tick later.
        setTimeout(() => {
          reject(rejected ?? new CoachCallError(0, 'coaching call ended before it connected'));
          if (!leaving) opts.onEnded(rejected ? `refused ${rejected.status}` : 'ended');
        }, 0);
      }
    });
  });
  // Awaited below only once the INVITE is out; a failure before that must not surface as unhandled.
  established.catch(() => undefined);
  await inviter.invite({
    requestDelegate: {
      onReject: (r) => {
        rejected = new CoachCallError(r.message.statusCode ?? 0, `${r.message.statusCode ?? ''} ${r.message.reasonPhrase ?? ''}`.trim());
      },
    },
  });
  await established;
  log(`coaching ${opts.extension} in ${mode}`);

  return {
    get mode() {
      return mode;
    },
    remote,
    async setMode(next) {
      if (inviter.state !== SessionState.Established) throw new CoachCallError(0, 'the coaching call has ended');
      seq += 1;
      const body = JSON.stringify({ mode: next, seq });
      await new Promise<void>((resolve, reject) => {
        inviter
          .info({
            requestOptions: { body: { contentDisposition: 'session', contentType: coachInfoContentType, content: body } },
            requestDelegate: {
              onAccept: () => resolve(),
              onReject: (r) => reject(new CoachCallError(r.message.statusCode ?? 0, `mode change refused: ${r.message.reasonPhrase ?? ''}`)),
            },
          })
          .catch(reject);
      });
      mode = next;
    },
    async leave() {
      leaving = true;
      if (inviter.state === SessionState.Established) await inviter.bye().catch(() => undefined);
      else if (inviter.state === SessionState.Establishing) await inviter.cancel().catch(() => undefined);
      stopUa();
    },
  };
}
