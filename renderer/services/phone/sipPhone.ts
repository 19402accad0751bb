import { defaultAudioProcessing, micAudioConstraints } from '../../../core/call/audioProcessing';
import { Invitation, Inviter, SessionState, UserAgent, type Referral, type Session, type URI, type Web } from 'sip.js';
import {
  newInboundCall,
  newOutboundCall,
  nextCallState,
  isLive,
  type Call,
  type CallEndReason,
  type CallEvent,
  type CallId,
} from '../../../core/call/callMachine';
import { createAudioOutputs } from './audio';
import { coachingInvite, type InviteInterceptor, type LiveCallAccess } from './coachingInvite';
import { watchDevices } from './devices';
import { dtmfDigits, PhoneError, type IncomingCall, type Phone, type PhoneDelegate } from './phone';
import { peerConnection, inboundAudioBytes, remoteStream, replaceMicrophone, setSendersMuted } from './sessionMedia';
import { createSipConnection } from './sipConnection';
import { parseReplaces, replacesDialog, replacesTarget, sendRefer, sendReinvite } from './sipRequests';
import { readQuality, type StatsCursor } from './stats';
import { createWarmMic } from './warmMic';

/**
 * The Phone over sip.js 0.21 (UserAgent, Inviter, Invitation, Web.SessionDescriptionHandler). Every
 * change to a call goes through core's nextCallState, so an event sip.js delivers out of order (a BYE
 * racing our CANCEL, a late 200 after hangup) is logged and ignored instead of corrupting the call.
 */

export type SipPhoneOptions = {
  delegate: PhoneDelegate;
  log?: (line: string) => void;
  /** Epoch ms with sub-ms precision, for the timing marks. */
  now?: () => number;
  /**
   * Sees every INVITE first; returning true means it handled it (the coaching service answers or refuses
   * coaching INVITEs itself, so they never ring or show as calls here).
   */
  interceptInvite?: InviteInterceptor;
  /** Sees every SIP message as text, both directions (the diagnostics SIP trace). */
  trace?: (direction: 'in' | 'out', message: string) => void;
};

type Entry = {
  call: Call;
  session: Session;
  /** Why the session will end, decided before sip.js reports Terminated. */
  endReason?: CallEndReason;
  statsTimer?: ReturnType<typeof setInterval>;
  cursor?: StatsCursor;
  audioWatch?: ReturnType<typeof setInterval>;
  /** The constraints the session started with; reused on re-INVITEs so sip.js does not re-open the mic. */
  media: Web.SessionDescriptionHandlerOptions;
  /** Answered on arrival: the agent hears the cue when the caller's audio starts. */
  autoAnswered?: boolean;
};

const STATS_EVERY_MS = 1000;
const FIRST_AUDIO_POLL_MS = 20;
const FIRST_AUDIO_GIVE_UP_MS = 10_000;
/** An auto-answered call's card appears when the caller's ACK arrives, or this long after the INVITE. */
const AUTO_ANSWER_ANNOUNCE_MS = 150;
const number = /^[+]?[0-9*#]{1,32}$/;

let seq = 0;
const newCallId = (): CallId => `c${Date.now().toString(36)}${(++seq).toString(36)}`;

export function createSipPhone(opts: SipPhoneOptions): Phone {
  const { delegate } = opts;
  const log = opts.log ?? ((line: string) => console.info(`[phone] ${line}`));
  const now = opts.now ?? (() => performance.timeOrigin + performance.now());
  const calls = new Map<CallId, Entry>();
  const audio = createAudioOutputs(log);
  let micId = '';

  // Read at each call: a change in Settings applies to the next call (a live call keeps its track).
  const micConstraints = (): Web.SessionDescriptionHandlerOptions => ({
    constraints: { audio: micAudioConstraints(micId, delegate.audioProcessing?.() ?? defaultAudioProcessing), video: false },
  });
  const warmMic = createWarmMic((c) => navigator.mediaDevices.getUserMedia(c), log);
  const clog = (id: CallId, line: string): void => log(`[${id}] ${line}`);
  const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

  const get = (id: CallId): Entry => {
    const e = calls.get(id);
    if (!e) throw new PhoneError('no-such-call', 'no such call', id);
    return e;
  };

  /**
   * Inbound calls not shown yet (see onInvite). A ringing call is shown before any later event of it; an
   * auto-answered one catches up silently (it is shown connected, not as a ringing banner) unless it ends.
   */
  const unannounced = new Map<CallId, (connected?: boolean) => void>();

  const apply = (e: Entry, event: CallEvent): boolean => {
    const r = nextCallState(e.call, event);
    const announce = unannounced.get(e.call.id);
    // An auto-answered call that fails before it is shown is announced as the incoming call it was.
    if (announce && !(e.autoAnswered && r.ok && isLive(r.call))) announce(r.ok && isLive(r.call));
    if (!r.ok) {
      clog(e.call.id, `ignored ${event.type} in ${e.call.state}`);
      return false;
    }
    e.call = r.call;
    if (unannounced.has(e.call.id)) return true;
    delegate.onCallState(e.call.id, e.call);
    return true;
  };

  const must = (e: Entry, event: CallEvent): void => {
    if (!apply(e, event)) throw new PhoneError('illegal-state', `cannot ${event.type} while ${e.call.state}`, e.call.id);
  };

  const stopMedia = (e: Entry): void => {
    clearInterval(e.statsTimer);
    clearInterval(e.audioWatch);
    audio.stopRemote(e.call.id);
  };

  const updateRinging = (): void => {
    // An answered call is still ringing-in until established, but must not ring on.
    const ringing = [...calls.values()].some((x) => x.call.state === 'ringing-in' && x.call.marks.answerAt === undefined);
    if (ringing) audio.startRinging();
    else audio.stopRinging();
  };

  const onEstablished = (e: Entry): void => {
    const id = e.call.id;
    apply(e, { type: 'established', at: now() });
    updateRinging();
    const pc = peerConnection(e.session);
    if (!pc) return;
    audio.playRemote(id, remoteStream(pc));
    const started = now();
    e.audioWatch = setInterval(() => {
      inboundAudioBytes(pc)
        .then((bytes) => {
          if (bytes > 0) {
            clearInterval(e.audioWatch);
            apply(e, { type: 'first-audio', at: now() });
            // The beep tells an agent who clicked nothing that someone is on the line: when their voice arrives.
            if (e.autoAnswered) audio.playCue();
          } else if (now() - started > FIRST_AUDIO_GIVE_UP_MS) {
            clearInterval(e.audioWatch);
            clog(id, `no inbound audio ${FIRST_AUDIO_GIVE_UP_MS} ms after setup`);
            delegate.onError(new PhoneError('media', 'no audio from the far end', id));
          }
        })
        .catch((err: unknown) => clog(id, `getStats failed: ${errorText(err)}`));
    }, FIRST_AUDIO_POLL_MS);
    e.statsTimer = setInterval(() => {
      pc.getStats()
        .then((report) => {
          const { sample, cursor } = readQuality(report, e.cursor, now());
          e.cursor = cursor;
          delegate.onQuality(id, sample);
        })
        .catch((err: unknown) => clog(id, `getStats failed: ${errorText(err)}`));
    }, STATS_EVERY_MS);
  };

  const onTerminated = (e: Entry): void => {
    stopMedia(e);
    warmMic.drop(e.session.id);
    conn.discardAnswer(e.session.id);
    // An inbound call that ends before it was answered was withdrawn by the caller: a missed call.
    const unanswered = e.call.direction === 'inbound' && e.call.marks.establishedAt === undefined;
    const reason = e.endReason ?? (unanswered ? { kind: 'cancelled' } : { kind: 'remote-hangup' });
    const setupFailed = e.call.marks.establishedAt === undefined && (reason.kind === 'rejected' || reason.kind === 'media' || reason.kind === 'network');
    apply(e, { type: setupFailed ? 'failed' : 'ended', at: now(), reason });
    clog(e.call.id, `${e.call.state}: ${reason.kind}${reason.kind === 'rejected' ? ` ${reason.status} ${reason.phrase}` : ''}`);
    calls.delete(e.call.id);
    updateRinging();
  };

  const track = (call: Call, session: Session, media: Web.SessionDescriptionHandlerOptions, announce = true): Entry => {
    const e: Entry = { call, session, media };
    calls.set(call.id, e);
    session.stateChange.addListener((s) => {
      if (s === SessionState.Established) onEstablished(e);
      else if (s === SessionState.Terminated) onTerminated(e);
    });
    session.delegate = {
      // The dialog is confirmed (RFC 3261 §13.3.1.4): an auto-answered call not shown yet is shown now.
      onAck: () => unannounced.get(call.id)?.(true),
      onRefer: (referral) => onRefer(e, referral),
      onInfo: (info) => {
        // application/dtmf-relay (SIP INFO DTMF) from the far end; logged for support, not acted on.
        const signal = /Signal=\s*([0-9A-D*#])/i.exec(info.request.body ?? '')?.[1];
        clog(call.id, `INFO ${info.request.getHeader('Content-Type') ?? ''}${signal ? ` DTMF ${signal}` : ''}`);
        void info.accept();
      },
    };
    if (announce) delegate.onCallState(call.id, call);
    return e;
  };

  const targetUri = (target: string): URI => {
    const t = target.trim();
    const digits = t.replace(/[\s().-]/g, '');
    const text = /^sips?:/i.test(t) ? t : number.test(digits) ? `sip:${encodeURIComponent(digits)}@${conn.domain}` : '';
    const uri = text ? UserAgent.makeURI(text) : undefined;
    if (!uri) throw new PhoneError('bad-target', `cannot dial ${JSON.stringify(target.slice(0, 80))}`);
    return uri;
  };

  const startOutbound = async (uri: URI, inviter: Inviter, clickAt: number): Promise<CallId> => {
    const media = micConstraints();
    const call = newOutboundCall(newCallId(), { uri: uri.toString() }, conn.account?.dtmfMode ?? 'rfc4733', clickAt);
    const e = track(call, inviter, media);
    clog(call.id, `dialing ${uri.toString()}`);
    try {
      await inviter.invite({
        sessionDescriptionHandlerOptions: media,
        requestDelegate: {
          onProgress: () => void apply(e, { type: 'progress' }),
          onReject: (r) => {
            e.endReason = { kind: 'rejected', status: r.message.statusCode ?? 0, phrase: r.message.reasonPhrase ?? '' };
          },
        },
      });
      apply(e, { type: 'invite-sent', at: now() });
    } catch (err) {
      // getUserMedia refused, no microphone, or the transport is down: the INVITE never left.
      e.endReason = { kind: 'media', message: errorText(err) };
      if (calls.has(call.id)) onTerminated(e);
      throw new PhoneError('media', `call not placed: ${errorText(err)}`, call.id);
    }
    return call.id;
  };

  const reinvite = (e: Entry, extra: Web.SessionDescriptionHandlerOptions): Promise<void> =>
    sendReinvite(e.session, e.call.id, { ...e.media, hold: e.call.onHold, ...extra });

  const setHold = async (id: CallId, hold: boolean): Promise<void> => {
    const e = get(id);
    if (e.call.onHold === hold) return;
    if (e.call.state !== (hold ? 'established' : 'held')) throw new PhoneError('illegal-state', `cannot ${hold ? 'hold' : 'resume'} while ${e.call.state}`, id);
    // RFC 3264 §8.4: hold is a re-INVITE with a=sendonly; the far end answers recvonly.
    await reinvite(e, { hold });
    must(e, { type: hold ? 'hold' : 'resume' });
  };

  /** We are the transferee: the far end asked us (REFER) to call someone else; the old leg ends by their BYE. */
  const onRefer = (e: Entry, referral: Referral): void => {
    const to = referral.referTo.uri;
    clog(e.call.id, `REFER to ${to.toString()}`);
    e.endReason = { kind: 'transferred' };
    referral
      .accept()
      .then(() => startOutbound(to, referral.makeInviter({ sessionDescriptionHandlerOptions: micConstraints() }), now()))
      .then((newId) => clog(e.call.id, `transferred: new call ${newId}`))
      .catch((err: unknown) => delegate.onError(err instanceof PhoneError ? err : new PhoneError('transfer-failed', errorText(err), e.call.id)));
  };

  /** RFC 3891 Replaces: an INVITE that takes over one of our dialogs (we are the attended-transfer target). */
  const replacedBy = (inv: Invitation): Entry | undefined => {
    const r = parseReplaces(inv.request.getHeader('Replaces'));
    return r && [...calls.values()].find((x) => replacesDialog(r, x.session.dialog));
  };

  const liveCalls: LiveCallAccess = {
    current: () => {
      const e = [...calls.values()].find((x) => x.call.state === 'established');
      return e && { callId: e.call.id };
    },
    peerConnection: (id) => {
      const session = calls.get(id)?.session;
      return session && peerConnection(session);
    },
  };

  const onInvite = (inv: Invitation): void => {
    if (opts.interceptInvite?.(coachingInvite(inv), liveCalls)) return;
    const remote = { uri: inv.remoteIdentity.uri.toString(), ...(inv.remoteIdentity.displayName ? { displayName: inv.remoteIdentity.displayName } : {}) };
    const call = newInboundCall(newCallId(), remote, conn.account?.dtmfMode ?? 'rfc4733', now());
    const otherCallActive = [...calls.values()].some((x) => isLive(x.call));
    const media = micConstraints();
    const replaced = replacedBy(inv);
    // Before anything renders: the mic opens and the caller's offer is applied (answerAhead.ts) while the
    // banner paints and the agent reaches for Answer.
    if (!replaced && media.constraints) warmMic.warm(inv.id, media.constraints);
    if (!replaced) conn.prepareAnswer(inv, media);
    const e = track(call, inv, media, Boolean(replaced));
    if (replaced) {
      clog(call.id, `incoming from ${remote.uri} replacing ${replaced.call.id}`);
      replaced.endReason = { kind: 'transferred' };
      apply(e, { type: 'answer', at: now() });
      inv
        .accept({ sessionDescriptionHandlerOptions: media })
        .then(() => hangupEntry(replaced, { kind: 'transferred' }))
        .catch((err: unknown) => delegate.onError(new PhoneError('transfer-failed', errorText(err), call.id)));
      return;
    }
    const incoming: IncomingCall = { callId: call.id, remote, otherCallActive };
    const auto = !otherCallActive && delegate.shouldAutoAnswer?.(incoming) === true;
    // The call card, ring, notification and screen pop come in the next task, not this one: the microphone
    // and the offer (above) are then waiting on the browser while they render, instead of after them.
    // Any event for the call before then shows the ringing first (apply).
    const announce = (connected = auto): void => {
      if (!unannounced.delete(call.id)) return;
      clog(call.id, `incoming from ${remote.uri}${auto ? ' (answered automatically)' : ''}`);
      delegate.onCallState(call.id, e.call);
      delegate.onIncoming(auto && connected ? { ...incoming, autoAnswered: true } : incoming);
      updateRinging();
    };
    unannounced.set(call.id, announce);
    if (!auto) {
      setTimeout(() => announce(), 0);
      return;
    }
    // Auto-answer: the 200 OK goes out as the bare library's would, and the call card follows when the
    // caller's ACK confirms the call, or AUTO_ANSWER_ANNOUNCE_MS after the INVITE if that is sooner (a
    // microphone prompt, a slow network): signalling and media setup first, rendering after.
    e.autoAnswered = true;
    apply(e, { type: 'answer', at: now() });
    const timer = setTimeout(() => announce(), AUTO_ANSWER_ANNOUNCE_MS);
    inv.accept({ sessionDescriptionHandlerOptions: media }).catch((err: unknown) => {
      clearTimeout(timer);
      announce(false);
      e.endReason = { kind: 'media', message: errorText(err) };
      delegate.onError(new PhoneError('media', `answer failed: ${errorText(err)}`, call.id));
    });
  };

  const hangupEntry = async (e: Entry, reason: CallEndReason): Promise<void> => {
    const s = e.session;
    e.endReason ??= reason;
    apply(e, { type: 'hangup' });
    if (s.state === SessionState.Established) await s.bye();
    else if (s instanceof Inviter && (s.state === SessionState.Initial || s.state === SessionState.Establishing)) await s.cancel();
    else if (s instanceof Invitation && (s.state === SessionState.Initial || s.state === SessionState.Establishing)) await s.reject();
  };

  const conn = createSipConnection({
    onState: (s) => delegate.onRegistration(s),
    onInvite,
    onReconnected: () => iceRestartAll('signalling reconnected'),
    log,
    localStream: (sessionId, constraints) => warmMic.take(sessionId, constraints),
    ...(opts.trace ? { trace: opts.trace } : {}),
  });

  /** A new network path (Wi-Fi roam, VPN up): re-INVITE with an ICE restart so media finds the new route. */
  const iceRestartAll = (why: string): void => {
    for (const e of calls.values()) {
      if (e.call.state !== 'established' && e.call.state !== 'held') continue;
      clog(e.call.id, `ICE restart (${why})`);
      reinvite(e, { offerOptions: { iceRestart: true } })
        .catch((err: unknown) => delegate.onError(err instanceof PhoneError ? err : new PhoneError('sip', errorText(err), e.call.id)))
        .finally(() => {
          const reset: Web.SessionDescriptionHandlerOptions = { ...e.media, hold: e.call.onHold };
          e.session.sessionDescriptionHandlerOptionsReInvite = reset;
        });
    }
  };
  // While signalling is down the re-INVITE could not be sent; onReconnected restarts ICE then instead.
  const onNetworkChange = (): void => {
    if (conn.ua?.isConnected()) iceRestartAll('network change');
  };
  const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
  connection?.addEventListener('change', onNetworkChange);
  window.addEventListener('online', onNetworkChange);

  const unwatchDevices = watchDevices({
    micId: () => micId,
    useDefaultMic: () => phone.setMicrophone(''),
    audio,
    onFallback: (kind, lost) => delegate.onDeviceFallback?.(kind, lost),
    onError: (message) => delegate.onError(new PhoneError('device', message)),
  });

  const phone: Phone = {
    configure: (account) => conn.configure(account),
    register: () => conn.register(),
    unregister: () => conn.unregister(),
    resumed: () => conn.resumed(),
    registration: () => conn.state(),
    calls: () => [...calls.values()].map((e) => e.call),

    async dial(target, options) {
      const clickAt = options?.clickAt ?? now();
      const ua = conn.ua;
      if (!ua) throw new PhoneError('not-configured', 'configure() an account first');
      const uri = targetUri(target);
      return startOutbound(uri, new Inviter(ua, uri, { sessionDescriptionHandlerOptions: micConstraints() }), clickAt);
    },

    async answer(id) {
      const e = get(id);
      if (!(e.session instanceof Invitation)) throw new PhoneError('illegal-state', 'not an incoming call', id);
      must(e, { type: 'answer', at: now() });
      // One live conversation at a time: whoever the agent was talking to waits on hold.
      for (const other of calls.values()) if (other !== e && other.call.state === 'established') await setHold(other.call.id, true);
      audio.stopRinging();
      // The microphone chosen now, not when it started ringing: the agent may have switched while it rang.
      e.media = micConstraints();
      try {
        await e.session.accept({ sessionDescriptionHandlerOptions: e.media });
      } catch (err) {
        e.endReason = { kind: 'media', message: errorText(err) };
        throw new PhoneError('media', `answer failed: ${errorText(err)}`, id);
      }
    },

    async decline(id) {
      const e = get(id);
      if (!(e.session instanceof Invitation) || e.call.state !== 'ringing-in') throw new PhoneError('illegal-state', 'nothing to decline', id);
      e.endReason = { kind: 'declined' };
      apply(e, { type: 'hangup' });
      // 603 Decline (RFC 3261 §21.6.2): the agent, not the device, refused; queues route elsewhere.
      await e.session.reject({ statusCode: 603 });
    },

    hangup: (id) => hangupEntry(get(id), { kind: 'local-hangup' }),
    hold: (id) => setHold(id, true),
    resume: (id) => setHold(id, false),

    mute(id) {
      const e = get(id);
      const pc = peerConnection(e.session);
      must(e, { type: 'mute' });
      if (pc && !setSendersMuted(pc, true)) delegate.onError(new PhoneError('media', 'microphone could not be muted', id));
    },
    unmute(id) {
      const e = get(id);
      const pc = peerConnection(e.session);
      must(e, { type: 'unmute' });
      if (pc) setSendersMuted(pc, false);
    },

    async sendDtmf(id, digits) {
      const e = get(id);
      if (!dtmfDigits.test(digits)) throw new PhoneError('bad-target', `not DTMF digits: ${JSON.stringify(digits.slice(0, 40))}`, id);
      if (e.call.state !== 'established') throw new PhoneError('illegal-state', `no DTMF while ${e.call.state}`, id);
      clog(id, `DTMF ${digits} via ${e.call.dtmfMode}`);
      if (e.call.dtmfMode === 'rfc4733') {
        const sdh = e.session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
        // RFC 4733 telephone-events in the RTP stream (RTCDTMFSender); false when the far end did not offer them.
        if (!sdh?.sendDtmf(digits, { duration: 100, interToneGap: 70 })) throw new PhoneError('media', 'far end did not negotiate telephone-event (try SIP INFO)', id);
        return;
      }
      for (const d of digits) {
        await e.session.info({
          requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${d}\r\nDuration=100` } },
        });
      }
    },

    async blindTransfer(id, target) {
      const e = get(id);
      if (e.call.state !== 'established' && e.call.state !== 'held') throw new PhoneError('illegal-state', `cannot transfer while ${e.call.state}`, id);
      const uri = targetUri(target);
      clog(id, `blind transfer to ${uri.toString()}`);
      await sendRefer(e.session, id, uri);
      await hangupEntry(e, { kind: 'transferred' });
    },

    async startConsult(id, target) {
      const e = get(id);
      if (e.call.state === 'established') await setHold(id, true);
      else if (e.call.state !== 'held') throw new PhoneError('illegal-state', `cannot consult while ${e.call.state}`, id);
      return phone.dial(target);
    },

    async completeTransfer(id, consultId) {
      const e = get(id);
      const c = get(consultId);
      if (c.call.state !== 'established' && c.call.state !== 'held') throw new PhoneError('illegal-state', `consult call is ${c.call.state}`, consultId);
      clog(id, `attended transfer to ${c.call.remote.uri} (${consultId})`);
      const d = c.session.dialog;
      const target = d && replacesTarget(c.call.remote.uri, d);
      if (!target) throw new PhoneError('illegal-state', 'consult call has no dialog', consultId);
      await sendRefer(e.session, id, target);
      c.endReason = { kind: 'transferred' };
      await hangupEntry(e, { kind: 'transferred' });
    },

    async setMicrophone(deviceId) {
      micId = deviceId;
      for (const e of calls.values()) {
        if (!isLive(e.call) || !peerConnection(e.session)) continue;
        let stream: MediaStream;
        try {
          stream = await navigator.mediaDevices.getUserMedia(micConstraints().constraints ?? { audio: true });
        } catch (err) {
          throw new PhoneError('device', `microphone ${deviceId || 'default'} unusable: ${errorText(err)}`, e.call.id);
        }
        const t = stream.getAudioTracks()[0];
        if (t) await replaceMicrophone(e.session, t, e.call.muted);
        clog(e.call.id, `microphone now ${deviceId || 'default'}`);
      }
    },
    setSpeaker: (deviceId) => audio.setSpeaker(deviceId),
    setRinger: (deviceId) => audio.setRinger(deviceId),
    setSecondRinger: (deviceId) => audio.setSecondRinger(deviceId),

    async dispose() {
      connection?.removeEventListener('change', onNetworkChange);
      window.removeEventListener('online', onNetworkChange);
      unwatchDevices();
      await Promise.all([...calls.values()].map((e) => hangupEntry(e, { kind: 'local-hangup' }).catch(() => undefined)));
      for (const e of calls.values()) stopMedia(e);
      warmMic.dispose();
      audio.dispose();
      await conn.dispose();
    },
  };
  return phone;
}
