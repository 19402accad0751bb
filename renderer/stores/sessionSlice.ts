import type { StateCreator } from 'zustand';
import type { User } from '../../core/wire/auth';
import { ApiError } from '../services/api/api';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

export type SessionStatus = 'signed-out' | 'signing-in' | 'signed-in';
/** Why a sign-in failed, in terms the login screen explains differently. */
export type LoginErrorKind = 'bad-credentials' | 'too-many-attempts' | 'unreachable' | 'session-ended' | 'unknown';
export type LoginError = { kind: LoginErrorKind; message: string };

export type SessionSlice = {
  user: User | null;
  status: SessionStatus;
  /** True while a stored refresh token is being exchanged at start (no login form flash). */
  resuming: boolean;
  loginError: LoginError | null;
  /** Resumes silently from a stored refresh token; otherwise leaves the user at the login screen. */
  startSession(): Promise<void>;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** The server ended the session (revoked, expired): back to the login screen, saying why. */
  sessionLost(): void;
};

export function loginErrorOf(err: unknown): LoginError {
  if (err instanceof ApiError) {
    if (err.code === 'unreachable' || err.status === 0 || err.status >= 502) return { kind: 'unreachable', message: err.message };
    if (err.status === 429) return { kind: 'too-many-attempts', message: err.message };
    if (err.status === 401 || err.status === 400) return { kind: 'bad-credentials', message: err.message };
    return { kind: 'unknown', message: err.message };
  }
  return { kind: 'unknown', message: err instanceof Error ? err.message : String(err) };
}

export const createSessionSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], SessionSlice> =>
  (set, get) => ({
    user: null,
    status: 'signed-out',
    resuming: false,
    loginError: null,

    async startSession() {
      set({ status: 'signing-in', resuming: true });
      try {
        if (await deps.api.resume()) {
          const user = await deps.api.me();
          set({ user, status: 'signed-in', resuming: false });
          get().restorePresence();
          return;
        }
      } catch (err) {
        // Offline at start with a stored token: keep it for the next try rather than forcing a new login.
        deps.log?.(`[session] resume failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      set({ status: 'signed-out', resuming: false });
    },

    async login(username, password) {
      set({ status: 'signing-in', loginError: null });
      try {
        const session = await deps.api.login(username, password);
        set({ user: session.user, status: 'signed-in', loginError: null });
        get().applyDefaultPresence();
      } catch (err) {
        set({ status: 'signed-out', loginError: loginErrorOf(err) });
      }
    },

    sessionLost() {
      // After the user's own sign-out (whose revoke may race a refresh) there is nothing to explain.
      if (get().status === 'signed-out') return;
      set({ user: null, status: 'signed-out', resuming: false, loginError: { kind: 'session-ended', message: '' }, page: 'inbox', roster: { status: 'idle' } });
    },

    async logout() {
      set({ user: null, status: 'signed-out', loginError: null, page: 'inbox', roster: { status: 'idle' } });
      get().setPresence('offline');
      await deps.api.logout();
      // The access token may have been stored by an older build; nothing about the session survives.
      await Promise.all([deps.host.deleteSecret('auth.refresh-token'), deps.host.deleteSecret('auth.access-token')]);
    },
  });
