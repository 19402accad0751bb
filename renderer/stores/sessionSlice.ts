import type { StateCreator } from 'zustand';
import { type LoginResponse, User } from '../../core/wire/auth';
import type { SsoProvider } from '../../core/wire/sso';
import { ApiError } from '../services/api/api';
import { SsoError } from '../services/sso/ssoService';
import type { AppState } from './appStore';
import { storageKeys, type StoreDeps } from './deps';

export type SessionStatus = 'signed-out' | 'signing-in' | 'signed-in';
/** Why a sign-in failed, in terms the login screen explains differently. */
export type LoginErrorKind =
  | 'bad-credentials'
  | 'too-many-attempts'
  | 'unreachable'
  | 'session-ended'
  | 'unknown'
  | 'password-disabled'
  // Single sign-on: refused in this app before anything was sent (core/auth/sso.ts parseCallback) …
  | 'sso-state'
  | 'sso-issuer'
  | 'sso-verifier'
  | 'sso-provider'
  | 'sso-response'
  // … or by the server (the provider refused the code, the ID token did not verify, no such agent).
  | 'sso-rejected'
  | 'sso-unknown-user';
export type LoginError = { kind: LoginErrorKind; message: string };

/** What the login screen offers, from GET /auth/sso/config; passwords only until (or unless) it answers. */
export type SignInOptions = { loaded: boolean; passwordLoginEnabled: boolean; sso: SsoProvider | null; ssoProblem: string | null };

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
  signInOptions: SignInOptions;
  /** True while the system browser shows the company's sign-in page (Electron waits for its redirect). */
  ssoWaiting: boolean;
  loadSignInOptions(): Promise<void>;
  /** "Sign in with your company account": Electron opens the system browser; the web app navigates there. */
  loginWithSso(): Promise<void>;
  /** The web app came back from the provider: check the response and finish the sign-in. */
  completeSso(callbackUrl: string): Promise<void>;
  logout(): Promise<void>;
  /** The server ended the session (revoked, expired): back to the login screen, saying why. */
  sessionLost(): void;
};

const ssoProblemKinds = {
  'state-mismatch': 'sso-state',
  'issuer-mismatch': 'sso-issuer',
  'verifier-missing': 'sso-verifier',
  'provider-error': 'sso-provider',
  'wrong-redirect': 'sso-response',
  'missing-code': 'sso-response',
} as const satisfies Record<SsoError['problem'], LoginErrorKind>;

export function loginErrorOf(err: unknown): LoginError {
  if (err instanceof SsoError) return { kind: ssoProblemKinds[err.problem], message: err.message };
  if (err instanceof ApiError) {
    if (err.code === 'password-login-disabled') return { kind: 'password-disabled', message: err.message };
    if (err.code === 'sso-rejected') return { kind: 'sso-rejected', message: err.message };
    if (err.code === 'sso-unknown-user') return { kind: 'sso-unknown-user', message: err.message };
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
    const signedIn = (session: LoginResponse) => {
      remember(session.user);
      set({ user: session.user, status: 'signed-in', loginError: null, offline: false });
      get().followAccountLocale(session.user.language);
      get().applyDefaultPresence();
    };
    let ssoAttempt = 0;
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
            get().followAccountLocale(user.language);
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
          signedIn(await deps.api.login(username, password));
        } catch (err) {
          set({ status: 'signed-out', loginError: loginErrorOf(err) });
        }
      },

      signInOptions: { loaded: false, passwordLoginEnabled: true, sso: null, ssoProblem: null },
      ssoWaiting: false,

      async loadSignInOptions() {
        // Either side can turn passwords off: the server enforces its own rule; the managed policy
        // (PasswordLoginEnabled) hides the form on this computer even where the server still allows them.
        const policyAllows = await deps.host.getPolicy().then(
          (policy) => policy.values.PasswordLoginEnabled,
          () => true,
        );
        try {
          const config = await deps.api.ssoConfig();
          set({ signInOptions: { loaded: true, ...config, passwordLoginEnabled: config.passwordLoginEnabled && policyAllows } });
        } catch (err) {
          // Unreachable or an older server without SSO: passwords, as before (unless policy says no).
          deps.log?.(`[session] sign-in options unavailable: ${err instanceof Error ? err.message : String(err)}`);
          set({ signInOptions: { loaded: true, passwordLoginEnabled: policyAllows, sso: null, ssoProblem: null } });
        }
      },

      async loginWithSso() {
        const provider = get().signInOptions.sso;
        if (!deps.sso || !provider) return;
        const attempt = ++ssoAttempt;
        set({ ssoWaiting: true, loginError: null });
        try {
          const session = await deps.sso.signIn(provider, get().locale);
          if (attempt !== ssoAttempt) return;
          if (session) signedIn(session);
          else return; // The page is on its way to the provider.
          set({ ssoWaiting: false });
        } catch (err) {
          // A click on the button again starts a new attempt, which ends this one: not an error to show.
          if (attempt !== ssoAttempt) return;
          set({ ssoWaiting: false, status: 'signed-out', loginError: loginErrorOf(err) });
        }
      },

      async completeSso(callbackUrl) {
        if (!deps.sso) return;
        set({ status: 'signing-in', loginError: null });
        try {
          signedIn(await deps.sso.complete(callbackUrl));
        } catch (err) {
          deps.log?.(`[session] single sign-on refused: ${err instanceof Error ? err.message : String(err)}`);
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
