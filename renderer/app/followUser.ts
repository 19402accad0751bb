import type { StopReason, UserSession } from '../services/session/userSession';
import type { AppState, AppStore } from '../stores/appStore';

const stopReasonOf = (s: AppState): StopReason => (s.loginError?.kind === 'session-ended' ? 'session-lost' : 'sign-out');

/** The user session follows the store's user: running while someone is signed in (or working offline). */
export function followSignedInUser(store: AppStore, session: UserSession): () => void {
  const follow = (s: AppState) => {
    if (s.user && s.status === 'signed-in') session.signedIn(s.user, s.offline);
    else session.signedOut(stopReasonOf(s));
  };
  const unsubscribe = store.subscribe(follow);
  follow(store.getState());
  return unsubscribe;
}
