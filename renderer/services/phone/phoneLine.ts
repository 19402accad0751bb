import { defaultAudioProcessing } from '../../../core/call/audioProcessing';
import type { AccountStatus, ResolvedAccount } from './account';
import { PhoneError, type Phone, type PhoneDelegate } from './phone';

/**
 * The phone's life over a user session: one `Phone` per signed-in user (and per change of account),
 * registered while the agent wants to be reachable. The store says what it wants (`wish`); `reconcile`
 * brings the phone in line and is safe to call on every store change.
 *
 *   signed in ──► resolve the account ──► create + configure ──► register while wanted
 *   wanted = false ──► unregister          signed out ──► hang up, unregister, dispose
 *
 * Each phone gets a delegate that goes quiet once the phone is replaced: a disposed phone's late
 * events (its un-REGISTER failing, a refresh timer) must not overwrite the new phone's state.
 */
export type LineWish = { userId: string | null; registered: boolean };

export type PhoneLineDeps = {
  createPhone(delegate: PhoneDelegate): Phone;
  /** What the store wants now. */
  wish(): LineWish;
  resolveAccount(): Promise<ResolvedAccount>;
  onAccount(status: AccountStatus): void;
  /** Calls still live at sign-out, to hang up before the phone goes. */
  liveCalls(): readonly string[];
  /** The user signed out: the store forgets the phone's state. */
  onSignedOut(): void;
  /** A new phone is configured: apply the agent's devices. */
  onConfigured(phone: Phone): Promise<void>;
  onError(error: unknown): void;
  log(line: string): void;
};

export type PhoneLine = {
  reconcile(): void;
  /** The configured phone; throws `not-configured` without one. */
  phone(): Phone;
  current(): Phone | null;
  /** Disposes the phone (its dispose un-REGISTERs); the next reconcile sets up a new one. */
  reset(): Promise<void>;
  resumed(): void;
};

export function createPhoneLine(deps: PhoneLineDeps, delegate: PhoneDelegate): PhoneLine {
  let phone: Phone | null = null;
  /** Which user the current phone was configured for. */
  let configuredFor: string | null = null;
  let loading: Promise<void> | null = null;
  let registerWanted = false;
  let generation = 0;

  const delegateFor = (gen: number): PhoneDelegate => {
    const live = () => gen === generation;
    return {
      onRegistration: (s) => live() && delegate.onRegistration(s),
      onCallState: (id, c) => live() && delegate.onCallState(id, c),
      onIncoming: (c) => live() && delegate.onIncoming(c),
      shouldAutoAnswer: (c) => live() && delegate.shouldAutoAnswer!(c),
      audioProcessing: () => delegate.audioProcessing?.() ?? defaultAudioProcessing,
      onQuality: (id, q) => live() && delegate.onQuality(id, q),
      onError: (e) => live() && delegate.onError(e),
      onDeviceFallback: (k, id) => live() && delegate.onDeviceFallback?.(k, id),
    };
  };

  const reset = async () => {
    const p = phone;
    phone = null;
    generation += 1;
    configuredFor = null;
    registerWanted = false;
    if (p) await p.dispose().catch((e: unknown) => deps.log(`dispose failed: ${String(e)}`));
  };

  const reconcile = () => {
    const { userId, registered } = deps.wish();
    if (userId === null) {
      if (phone || configuredFor) {
        for (const id of deps.liveCalls()) void phone?.hangup(id).catch(() => undefined);
        const p = phone;
        void (async () => {
          await p?.unregister().catch(() => undefined);
          await reset();
        })();
        deps.onSignedOut();
      }
      return;
    }
    if (configuredFor !== userId && !loading) {
      configuredFor = userId;
      deps.onAccount({ kind: 'loading' });
      loading = (async () => {
        try {
          const { status, account } = await deps.resolveAccount();
          deps.onAccount(status);
          if (!account || configuredFor !== userId) return;
          const p = deps.createPhone(delegateFor(generation));
          try {
            p.configure(account);
          } catch (e) {
            await p.dispose();
            throw e;
          }
          phone = p;
          await deps.onConfigured(p);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          deps.log(`account: ${message}`);
          deps.onAccount({ kind: 'error', message });
        }
      })().finally(() => {
        loading = null;
        reconcile();
      });
      return;
    }
    if (!phone) return;
    if (registered && !registerWanted) {
      registerWanted = true;
      phone.register().catch((e: unknown) => deps.onError(e));
    } else if (!registered && registerWanted) {
      registerWanted = false;
      phone.unregister().catch((e: unknown) => deps.onError(e));
    }
  };

  return {
    reconcile,
    phone() {
      if (!phone) throw new PhoneError('not-configured', 'the phone is not set up');
      return phone;
    },
    current: () => phone,
    reset,
    resumed: () => phone?.resumed(),
  };
}
