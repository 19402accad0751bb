import { Registerer, RegistererState, UserAgent, UserAgentState, Web, type Invitation } from 'sip.js';
import { createAnswerAhead } from './answerAhead';
import { createBackoff } from '../../../core/backoff';
import { initialRegistration, nextRegistration, type RegistrationEvent, type RegistrationModel, type RegistrationState } from '../../../core/call/registration';
import { createPinger } from './keepalive';
import { PhoneError, type PhoneAccount } from './phone';

/**
 * The signalling half of the phone: one sip.js UserAgent over a WebSocket, its REGISTER binding, and
 * the work of keeping both alive on bad home networks. Reconnection is ours, not sip.js's (its built-in
 * retry has a fixed delay and gives up): full-jitter backoff from core/backoff.ts, and an immediate retry
 * when the host says the machine woke up, the browser goes online, or the window gets focus.
 */

/** RFC 5626 CRLF keepalive. Home routers drop idle TCP mappings after as little as 30 s. */
const KEEPALIVE_S = 20;
const PING_INTERVAL_MS = 15_000;
const PING_TIMEOUT_MS = 10_000;
const REGISTER_EXPIRES_S = 300;
/** Focus fires often; re-REGISTER on it only when the binding is this old. */
const FOCUS_REREGISTER_MS = 60_000;

export type ConnectionHooks = {
  onState(state: RegistrationState): void;
  onInvite(invitation: Invitation): void;
  /** The transport came back: live calls may need an ICE restart / new contact. */
  onReconnected(): void;
  log(line: string): void;
  /** A microphone stream already being opened for this session (see warmMic.ts), else undefined. */
  localStream?(sessionId: string, constraints: MediaStreamConstraints): Promise<MediaStream> | undefined;
  /** Every SIP message as text, sent and received; must not throw (it sits on the transport's path). */
  trace?(direction: 'in' | 'out', message: string): void;
};

export type SipConnection = {
  readonly ua: UserAgent | undefined;
  readonly account: PhoneAccount | undefined;
  readonly domain: string;
  configure(account: PhoneAccount): void;
  register(): Promise<void>;
  unregister(): Promise<void>;
  resumed(): void;
  state(): RegistrationState;
  /** Answer-ahead (answerAhead.ts): applies a ringing call's offer before the agent answers. */
  prepareAnswer(invitation: Invitation, options: Web.SessionDescriptionHandlerOptions): void;
  /** Releases what prepareAnswer opened for a call that ended unanswered. */
  discardAnswer(sessionId: string): void;
  dispose(): Promise<void>;
};

// sip.js's own reconnection (UserAgentOptions.reconnectionAttempts) is left at its default of 0, i.e. off.
export function createSipConnection(hooks: ConnectionHooks, now: () => number = () => Date.now()): SipConnection {
  let ua: UserAgent | undefined;
  let registerer: Registerer | undefined;
  let account: PhoneAccount | undefined;
  let domain = '';
  let model: RegistrationModel = initialRegistration;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastRegisterAt = 0;
  let closing = false;
  let deadReason: string | undefined;
  const backoff = createBackoff({ baseMs: 1000, maxMs: 30_000 });

  /** sip.js's own media factory, asking hooks.localStream first so an answered call can use the mic opened while it rang. */
  const openMic = Web.defaultMediaStreamFactory();
  const answerAhead = createAnswerAhead(
    (sessionId) => (constraints, sdh) => hooks.localStream?.(sessionId, constraints) ?? openMic(constraints, sdh),
    () => ua?.configuration.sessionDescriptionHandlerFactoryOptions as Web.SessionDescriptionHandlerFactoryOptions | undefined,
    hooks.log,
  );

  const apply = (e: RegistrationEvent): void => {
    const before = model.state;
    model = nextRegistration(model, e);
    if (JSON.stringify(before) !== JSON.stringify(model.state)) {
      hooks.log(`registration ${before.kind} -> ${model.state.kind}${'reason' in model.state ? ` (${model.state.reason.message})` : ''}`);
      hooks.onState(model.state);
    }
  };

  const pinger = createPinger({
    intervalMs: PING_INTERVAL_MS,
    timeoutMs: PING_TIMEOUT_MS,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    ping: () => options(),
    onDead(reason) {
      hooks.log(`transport dead: ${reason}`);
      deadReason = reason;
      // Closing the socket makes sip.js fail its transactions now instead of after Timer F (32 s).
      ua?.transport.disconnect().catch(() => undefined);
    },
  });

  /** OPTIONS to the registrar's domain; any real answer proves the path. sip.js fakes 408/503 on timeout/transport error. */
  const options = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!ua) return reject(new Error('no user agent'));
      const target = UserAgent.makeURI(`sip:${domain}`);
      if (!target) return reject(new Error(`bad domain ${domain}`));
      const core = ua.userAgentCore;
      const msg = core.makeOutgoingRequestMessage('OPTIONS', target, ua.configuration.uri, target, {});
      core.request(msg, {
        onAccept: () => resolve(),
        onReject: (r) => {
          const code = r.message.statusCode ?? 0;
          if (code === 408 || code === 503) reject(new Error(`${code} ${r.message.reasonPhrase}`));
          else resolve();
        },
      });
    });

  const scheduleRetry = (): void => {
    if (!model.wanted || closing || retryTimer) return;
    const delay = backoff.next();
    hooks.log(`reconnect attempt ${backoff.attempts} in ${delay} ms`);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  };

  const connect = async (): Promise<void> => {
    if (!ua || closing) return;
    if (ua.isConnected()) return sendRegister();
    try {
      // start() the first time; reconnect() after the UA has been started once.
      await (ua.state === UserAgentState.Started ? ua.reconnect() : ua.start());
    } catch (e) {
      apply({ type: 'transport-down', reason: { code: 'unreachable', message: e instanceof Error ? e.message : String(e) } });
      scheduleRetry();
    }
  };

  const sendRegister = async (): Promise<void> => {
    if (!registerer || !model.wanted) return;
    lastRegisterAt = now();
    try {
      await registerer.register({
        requestDelegate: {
          onAccept: (r) => {
            backoff.reset();
            apply({ type: 'register-ok', expiresSec: Number(r.message.getHeader('Expires') ?? REGISTER_EXPIRES_S) || REGISTER_EXPIRES_S });
          },
          onReject: (r) => {
            apply({ type: 'register-rejected', status: r.message.statusCode ?? 0, phrase: r.message.reasonPhrase ?? '' });
            if (model.state.kind === 'reconnecting') scheduleRetry();
          },
        },
      });
    } catch (e) {
      hooks.log(`REGISTER not sent: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const onOnline = (): void => conn.resumed();
  const onFocus = (): void => {
    if (!model.wanted) return;
    if (!ua?.isConnected()) conn.resumed();
    else if (now() - lastRegisterAt > FOCUS_REREGISTER_MS) void sendRegister();
  };

  const traceSafely = (direction: 'in' | 'out', message: string): void => {
    try {
      hooks.trace?.(direction, message);
    } catch {
      // A diagnostics bug must never cost a SIP message.
    }
  };

  const conn: SipConnection = {
    get ua() {
      return ua;
    },
    get account() {
      return account;
    },
    get domain() {
      return domain;
    },
    configure(a) {
      const uri = UserAgent.makeURI(a.sipUri);
      const reason = !uri ? `not a SIP URI: ${a.sipUri}` : !/^wss?:\/\/[^\s/]+/i.test(a.wsUri) ? `not a WebSocket URL: ${a.wsUri}` : !a.password ? 'no password' : undefined;
      if (!uri || reason) {
        apply({ type: 'bad-config', message: reason ?? 'bad account' });
        throw new PhoneError('bad-config', reason ?? 'bad account');
      }
      if (ua) throw new PhoneError('illegal-state', 'already configured: dispose() and create a new phone to switch accounts');
      account = a;
      domain = uri.host + (uri.port ? `:${uri.port}` : '');
      ua = new UserAgent({
        uri,
        displayName: a.displayName,
        authorizationUsername: a.authUser,
        authorizationPassword: a.password,
        transportOptions: { server: a.wsUri, keepAliveInterval: KEEPALIVE_S, connectionTimeout: 5 },
        userAgentString: 'Switchboard',
        logBuiltinEnabled: false,
        logLevel: 'warn',
        logConnector: (level, category, _label, content) => {
          if (level === 'error' || level === 'warn') hooks.log(`sip.js ${level} ${category}: ${content}`);
        },
        sessionDescriptionHandlerFactory: answerAhead.factory,
        sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: a.iceServers, iceTransportPolicy: a.iceTransportPolicy ?? 'all' }, iceGatheringTimeout: 2000 },
        delegate: {
          onConnect: () => {
            const wasLost = model.attempt > 0;
            deadReason = undefined;
            apply({ type: 'transport-up' });
            pinger.start();
            void sendRegister();
            if (wasLost) hooks.onReconnected();
          },
          onDisconnect: (error) => {
            pinger.stop();
            if (closing) return;
            const message = error?.message ?? deadReason ?? 'connection closed';
            apply({ type: 'transport-down', reason: { code: 'transport-lost', message } });
            scheduleRetry();
          },
          onInvite: (inv) => hooks.onInvite(inv),
        },
      });
      // sip.js 0.21's parser throws on some malformed responses (`CSeq: x` dereferences an unparsed header)
      // instead of dropping them; from the WebSocket handler that is an uncaught renderer error. Drop and log.
      const deliver = ua.transport.onMessage;
      ua.transport.onMessage = (message) => {
        traceSafely('in', message);
        try {
          deliver?.(message);
        } catch (e) {
          hooks.log(`SIP message dropped (${e instanceof Error ? e.message : String(e)}): ${JSON.stringify(message.slice(0, 80))}`);
        }
      };
      if (hooks.trace) {
        const transport = ua.transport;
        const send = transport.send.bind(transport);
        transport.send = (message) => {
          traceSafely('out', message);
          return send(message);
        };
      }
      registerer = new Registerer(ua, { expires: REGISTER_EXPIRES_S });
      registerer.stateChange.addListener((s) => {
        // A refresh that failed leaves sip.js Unregistered with no callback of ours: retry with backoff.
        if (s === RegistererState.Unregistered && model.wanted && model.state.kind === 'registered') {
          apply({ type: 'register-rejected', status: 500, phrase: 'registration refresh failed' });
          scheduleRetry();
        }
      });
      window.addEventListener('online', onOnline);
      window.addEventListener('focus', onFocus);
    },
    async register() {
      if (!ua) throw new PhoneError('not-configured', 'configure() an account first');
      apply({ type: 'register' });
      await connect();
    },
    async unregister() {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      const wasUp = model.transportUp;
      apply({ type: 'unregister' });
      if (registerer && wasUp) await registerer.unregister().catch((e: unknown) => hooks.log(`un-REGISTER failed: ${String(e)}`));
    },
    resumed() {
      if (!model.wanted || closing) return;
      hooks.log('resumed: reconnecting now');
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      backoff.reset();
      void connect();
    },
    state: () => model.state,
    prepareAnswer: (invitation, options) => answerAhead.prepare(invitation, options),
    discardAnswer: (sessionId) => answerAhead.discard(sessionId),
    async dispose() {
      closing = true;
      answerAhead.dispose();
      pinger.stop();
      if (retryTimer) clearTimeout(retryTimer);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('focus', onFocus);
      if (registerer && model.transportUp) await registerer.unregister().catch(() => undefined);
      await ua?.stop().catch(() => undefined);
      ua = undefined;
    },
  };
  return conn;
}
