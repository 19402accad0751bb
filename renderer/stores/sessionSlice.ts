import type { StateCreator } from 'zustand';
import { User } from '../../core/wire/auth';
import { ApiError } from '../services/api/api';
import type { AppState } from './appStore';
import { storageKeys, type StoreDeps } from './deps';

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
  /**
   * True while working from this computer's cache without the server (see continueOffline). Nothing
   * reaches the server in this mode: sync needs a real sign-in, which ends it.
   */
  offline: boolean;
  /** Who may continue offline: the last user who signed in online here, until they sign out. */
  offlineUser: User | null;
  /**
   * The server cannot be reached: work from the cache as the last signed-in user. The web host keeps
   * tokens in memory only, so after a restart there is no session to resume; the cached tickets and the
   * outbox are this OS account's files either way, so showing them needs no secret, and anything the
   * agent does waits in the outbox until they sign in for real.
   */
  continueOffline(): void;
  /** Leaves an offline session for the login screen (the connection is back), keeping the cache and outbox. */
  leaveOffline(): void;
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

function readOfflineUser(deps: StoreDeps): User | null {
  const raw = deps.storage.getItem(storageKeys.offlineUser);
  if (raw === null) return null;
  try {
    const parsed = User.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const createSessionSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], SessionSlice> =>
  (set, get) => {
    const remember = (user: User) => {
      deps.storage.setItem(storageKeys.offlineUser, JSON.stringify(user));
      set({ offlineUser: user });
    };
    return {
      user: null,
      status: 'signed-out',
      resuming: false,
      loginError: null,
      offline: false,
      offlineUser: readOfflineUser(deps),

      continueOffline() {
        const user = get().offlineUser;
        if (user) set({ user, status: 'signed-in', offline: true, loginError: null });
      },

      leaveOffline() {
        if (get().offline) set({ user: null, status: 'signed-out', offline: false, page: 'inbox' });
      },

      async startSession() {
        set({ status: 'signing-in', resuming: true });
        try {
          if (await deps.api.resume()) {
            const user = await deps.api.me();
            remember(user);
            set({ user, status: 'signed-in', resuming: false, offline: false });
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
          remember(session.user);
          set({ user: session.user, status: 'signed-in', loginError: null, offline: false });
          get().applyDefaultPresence();
        } catch (err) {
          set({ status: 'signed-out', loginError: loginErrorOf(err) });
        }
      },

      sessionLost() {
        // After the user's own sign-out (whose revoke may race a refresh) there is nothing to explain.
        if (get().status === 'signed-out') return;
        set({ user: null, status: 'signed-out', resuming: false, offline: false, loginError: { kind: 'session-ended', message: '' }, page: 'inbox', roster: { status: 'idle' } });
      },

      async logout() {
        // Signing out on purpose also withdraws offline access; the cache and outbox wait for the next sign-in.
        deps.storage.removeItem(storageKeys.offlineUser);
        set({ user: null, status: 'signed-out', loginError: null, offline: false, offlineUser: null, page: 'inbox', roster: { status: 'idle' } });
        get().setPresence('offline');
        await deps.api.logout();
        // The access token may have been stored by an older build; nothing about the session survives.
        await Promise.all([deps.host.deleteSecret('auth.refresh-token'), deps.host.deleteSecret('auth.access-token')]);
      },
    };
  };
