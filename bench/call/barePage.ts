/**
 * The baseline for bench/call.mjs: a bare sip.js 0.21 UserAgent on an empty page (no React, no store,
 * no phone service), marking the same moments as the app's phone service does, the same way:
 * click → `invite()` resolved (INVITE handed to the transport) → session Established → first inbound
 * RTP bytes seen by getStats (polled every 20 ms). Exposed as `window.bare`.
 */
import { Inviter, Registerer, SessionState, UserAgent, type Invitation, type Session, type Web } from 'sip.js';

type Marks = { clickAt?: number; inviteAt?: number; answerAt?: number; establishedAt?: number; firstAudioAt?: number };
const now = () => performance.timeOrigin + performance.now();
const media: Web.SessionDescriptionHandlerOptions = { constraints: { audio: true, video: false } };
let ua: UserAgent | undefined;
let domain = '';
const calls: Array<{ direction: 'inbound' | 'outbound'; marks: Marks; session: Session }> = [];

function watch(entry: (typeof calls)[number]): void {
  entry.session.stateChange.addListener((s) => {
    if (s !== SessionState.Established) return;
    entry.marks.establishedAt = now();
    const sdh = entry.session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    const pc = sdh?.peerConnection;
    if (!pc) return;
    const timer = setInterval(() => {
      void pc.getStats().then((report) => {
        let bytes = 0;
        report.forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
        });
        if (bytes > 0 && entry.marks.firstAudioAt === undefined) {
          entry.marks.firstAudioAt = now();
          clearInterval(timer);
        }
      });
    }, 20);
  });
}

const bare = {
  async start(account: { wsUri: string; user: string; password: string; domain: string }): Promise<void> {
    domain = account.domain;
    ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:${account.user}@${account.domain}`),
      transportOptions: { server: account.wsUri },
      authorizationUsername: account.user,
      authorizationPassword: account.password,
      logLevel: 'warn',
      // The app's settings (renderer/services/phone/sipConnection.ts), so only the app's own work differs.
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 2000 },
      delegate: {
        onInvite(inv: Invitation) {
          const entry = { direction: 'inbound' as const, marks: {} as Marks, session: inv as Session };
          calls.push(entry);
          watch(entry);
          entry.marks.inviteAt = now();
          entry.marks.answerAt = now();
          void inv.accept({ sessionDescriptionHandlerOptions: media });
        },
      },
    });
    await ua.start();
    await new Registerer(ua).register();
  },
  /** Called from the button's click handler, so clickAt is the click. */
  async dial(target: string, clickAt: number): Promise<void> {
    if (!ua) throw new Error('not started');
    const uri = UserAgent.makeURI(`sip:${target}@${domain}`)!;
    const inviter = new Inviter(ua, uri, { sessionDescriptionHandlerOptions: media });
    const entry = { direction: 'outbound' as const, marks: { clickAt } as Marks, session: inviter as Session };
    calls.push(entry);
    watch(entry);
    await inviter.invite({ sessionDescriptionHandlerOptions: media });
    entry.marks.inviteAt = now();
  },
  async hangupAll(): Promise<void> {
    for (const c of calls) if (c.session.state === SessionState.Established) await c.session.bye();
  },
  calls: () => calls.map((c) => ({ direction: c.direction, marks: { ...c.marks } })),
};
Object.assign(window, { bare });

const button = document.createElement('button');
button.id = 'call';
button.textContent = 'Call';
button.addEventListener('click', () => {
  const clickAt = now();
  void bare.dial(button.dataset.target ?? '', clickAt);
});
document.body.append(button);
