import type { StateCreator } from 'zustand';
import { nextCallState, type Call, type CallId } from '../../core/call/callMachine';
import type { RegistrationState } from '../../core/call/registration';
import { callEnding, callRecord, hasCard, remoteNumber, type CallRecord } from '../../core/call/rules';
import { checkDialTarget, dialPolicyFrom, type DialPolicy } from '../../core/dial';
import type { SipAccountOverride } from '../../core/wire/sip';
import { missedCall, missedReason, type MissedCall } from '../../core/call/missed';
import { resolvePhoneAccount, type AccountStatus } from '../services/phone/account';
import { callWording } from '../services/phone/callWording';
import { PhoneError, type DeviceKind, type Phone, type PhoneDelegate, type QualitySample } from '../services/phone/phone';
import { announceIncoming } from '../services/phone/incomingNotice';
import { createPhoneLine } from '../services/phone/phoneLine';
import { createPhonePrefs } from '../services/phone/phonePrefs';
import type { MissedCallsPort } from '../services/phone/phonePorts';
import { lookUpCaller, onlyOpenTicket, type CustomerDirectory, type ScreenPop, type ScreenPopTicket } from '../services/phone/screenPop';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

/**
 * The softphone's calls as the app sees them, and the agent's actions on them. The phone service
 * (renderer/services/phone) does SIP and media and, in phoneLine.ts, follows sign-in and presence with
 * the account services/phone/account.ts resolves; the rules (wrap-up, outcomes, names) are in
 * core/call/rules.ts; presence belongs to presenceSlice; `sip` is derived (stores/sipStatus.ts).
 *
 *   signed in ──► account ──► configure        presence ≠ offline ──► register, else unregister
 *   call ended after it connected ──► wrap-up (presence after-call) ──► disposition ──► log + note ──► presence back
 */

export type { AccountStatus } from '../services/phone/account';
export type { ScreenPop, ScreenPopTicket } from '../services/phone/screenPop';
export { phoneStorageKeys } from '../services/phone/phonePrefs';

export type CallView = {
  call: Call;
  quality?: QualitySample;
  pop?: ScreenPop;
  /** The ticket the call is about (dialled from it, or chosen in the screen pop); gets the call note. */
  ticketId?: string;
};

export type PhoneErrorView = { code: string; message: string; callId?: CallId };

export type PhoneState = {
  account: AccountStatus;
  registration: RegistrationState;
  /** Live calls and calls in wrap-up, in arrival order. */
  calls: CallView[];
  /** An attended transfer in progress: `originalId` waits on hold while the agent talks to `consultId`. */
  consult: { originalId: CallId; consultId: CallId } | null;
  /**
   * Legs of transfers the agent made. `handedOver`: consult legs of a completed attended transfer (the
   * original leg ends first, which clears `consult`; the consult leg ends only when the target's phone has
   * replaced it, RFC 3891). `transferredHere`: legs the agent transferred; they get a wrap-up.
   */
  transfers: { handedOver: readonly CallId[]; transferredHere: readonly CallId[] };
  overrides: SipAccountOverride;
  devices: Record<DeviceKind, string>;
  /** The second ring (rings together with the ringer): null off, '' the system default output, else a device id. */
  secondRing: string | null;
  lastError: PhoneErrorView | null;
  /** The agent tried to become available with wrap-up still open. */
  wrapUpRequired: boolean;
  /**
   * A tel:/sip: link waiting in the dialer for the agent's click (issue 12 item 9): a link from a page or
   * an email never dials by itself. `seq` tells two requests for the same number apart.
   */
  dialRequest: { target: string; seq: number } | null;
  /** Incoming calls that were not answered, newest first, with why (core/call/missed.ts); kept per user on this computer. */
  missed: MissedCall[];
  /** Missed calls the agent has not looked at yet: the Phone page's badge. */
  missedUnseen: number;
  /** The local call log, newest first (the Phone page's call history); read on demand and after each logged call. */
  history: CallLogEntry[];
};

/** Call log, screen pop and ticket notes: ports onto the user's data (services/phone/phonePorts.ts). */
export type PhoneDeps = {
  createPhone(delegate: PhoneDelegate): Phone;
  callLog?: { put(row: CallLogEntry): Promise<void>; recent?(limit?: number): Promise<CallLogEntry[]> };
  /** The missed-call list (the user's outbox database); without it missed calls live for the session only. */
  missedCalls?: MissedCallsPort;
  customers?: CustomerDirectory;
  /** Adds an internal note to a ticket (a synced mutation); absent until the sync engine is wired. */
  addInternalNote?(ticketId: string, body: string): Promise<void>;
  /** Creates a ticket (a synced mutation) and returns its id and number. */
  createTicket?(input: { subject: string; customerId: string | null }): Promise<{ id: string; number: number | null }>;
};

/** The call log's row shape, as the outbox database stores it. */
export type CallLogEntry = CallRecord;

export type PhoneSlice = {
  phone: PhoneState;
  /** Starts following sign-in, presence and dial links; returns the stop function. */
  startPhone(): () => void;
  dial(target: string, options?: { ticketId?: string; clickAt?: number }): Promise<CallId | null>;
  answerCall(id: CallId): Promise<void>;
  declineCall(id: CallId): Promise<void>;
  hangupCall(id: CallId): Promise<void>;
  toggleHold(id: CallId): Promise<void>;
  toggleMute(id: CallId): void;
  sendDtmf(id: CallId, digits: string): Promise<void>;
  blindTransfer(id: CallId, target: string): Promise<void>;
  startConsult(id: CallId, target: string): Promise<void>;
  completeTransfer(): Promise<void>;
  cancelConsult(): Promise<void>;
  setPhoneDevice(kind: DeviceKind, deviceId: string): Promise<void>;
  /** Rings on one more output too (the speakers while the headset is the ringer); null turns it off. */
  setSecondRing(deviceId: string | null): Promise<void>;
  linkCallTicket(id: CallId, ticketId: string | undefined): void;
  completeWrapUp(id: CallId, disposition: string, note?: string): Promise<void>;
  /** Presence refused "available" because a wrap-up is open: the Phone page says why. */
  requireWrapUp(): void;
  /** Saves Settings overrides (empty strings clear a field) and re-registers with the result. */
  setSipOverrides(overrides: SipAccountOverride, options?: { clearPassword?: boolean }): Promise<void>;
  /** "Create ticket" for a caller: a new ticket linked to the call (needs the sync engine), else the Tickets page. */
  createTicketForCall(id: CallId): Promise<void>;
  clearPhoneError(): void;
  /** Demo mode (embedded phone server): the demo customer line calls this agent (POST /demo/customer-call). */
  callMeAsCustomer(): Promise<void>;
  /** The link's number leaves the dialer without a call (the agent cancelled, or called it). */
  dismissDialRequest(): void;
  /** The agent looked at the missed calls: the badge clears. */
  seeMissedCalls(): void;
  refreshCallHistory(): Promise<void>;
};

/** Where missed calls were kept before issue 15 moved them to the outbox database (imported once, then removed). */
const legacyMissedKey = (userId: string) => `switchboard.missed-calls.${userId}`;

/** What the dialer may call: managed policy plus the agent's own SIP domain (core/dial.ts). */
export const dialPolicyOf = (s: Pick<AppState, 'policy' | 'phone'>): DialPolicy =>
  dialPolicyFrom(s.policy.values, s.phone.account.kind === 'ready' ? s.phone.account.sipUri : null);

const without = (ids: readonly CallId[], id: CallId) => ids.filter((x) => x !== id);

export const createPhoneSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], PhoneSlice> =>
  (set, get, store) => {
    const log = (line: string) => deps.log?.(`[phone] ${line}`);
    const pdeps = deps.phone;
    const prefs = createPhonePrefs(deps.storage, deps.host);

    const patch = (p: Partial<PhoneState>) => set({ phone: { ...get().phone, ...p } });
    const view = (id: CallId) => get().phone.calls.find((c) => c.call.id === id);
    const updateView = (id: CallId, fn: (v: CallView) => CallView | null) => {
      const calls = get().phone.calls.flatMap((v) => (v.call.id === id ? (fn(v) ?? []) : [v]));
      patch({ calls });
    };
    const transfers = (fn: (t: PhoneState['transfers']) => PhoneState['transfers']) => patch({ transfers: fn(get().phone.transfers) });
    const fail = (err: unknown, callId?: CallId) => {
      const e = err instanceof PhoneError ? err : new PhoneError('sip', err instanceof Error ? err.message : String(err), callId);
      log(e.message);
      patch({ lastError: { code: e.code, message: e.message, ...(e.callId ?? callId ? { callId: e.callId ?? callId } : {}) } });
    };

    const hiddenWhileRinging = new Set<CallId>();
    const noteMissed = (call: CallView['call']) => {
      const reason = missedReason(call, { hiddenWhileRinging: hiddenWhileRinging.has(call.id) || deps.isHidden?.() === true });
      hiddenWhileRinging.delete(call.id);
      if (!reason) return;
      const entry = missedCall(call, reason, Date.now());
      log(`[${call.id}] missed (${reason})`);
      // Shown at once; the table (when there is one) is the record that survives a restart.
      patch({ missed: [entry, ...get().phone.missed].slice(0, 50), missedUnseen: get().phone.missedUnseen + 1 });
      pdeps?.missedCalls?.add(entry).catch((e: unknown) => log(`[${call.id}] missed-call write failed: ${String(e)}`));
    };
    /** The signed-in agent's missed calls from earlier sessions on this computer, and how many are unseen. */
    const loadMissed = async (port: MissedCallsPort): Promise<void> => {
      const userId = get().user?.id;
      if (userId) {
        const legacy = deps.storage.getItem(legacyMissedKey(userId));
        if (legacy !== null) {
          const moved = await port.importLegacy(legacy);
          deps.storage.removeItem(legacyMissedKey(userId));
          log(`moved ${moved} missed calls from local storage to the database`);
        }
      }
      const [missed, missedUnseen] = await Promise.all([port.recent(50), port.unseenCount()]);
      patch({ missed, missedUnseen });
    };

    const writeLog = (v: CallView, outcome: string, disposition?: string, note?: string) => {
      const entry = callRecord(v.call, {
        outcome,
        now: Date.now(),
        ...(v.pop?.status === 'found' ? { customerId: v.pop.customer.id } : {}),
        ...(v.ticketId ? { ticketId: v.ticketId } : {}),
        ...(disposition ? { disposition } : {}),
        ...(note ? { note } : {}),
      });
      pdeps?.callLog
        ?.put(entry)
        .then(() => get().refreshCallHistory())
        .catch((e: unknown) => log(`[${v.call.id}] call log write failed: ${String(e)}`));
      return entry;
    };

    const lookUp = (id: CallId, uri: string) => {
      const customers = pdeps?.customers;
      if (!customers) return;
      updateView(id, (v) => ({ ...v, pop: { status: 'looking' } }));
      lookUpCaller(customers, remoteNumber(uri))
        .then((pop) => {
          const only = onlyOpenTicket(pop);
          updateView(id, (v) => ({ ...v, pop, ...(!v.ticketId && only ? { ticketId: only } : {}) }));
        })
        .catch((e: unknown) => {
          log(`[${id}] screen pop lookup failed: ${String(e)}`);
          updateView(id, (v) => ({ ...v, pop: { status: 'unknown' } }));
        });
    };

    const enterWrapUp = (v: CallView) => {
      const r = nextCallState(v.call, { type: 'wrap-up' });
      if (!r.ok) return;
      updateView(v.call.id, (x) => ({ ...x, call: r.call }));
      get().beginWrapUpPresence();
    };

    const delegate: PhoneDelegate = {
      onRegistration(registration) {
        patch({ registration });
      },
      onCallState(id, call) {
        const existing = view(id);
        if (!existing) {
          if (!hasCard(call)) return;
          patch({ calls: [...get().phone.calls, { call }] });
          // An outbound call's screen pop is looked up as it starts, while the browser gathers ICE for the
          // offer (~140 ms here), not once the INVITE is out, where it competed with the far end's answer.
          if (call.direction === 'outbound') lookUp(id, call.remote.uri);
          return;
        }
        const v: CallView = { ...existing, call };
        updateView(id, () => v);
        if (call.state !== 'ended' && call.state !== 'failed') return;
        const { consult, transfers: t } = get().phone;
        const wasConsult = consult?.consultId === id || t.handedOver.includes(id);
        const transferredHere = t.transferredHere.includes(id);
        transfers((x) => ({ handedOver: without(x.handedOver, id), transferredHere: call.endReason?.kind === 'transferred' ? without(x.transferredHere, id) : x.transferredHere }));
        if (consult && (consult.consultId === id || consult.originalId === id)) patch({ consult: null });
        const ending = callEnding(call, { transferredHere, wasConsult });
        if (ending.kind === 'wrap-up') return enterWrapUp(v);
        writeLog(v, ending.outcome);
        noteMissed(call);
        updateView(id, () => null);
      },
      onIncoming(incoming) {
        if (deps.isHidden?.()) hiddenWhileRinging.add(incoming.callId);
        lookUp(incoming.callId, incoming.remote.uri);
        announceIncoming(deps.host, get().locale, incoming, log);
      },
      // Auto-answer only when the agent is there to talk: not on a break, in wrap-up or busy.
      shouldAutoAnswer: () => get().policy.values.AutoAnswer && get().presence === 'available',
      audioProcessing: () => {
        const v = get().policy.values;
        return { echoCancellation: v.EchoCancellation, noiseSuppression: v.NoiseSuppression, autoGainControl: v.AutoGainControl };
      },
      onQuality(id, sample) {
        if (view(id)) updateView(id, (v) => ({ ...v, quality: sample }));
      },
      onError: (e) => fail(e),
      onDeviceFallback(kind) {
        patch({ devices: { ...get().phone.devices, [kind]: '' } });
      },
    };

    const applyDevices = async (p: Phone) => {
      const d = get().phone.devices;
      await Promise.all([
        d.microphone ? p.setMicrophone(d.microphone) : undefined,
        d.speaker ? p.setSpeaker(d.speaker) : undefined,
        d.ringer ? p.setRinger(d.ringer) : undefined,
        get().phone.secondRing !== null ? p.setSecondRinger(get().phone.secondRing) : undefined,
      ]).catch((e: unknown) => fail(e));
    };

    const line = pdeps
      ? createPhoneLine(
          {
            createPhone: pdeps.createPhone,
            wish: () => {
              const { status, user, presence } = get();
              return { userId: status === 'signed-in' && user !== null ? user.id : null, registered: presence !== 'offline' };
            },
            resolveAccount: () => resolvePhoneAccount({ api: deps.api, host: deps.host, overrides: get().phone.overrides, policy: get().policy, userDisplayName: get().user?.displayName }),
            onAccount: (account) => {
              patch({ account });
              const port = pdeps?.missedCalls;
              if (port && get().phone.missed.length === 0) loadMissed(port).catch((e: unknown) => log(`missed calls not loaded: ${String(e)}`));
            },
            liveCalls: () => get().phone.calls.filter((v) => v.call.state !== 'wrap-up').map((v) => v.call.id),
            onSignedOut: () => {
              get().clearWrapUpPresence();
              patch({ account: { kind: 'none' }, registration: { kind: 'unregistered' }, calls: [], consult: null, transfers: { handedOver: [], transferredHere: [] }, lastError: null, wrapUpRequired: false, missed: [], missedUnseen: 0, history: [] });
            },
            onConfigured: applyDevices,
            onError: (e) => fail(e),
            log,
          },
          delegate,
        )
      : null;

    const guarded = async (id: CallId | undefined, fn: (p: Phone) => Promise<unknown> | unknown) => {
      try {
        if (!line) throw new PhoneError('not-configured', 'the phone is not set up');
        await fn(line.phone());
      } catch (e) {
        fail(e, id);
      }
    };

    return {
      phone: {
        account: { kind: 'none' },
        registration: { kind: 'unregistered' },
        calls: [],
        consult: null,
        transfers: { handedOver: [], transferredHere: [] },
        overrides: prefs.overrides(),
        devices: prefs.devices(),
        secondRing: prefs.secondRing(),
        lastError: null,
        missed: [],
        missedUnseen: 0,
        history: [],
        wrapUpRequired: false,
        dialRequest: null,
      },

      startPhone() {
        let prev = { status: get().status, user: get().user?.id, presence: get().presence };
        const unsub = store.subscribe((s) => {
          const next = { status: s.status, user: s.user?.id, presence: s.presence };
          if (next.status !== prev.status || next.user !== prev.user || next.presence !== prev.presence) {
            prev = next;
            line?.reconcile();
          }
        });
        // A link fills the dialer and asks; only the agent's click on the Phone page dials it.
        const unDial = deps.host.on('app:dial-request', (req) => {
          get().goTo('phone');
          patch({ dialRequest: { target: req.target, seq: (get().phone.dialRequest?.seq ?? 0) + 1 } });
        });
        const unResume = deps.host.on('power:resumed', () => line?.resumed());
        // The incoming call's OS notification was clicked: answer the call that is ringing (the newest).
        const unNotice = deps.host.on('notice:activated', ({ tag }) => {
          if (tag !== 'incoming-call') return;
          const ringing = get().phone.calls.filter((v) => v.call.state === 'ringing-in').at(-1);
          if (ringing) void get().answerCall(ringing.call.id);
        });
        line?.reconcile();
        return () => {
          unsub();
          unDial();
          unResume();
          unNotice();
          void line?.reset();
        };
      },

      async dial(target, options) {
        const clickAt = options?.clickAt ?? performance.timeOrigin + performance.now();
        // The dialer shows why before the agent can click; this holds for every other way a call starts.
        const verdict = checkDialTarget(target, dialPolicyOf(get()));
        if (!verdict.ok) {
          fail(new PhoneError('bad-target', `dialing ${target} is refused by policy (${verdict.refusal.code})`));
          return null;
        }
        try {
          if (!line) throw new PhoneError('not-configured', 'the phone is not set up');
          const id = await line.phone().dial(target, { clickAt });
          if (options?.ticketId) updateView(id, (v) => ({ ...v, ticketId: options.ticketId }));
          patch({ lastError: null });
          return id;
        } catch (e) {
          fail(e);
          return null;
        }
      },
      async refreshCallHistory() {
        const history = (await pdeps?.callLog?.recent?.(100).catch(() => null)) ?? null;
        if (history) patch({ history });
      },
      seeMissedCalls() {
        if (get().phone.missedUnseen === 0) return;
        patch({ missedUnseen: 0 });
        pdeps?.missedCalls?.markAllSeen().catch((e: unknown) => log(`missed calls not marked seen: ${String(e)}`));
      },
      async callMeAsCustomer() {
        try {
          await deps.api.postJson('/demo/customer-call', {});
          patch({ lastError: null });
        } catch (e) {
          fail(new PhoneError('sip', `demo customer line: ${e instanceof Error ? e.message : String(e)}`));
        }
      },
      answerCall: (id) => guarded(id, (p) => p.answer(id)),
      declineCall: (id) => guarded(id, (p) => p.decline(id)),
      hangupCall: (id) => guarded(id, (p) => p.hangup(id)),
      toggleHold: (id) => guarded(id, (p) => (view(id)?.call.onHold ? p.resume(id) : p.hold(id))),
      toggleMute(id) {
        void guarded(id, (p) => (view(id)?.call.muted ? p.unmute(id) : p.mute(id)));
      },
      sendDtmf: (id, digits) => guarded(id, (p) => p.sendDtmf(id, digits)),
      blindTransfer: (id, target) =>
        guarded(id, async (p) => {
          transfers((t) => ({ ...t, transferredHere: [...t.transferredHere, id] }));
          try {
            await p.blindTransfer(id, target);
          } catch (e) {
            transfers((t) => ({ ...t, transferredHere: without(t.transferredHere, id) }));
            throw e;
          }
        }),
      startConsult: (id, target) =>
        guarded(id, async (p) => {
          const consultId = await p.startConsult(id, target);
          patch({ consult: { originalId: id, consultId } });
        }),
      completeTransfer: () =>
        guarded(undefined, async (p) => {
          const c = get().phone.consult;
          if (!c) throw new PhoneError('illegal-state', 'no consultation in progress');
          transfers((t) => ({ handedOver: [...t.handedOver, c.consultId], transferredHere: [...t.transferredHere, c.originalId] }));
          try {
            await p.completeTransfer(c.originalId, c.consultId);
          } catch (e) {
            transfers((t) => ({ handedOver: without(t.handedOver, c.consultId), transferredHere: without(t.transferredHere, c.originalId) }));
            throw e;
          }
        }),
      cancelConsult: () =>
        guarded(undefined, async (p) => {
          const c = get().phone.consult;
          if (!c) return;
          patch({ consult: null });
          if (view(c.consultId)) await p.hangup(c.consultId);
          if (view(c.originalId)?.call.state === 'held') await p.resume(c.originalId);
        }),

      async setPhoneDevice(kind, deviceId) {
        const next = { ...get().phone.devices, [kind]: deviceId };
        patch({ devices: next });
        prefs.saveDevices(next);
        const p = line?.current();
        if (!p) return;
        await guarded(undefined, () => (kind === 'microphone' ? p.setMicrophone(deviceId) : kind === 'speaker' ? p.setSpeaker(deviceId) : p.setRinger(deviceId)));
      },

      async setSecondRing(deviceId) {
        patch({ secondRing: deviceId });
        prefs.saveSecondRing(deviceId);
        const p = line?.current();
        if (!p) return;
        await guarded(undefined, () => p.setSecondRinger(deviceId));
      },

      linkCallTicket(id, ticketId) {
        updateView(id, (v) => {
          const { ticketId: _old, ...rest } = v;
          return ticketId ? { ...rest, ticketId } : rest;
        });
      },

      async completeWrapUp(id, disposition, note) {
        const v = view(id);
        if (!v) return;
        const r = nextCallState(v.call, { type: 'dispose', disposition });
        if (!r.ok) return fail(new PhoneError('illegal-state', 'choose a disposition to finish wrap-up', id));
        const done = { ...v, call: r.call };
        const entry = writeLog(done, 'answered', r.call.disposition, note?.trim() || undefined);
        if (v.ticketId && pdeps?.addInternalNote) {
          const who = v.pop?.status === 'found' ? v.pop.customer.name : (v.call.remote.displayName ?? entry.remote);
          const body = callWording.ticketNote(get().locale, { who, durationMs: entry.durationMs, disposition, note: entry.note });
          await pdeps.addInternalNote(v.ticketId, body).catch((e: unknown) => fail(new PhoneError('sip', `ticket note not saved: ${String(e)}`, id)));
        }
        updateView(id, () => null);
        if (!get().phone.calls.some((c) => c.call.state === 'wrap-up')) {
          patch({ wrapUpRequired: false });
          get().endWrapUpPresence();
        }
      },

      requireWrapUp: () => patch({ wrapUpRequired: true }),

      async createTicketForCall(id) {
        const v = view(id);
        if (!v) return;
        if (!pdeps?.createTicket) {
          get().goTo('tickets');
          return;
        }
        const customer = v.pop?.status === 'found' ? v.pop.customer : null;
        const who = customer?.name ?? v.call.remote.displayName ?? remoteNumber(v.call.remote.uri);
        try {
          const created = await pdeps.createTicket({ subject: callWording.ticketSubject(get().locale, who), customerId: customer?.id ?? null });
          const ticket: ScreenPopTicket = { id: created.id, number: created.number, subject: who, status: 'new' };
          updateView(id, (x) => ({
            ...x,
            ticketId: created.id,
            pop: x.pop?.status === 'found' ? { ...x.pop, tickets: [ticket, ...x.pop.tickets] } : x.pop,
          }));
        } catch (e) {
          fail(new PhoneError('sip', `ticket not created: ${e instanceof Error ? e.message : String(e)}`, id));
        }
      },

      async setSipOverrides(raw, options) {
        const overrides = await prefs.saveOverrides(raw, options);
        patch({ overrides });
        if (get().phone.calls.some((v) => v.call.state !== 'wrap-up')) return; // applied after the call
        // dispose() un-REGISTERs the old binding itself; a second un-REGISTER would overlap it (RFC 3261 §10.2).
        await line?.reset();
        patch({ registration: { kind: 'unregistered' } });
        line?.reconcile();
      },

      clearPhoneError: () => patch({ lastError: null }),
      dismissDialRequest: () => patch({ dialRequest: null }),
    };
  };
