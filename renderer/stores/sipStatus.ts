import type { StateCreator } from 'zustand';
import type { RegistrationState } from '../../core/call/registration';
import type { Presence } from '../../core/presence';
import type { AccountStatus } from '../services/phone/account';
import type { AppState } from './appStore';
import type { SipState, SipStatus } from './connectivitySlice';

/** What the status bar says of the phone: the registration, and why it is not registered. */
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

const sameSip = (a: SipStatus, b: SipStatus) => a.state === b.state && a.reason === b.reason;

/**
 * `sip` has one writer: this wrapper derives it from the registration, the account and presence in
 * the same `set` that changed them, so no slice copies it by hand and no reader sees the two disagree.
 * It stays a field (not only a selector) so the reference is stable for subscribers.
 */
export const withDerivedSip =
  (creator: StateCreator<AppState>): StateCreator<AppState> =>
  (set, get, api) => {
    const derive = (s: AppState): Partial<AppState> => {
      const sip = sipStatusOf(s.phone.registration, s.phone.account, s.presence);
      return sameSip(sip, s.sip) ? {} : { sip };
    };
    const derivedSet: typeof set = (partial, replace) => {
      const patch = typeof partial === 'function' ? partial(get()) : partial;
      const next = { ...get(), ...patch } as AppState;
      const withSip = { ...patch, ...derive(next) };
      if (replace === true) set(withSip as AppState, true);
      else set(withSip);
    };
    api.setState = derivedSet;
    return creator(derivedSet, get, api);
  };
