import type { StateCreator, StoreApi } from 'zustand';
import { nextCallState, type Call, type CallId } from '../../core/call/callMachine';
import type { RegistrationState } from '../../core/call/registration';
import { checkDialTarget, dialPolicyFrom, type DialPolicy } from '../../core/dial';
import { applyIcePolicy } from '../../core/policy/ice';
import { applySipPolicy } from '../../core/policy/sip';
import type { Presence } from '../../core/presence';
import { SipAccountOverride, type SipAccount } from '../../core/wire/sip';
import { ApiError } from '../services/api/api';
import { PhoneError, type DeviceKind, type Phone, type PhoneAccount, type PhoneDelegate, type QualitySample } from '../services/phone/phone';
import type { CallLogRow } from '../services/db/rows';
import type { AppState } from './appStore';
import type { SipStatus, SipState } from './connectivitySlice';
import type { StoreDeps } from './deps';

/**
 * The softphone as the app sees it: which account, whether it is registered, the calls and the
 * agent's after-call work. The phone service (renderer/services/phone) does SIP and media; this slice
 * decides *when* (register while signed in and not offline, unregister otherwise), keeps what the UI
 * shows, writes the call log and the ticket note, and mirrors registration into the status bar.
 *
 *   signed in ──► GET /me/sip-account (+ Settings overrides) ──► configure
 *        presence ≠ offline ──► register          presence = offline / sign-out ──► unregister
 *   call ended after it connected ──► wrap-up (presence after-call) ──► disposition ──► log + note ──► presence back
 */

export type ScreenPopTicket = { id: string; number: number | null; subject: string; status: string };
export type ScreenPop =
  | { status: 'looking' }
  | { status: 'found'; customer: { id: string; name: string; phone?: string | null }; tickets: ScreenPopTicket[] }
  | { status: 'unknown' };

export type CallView = {
  call: Call;
  quality?: QualitySample;
  pop?: ScreenPop;
  /** The ticket the call is about (dialled from it, or chosen in the screen pop); gets the call note. */
  ticketId?: string;
};

export type AccountStatus =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'ready'; source: 'server' | 'override'; wsUri: string; sipUri: string; authUser: string }
  /** The server provisioned no softphone account for this user, and no override fills the gap. */
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

export type PhoneErrorView = { code: string; message: string; callId?: CallId };

export type PhoneState = {
  account: AccountStatus;
  registration: RegistrationState;
  /** Live calls and calls in wrap-up, in arrival order. */
  calls: CallView[];
  /** An attended transfer in progress: `originalId` waits on hold while the agent talks to `consultId`. */
  consult: { originalId: CallId; consultId: CallId } | null;
  overrides: SipAccountOverride;
  devices: Record<DeviceKind, string>;
  lastError: PhoneErrorView | null;
  /** The agent tried to become available with wrap-up still open. */
  wrapUpRequired: boolean;
  /**
   * A tel:/sip: link waiting in the dialer for the agent's click (issue 12 item 9): a link from a page or
   * an email never dials by itself. `seq` tells two requests for the same number apart.
   */
  dialRequest: { target: string; seq: number } | null;
};

/** Call log, screen pop and ticket notes: ports onto Dexie and the sync engine, wired in main.tsx. */
export type PhoneDeps = {
  createPhone(delegate: PhoneDelegate): Phone;
  callLog?: { put(row: CallLogEntry): Promise<void> };
  customers?: {
    byPhone(number: string): Promise<{ id: string; name: string; phone?: string | null } | undefined>;
    openTickets(customerId: string): Promise<ScreenPopTicket[]>;
  };
  /** Adds an internal note to a ticket (a synced mutation); absent until the sync engine is wired. */
  addInternalNote?(ticketId: string, body: string): Promise<void>;
  /** Creates a ticket (a synced mutation) and returns its id and number. */
  createTicket?(input: { subject: string; customerId: string | null }): Promise<{ id: string; number: number | null }>;
};

/** The call log's row shape, as the outbox database stores it. */
export type CallLogEntry = CallLogRow;

export const dispositions = ['resolved', 'follow-up', 'callback', 'escalated', 'wrong-number', 'no-action'] as const;
export type Disposition = (typeof dispositions)[number];

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
  linkCallTicket(id: CallId, ticketId: string | undefined): void;
  completeWrapUp(id: CallId, disposition: string, note?: string): Promise<void>;
  /** Saves Settings overrides (empty strings clear a field) and re-registers with the result. */
  setSipOverrides(overrides: SipAccountOverride, options?: { clearPassword?: boolean }): Promise<void>;
  /** Shows a ticket from the screen pop. */
  openTicketFromCall(ticketId: string): void;
  /** "Create ticket" for a caller: a new ticket linked to the call (needs the sync engine), else the Tickets page. */
  createTicketForCall(id: CallId): Promise<void>;
  clearPhoneError(): void;
  /** The link's number leaves the dialer without a call (the agent cancelled, or called it). */
  dismissDialRequest(): void;
};

/** What the dialer may call: managed policy plus the agent's own SIP domain (core/dial.ts). */
export const dialPolicyOf = (s: Pick<AppState, 'policy' | 'phone'>): DialPolicy =>
  dialPolicyFrom(s.policy.values, s.phone.account.kind === 'ready' ? s.phone.account.sipUri : null);

export const phoneStorageKeys = { overrides: 'switchboard.sip-override', devices: 'switchboard.phone-devices' } as const;

const liveOrWrapUp = new Set<Call['state']>(['dialing', 'ringing-in', 'early', 'established', 'held', 'ending', 'wrap-up']);
const noDevices: Record<DeviceKind, string> = { microphone: '', speaker: '', ringer: '' };

/** The digits of a caller: `sip:+86138…@pbx` → `+86138…`; a SIP URI without a number stays a URI. */
export function remoteNumber(uri: string): string {
  const user = /^sips?:([^@;]+)@/i.exec(uri)?.[1];
  return user ? decodeURIComponent(user) : uri;
}

const remoteLabelText = (v: CallView): string => v.call.remote.displayName ?? remoteNumber(v.call.remote.uri);

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function sipStatusOf(reg: RegistrationState, account: AccountStatus, presence: Presence): SipStatus {
  const state: SipState = reg.kind;
  if (reg.kind === 'failed') return { state, reason: reg.reason.code };
  if (reg.kind === 'reconnecting') return { state, reason: reg.reason.code };
  if (reg.kind !== 'unregistered') return { state, reason: null };
  if (account.kind === 'missing') return { state, reason: 'no-account' };
  if (account.kind === 'error') return { state, reason: 'account-error' };
  if (account.kind === 'none') return { state, reason: 'no-phone' };
  return { state, reason: presence === 'offline' ? 'presence-offline' : null };
}

function readJson(deps: StoreDeps, key: string): unknown {
  try {
    return JSON.parse(deps.storage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

export const createPhoneSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], PhoneSlice> =>
  (set, get, store: StoreApi<AppState>) => {
    const log = (line: string) => deps.log?.(`[phone] ${line}`);
    const pdeps = deps.phone;
    const savedOverrides = SipAccountOverride.safeParse(readJson(deps, phoneStorageKeys.overrides));
    const savedDevices = readJson(deps, phoneStorageKeys.devices) as Partial<Record<DeviceKind, unknown>> | null;
    const devices = { ...noDevices };
    for (const k of Object.keys(noDevices) as DeviceKind[]) if (typeof savedDevices?.[k] === 'string') devices[k] = savedDevices[k];

    let phone: Phone | null = null;
    /** Which user (and override generation) the current phone was configured for. */
    let configuredFor: string | null = null;
    let loading: Promise<void> | null = null;
    let registerWanted = false;
    /** The presence to return to after wrap-up. */
    let presenceBeforeWrapUp: Presence | null = null;
    /**
     * Consult legs of a transfer the agent completed. The original leg ends first (our REFER, then BYE), which
     * clears `consult`; the consult leg ends only later, when the target's phone has replaced it (RFC 3891).
     */
    const handedOver = new Set<CallId>();
    /** Calls the agent transferred (blind, or the original leg of an attended transfer): they get a wrap-up. */
    const transferredHere = new Set<CallId>();

    const patch = (p: Partial<PhoneState>) => set({ phone: { ...get().phone, ...p } });
    const view = (id: CallId) => get().phone.calls.find((c) => c.call.id === id);
    const updateView = (id: CallId, fn: (v: CallView) => CallView | null) => {
      const calls = get().phone.calls.flatMap((v) => (v.call.id === id ? (fn(v) ?? []) : [v]));
      patch({ calls });
    };
    const fail = (err: unknown, callId?: CallId) => {
      const e = err instanceof PhoneError ? err : new PhoneError('sip', err instanceof Error ? err.message : String(err), callId);
      log(e.message);
      patch({ lastError: { code: e.code, message: e.message, ...(e.callId ?? callId ? { callId: e.callId ?? callId } : {}) } });
    };
    const mirrorSip = () => {
      const { phone: p, presence } = get();
      const next = sipStatusOf(p.registration, p.account, presence);
      const cur = get().sip;
      if (cur.state !== next.state || cur.reason !== next.reason) get().setSip(next);
    };

    const writeLog = (v: CallView, outcome: string, disposition?: string, note?: string) => {
      const c = v.call;
      const started = c.marks.clickAt ?? c.marks.inviteAt ?? Date.now();
      const durationMs = c.marks.establishedAt !== undefined ? (c.marks.endedAt ?? Date.now()) - c.marks.establishedAt : 0;
      const entry: CallLogEntry = {
        id: c.id,
        direction: c.direction,
        remote: remoteNumber(c.remote.uri),
        startedAt: Math.round(started),
        durationMs: Math.round(durationMs),
        outcome,
        ...(c.remote.displayName ? { remoteName: c.remote.displayName } : {}),
        ...(v.pop?.status === 'found' ? { customerId: v.pop.customer.id } : {}),
        ...(v.ticketId ? { ticketId: v.ticketId } : {}),
        ...(disposition ? { disposition } : {}),
        ...(note ? { note } : {}),
      };
      pdeps?.callLog?.put(entry).catch((e: unknown) => log(`[${c.id}] call log write failed: ${String(e)}`));
      return entry;
    };

    const lookUp = (id: CallId, uri: string) => {
      const customers = pdeps?.customers;
      if (!customers) return;
      const number = remoteNumber(uri);
      updateView(id, (v) => ({ ...v, pop: { status: 'looking' } }));
      customers
        .byPhone(number)
        .then(async (customer) => {
          const pop: ScreenPop = customer ? { status: 'found', customer, tickets: await customers.openTickets(customer.id) } : { status: 'unknown' };
          updateView(id, (v) => ({ ...v, pop, ...(pop.status === 'found' && !v.ticketId && pop.tickets.length === 1 ? { ticketId: pop.tickets[0]!.id } : {}) }));
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
      const presence = get().presence;
      if (presence !== 'after-call') {
        presenceBeforeWrapUp = presence;
        get().setPresence('after-call');
      }
    };

    const delegate: PhoneDelegate = {
      onRegistration(registration) {
        patch({ registration });
        mirrorSip();
      },
      onCallState(id, call) {
        const existing = view(id);
        if (!existing) {
          if (!liveOrWrapUp.has(call.state)) return;
          patch({ calls: [...get().phone.calls, { call }] });
          // An outbound call's screen pop is looked up as it starts, while the browser gathers ICE for the
          // offer (~140 ms here), not once the INVITE is out, where it competed with the far end's answer.
          if (call.direction === 'outbound') lookUp(id, call.remote.uri);
          return;
        }
        const v: CallView = { ...existing, call };
        updateView(id, () => v);
        if (call.state !== 'ended' && call.state !== 'failed') return;
        const consult = get().phone.consult;
        const wasConsult = consult?.consultId === id || handedOver.delete(id);
        if (consult && (consult.consultId === id || consult.originalId === id)) patch({ consult: null });
        const connected = call.marks.establishedAt !== undefined;
        // A leg that ends "transferred" without the agent transferring it goes on in another call here: the
        // consult leg of the agent's completed transfer, a leg the far end's INVITE with Replaces took over
        // (we were the target), or one whose REFER we followed. That call gets the wrap-up; this one is logged.
        const continued = call.endReason?.kind === 'transferred' && !transferredHere.delete(id);
        if (connected && !continued) return enterWrapUp(v);
        const reason = call.endReason?.kind ?? 'failed';
        const outcome = connected ? (wasConsult ? 'consult' : reason) : call.direction === 'inbound' && reason === 'remote-hangup' ? 'missed' : reason;
        writeLog(v, outcome);
        updateView(id, () => null);
      },
      onIncoming(incoming) {
        const { remote, callId } = incoming;
        lookUp(callId, remote.uri);
        const who = remote.displayName ? `${remote.displayName} (${remoteNumber(remote.uri)})` : remoteNumber(remote.uri);
        const title = deps.translate(get().locale, incoming.autoAnswered ? 'phone.autoAnswered.title' : 'phone.incoming.title');
        deps.host.notify({ title, body: who.slice(0, 1000), tag: 'incoming-call' }).catch((e: unknown) => log(`notify failed: ${String(e)}`));
        deps.host.bringToFront().catch((e: unknown) => log(`bringToFront failed: ${String(e)}`));
      },
      // Auto-answer only when the agent is there to talk: not on a break, in wrap-up or busy.
      shouldAutoAnswer: () => get().policy.values.AutoAnswer && get().presence === 'available',
      onQuality(id, sample) {
        if (view(id)) updateView(id, (v) => ({ ...v, quality: sample }));
      },
      onError: (e) => fail(e),
      onDeviceFallback(kind) {
        patch({ devices: { ...get().phone.devices, [kind]: '' } });
      },
    };

    /** Each phone gets a delegate that goes quiet once the phone is replaced: a disposed phone's late
     *  events (its un-REGISTER failing, a refresh timer) must not overwrite the new phone's state. */
    let generation = 0;
    const delegateFor = (gen: number): PhoneDelegate => {
      const live = () => gen === generation;
      return {
        onRegistration: (s) => live() && delegate.onRegistration(s),
        onCallState: (id, c) => live() && delegate.onCallState(id, c),
        onIncoming: (c) => live() && delegate.onIncoming(c),
        shouldAutoAnswer: (c) => live() && delegate.shouldAutoAnswer!(c),
        onQuality: (id, q) => live() && delegate.onQuality(id, q),
        onError: (e) => live() && delegate.onError(e),
        onDeviceFallback: (k, id) => live() && delegate.onDeviceFallback?.(k, id),
      };
    };

    const disposePhone = async () => {
      const p = phone;
      phone = null;
      generation += 1;
      configuredFor = null;
      registerWanted = false;
      if (p) await p.dispose().catch((e: unknown) => log(`dispose failed: ${String(e)}`));
    };

    const applyDevices = async (p: Phone) => {
      const d = get().phone.devices;
      await Promise.all([
        d.microphone ? p.setMicrophone(d.microphone) : undefined,
        d.speaker ? p.setSpeaker(d.speaker) : undefined,
        d.ringer ? p.setRinger(d.ringer) : undefined,
      ]).catch((e: unknown) => fail(e));
    };

    const resolveAccount = async (): Promise<PhoneAccount | null> => {
      const user = get().user;
      const o = get().phone.overrides;
      const password = o.password ?? (await deps.host.getSecret('sip.password').catch(() => null)) ?? undefined;
      let server: SipAccount | null = null;
      try {
        server = await deps.api.sipAccount();
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      // Managed SIP endpoint and TURN policies (core/policy) apply over the server's account and the override.
      const merged = { ...server, ...o, ...(password ? { password } : {}), ...applySipPolicy({ ...server, ...o }, o, get().policy) };
      if (!merged.wsUri || !merged.sipUri || !merged.authUser || !merged.password) {
        patch({ account: { kind: 'missing' } });
        return null;
      }
      const overridden = Object.keys(o).length > 0 || password !== undefined;
      patch({ account: { kind: 'ready', source: overridden ? 'override' : 'server', wsUri: merged.wsUri, sipUri: merged.sipUri, authUser: merged.authUser } });
      return {
        wsUri: merged.wsUri,
        sipUri: merged.sipUri,
        authUser: merged.authUser,
        password: merged.password,
        displayName: server?.displayName ?? user?.displayName ?? '',
        ...applyIcePolicy(server?.iceServers ?? [], get().policy.values),
      };
    };

    /** Brings the phone in line with sign-in and presence; safe to call on every store change. */
    const reconcile = () => {
      if (!pdeps) return;
      const { status, user, presence } = get();
      const signedIn = status === 'signed-in' && user !== null;
      if (!signedIn) {
        if (phone || configuredFor) {
          for (const v of get().phone.calls) if (v.call.state !== 'wrap-up') void phone?.hangup(v.call.id).catch(() => undefined);
          void (async () => {
            await phone?.unregister().catch(() => undefined);
            await disposePhone();
          })();
          presenceBeforeWrapUp = null;
          patch({ account: { kind: 'none' }, registration: { kind: 'unregistered' }, calls: [], consult: null, lastError: null, wrapUpRequired: false });
          mirrorSip();
        }
        return;
      }
      if (configuredFor !== user.id && !loading) {
        configuredFor = user.id;
        patch({ account: { kind: 'loading' } });
        loading = (async () => {
          try {
            const account = await resolveAccount();
            if (!account || configuredFor !== user.id) return;
            const p = pdeps.createPhone(delegateFor(generation));
            try {
              p.configure(account);
            } catch (e) {
              await p.dispose();
              throw e;
            }
            phone = p;
            await applyDevices(p);
          } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            log(`account: ${message}`);
            patch({ account: { kind: 'error', message } });
          }
        })().finally(() => {
          loading = null;
          mirrorSip();
          reconcile();
        });
        mirrorSip();
        return;
      }
      if (!phone) return;
      const want = presence !== 'offline';
      if (want && !registerWanted) {
        registerWanted = true;
        phone.register().catch((e: unknown) => fail(e));
      } else if (!want && registerWanted) {
        registerWanted = false;
        phone.unregister().catch((e: unknown) => fail(e));
      }
      mirrorSip();
    };

    const withPhone = (): Phone => {
      if (!phone) throw new PhoneError('not-configured', 'the phone is not set up');
      return phone;
    };
    const guarded = async (id: CallId | undefined, fn: (p: Phone) => Promise<unknown> | unknown) => {
      try {
        await fn(withPhone());
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
        overrides: savedOverrides.success && savedOverrides.data ? savedOverrides.data : {},
        devices,
        lastError: null,
        wrapUpRequired: false,
        dialRequest: null,
      },

      startPhone() {
        let prev = { status: get().status, user: get().user?.id, presence: get().presence };
        const unsub = store.subscribe((s) => {
          const next = { status: s.status, user: s.user?.id, presence: s.presence };
          // Leaving wrap-up takes a disposition: "available" while one is open goes back to after-call.
          if (next.presence === 'available' && prev.presence !== 'available' && s.phone.calls.some((v) => v.call.state === 'wrap-up')) {
            prev = { ...next, presence: 'after-call' };
            s.setPresence('after-call');
            patch({ wrapUpRequired: true });
            return;
          }
          if (next.status !== prev.status || next.user !== prev.user || next.presence !== prev.presence) {
            prev = next;
            reconcile();
          }
        });
        // A link fills the dialer and asks; only the agent's click on the Phone page dials it.
        const unDial = deps.host.on('app:dial-request', (req) => {
          get().goTo('phone');
          patch({ dialRequest: { target: req.target, seq: (get().phone.dialRequest?.seq ?? 0) + 1 } });
        });
        const unResume = deps.host.on('power:resumed', () => phone?.resumed());
        reconcile();
        return () => {
          unsub();
          unDial();
          unResume();
          void disposePhone();
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
          const id = await withPhone().dial(target, { clickAt });
          if (options?.ticketId) updateView(id, (v) => ({ ...v, ticketId: options.ticketId }));
          patch({ lastError: null });
          return id;
        } catch (e) {
          fail(e);
          return null;
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
          transferredHere.add(id);
          try {
            await p.blindTransfer(id, target);
          } catch (e) {
            transferredHere.delete(id);
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
          handedOver.add(c.consultId);
          transferredHere.add(c.originalId);
          try {
            await p.completeTransfer(c.originalId, c.consultId);
          } catch (e) {
            handedOver.delete(c.consultId);
            transferredHere.delete(c.originalId);
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
        deps.storage.setItem(phoneStorageKeys.devices, JSON.stringify(next));
        if (!phone) return;
        const p = phone;
        await guarded(undefined, () => (kind === 'microphone' ? p.setMicrophone(deviceId) : kind === 'speaker' ? p.setSpeaker(deviceId) : p.setRinger(deviceId)));
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
          const locale = get().locale;
          const who = v.pop?.status === 'found' ? v.pop.customer.name : (v.call.remote.displayName ?? entry.remote);
          const body = [
            deps.translate(locale, 'phone.note.body', {
              who,
              duration: formatDuration(entry.durationMs),
              disposition: (dispositions as readonly string[]).includes(disposition) ? deps.translate(locale, `phone.disposition.${disposition as Disposition}`) : disposition,
            }),
            entry.note ?? '',
          ]
            .filter(Boolean)
            .join('\n\n');
          await pdeps.addInternalNote(v.ticketId, body).catch((e: unknown) => fail(new PhoneError('sip', `ticket note not saved: ${String(e)}`, id)));
        }
        updateView(id, () => null);
        if (!get().phone.calls.some((c) => c.call.state === 'wrap-up')) {
          patch({ wrapUpRequired: false });
          if (get().presence === 'after-call') get().setPresence(presenceBeforeWrapUp ?? 'available');
          presenceBeforeWrapUp = null;
        }
      },

      openTicketFromCall(ticketId) {
        get().selectTicket(ticketId);
        get().goTo('tickets');
      },

      async createTicketForCall(id) {
        const v = view(id);
        if (!v) return;
        if (!pdeps?.createTicket) {
          get().goTo('tickets');
          return;
        }
        const customer = v.pop?.status === 'found' ? v.pop.customer : null;
        const who = customer?.name ?? remoteLabelText(v);
        try {
          const created = await pdeps.createTicket({ subject: deps.translate(get().locale, 'phone.ticket.subject', { who }), customerId: customer?.id ?? null });
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
        const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
        const parsed = SipAccountOverride.parse(cleaned);
        const { password, ...rest } = parsed;
        // The password goes to the host's secure storage, never to localStorage.
        if (password) await deps.host.setSecret('sip.password', password);
        else if (options?.clearPassword) await deps.host.deleteSecret('sip.password');
        deps.storage.setItem(phoneStorageKeys.overrides, JSON.stringify(rest));
        patch({ overrides: rest });
        if (get().phone.calls.some((v) => v.call.state !== 'wrap-up')) return; // applied after the call
        // dispose() un-REGISTERs the old binding itself; a second un-REGISTER would overlap it (RFC 3261 §10.2).
        await disposePhone();
        patch({ registration: { kind: 'unregistered' } });
        reconcile();
      },

      clearPhoneError: () => patch({ lastError: null }),
      dismissDialRequest: () => patch({ dialRequest: null }),
    };
  };
