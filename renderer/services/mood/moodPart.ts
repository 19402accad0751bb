import { createBackoff } from '../../../core/backoff';
import { type MoodAlert, MoodAlertList, MoodSocketMessage, moodRoutes } from '../../../core/wire/mood';
import type { Api } from '../api/api';
import type { SocketLike } from '../chat/chatSocket';
import { openBrowserSocket } from '../realtime/browserSocket';
import type { UserPart } from '../session/userSession';

export type MoodPartDelegate = {
  onList(alerts: MoodAlert[]): void;
  onAlert(alert: MoodAlert): boolean;
  onUpdated(alert: MoodAlert): void;
  onSignedOut(): void;
};

export type MoodPartDeps = {
  api: Api;
  baseUrl: string;
  delegate: MoodPartDelegate;
  win?: Window;
  log?: (line: string) => void;
  openSocket?: (path: string) => SocketLike;
};

/**
 * Mood alerts for a signed-in lead (GET /mood/socket, issue 20): auth as the first message, the list
 * again after every `ready` (alerts raised while the socket was down are not lost), full-jitter backoff.
 */
export function createMoodPart(deps: MoodPartDeps): UserPart {
  const win = deps.win ?? window;
  const log = deps.log ?? ((line: string) => console.warn(line));
  const { delegate } = deps;
  let stop: (() => void) | null = null;
  return {
    name: 'mood',
    start({ offline, user }) {
      // Only leads and admins get mood alerts; an agent opens no socket.
      if (offline || user.role === 'agent') return;
      const backoff = createBackoff({ baseMs: 500, maxMs: 15_000 });
      let socket: SocketLike | null = null;
      let stopped = false;
      let retryId: number | null = null;
      const retry = () => {
        if (stopped || retryId !== null) return;
        retryId = win.setTimeout(() => {
          retryId = null;
          void connect();
        }, backoff.next());
      };
      const connect = async (): Promise<void> => {
        if (stopped || socket) return;
        // The list doubles as a token refresh: an expired access token is renewed by the GET's 401 path.
        const token = await deps.api
          .getJson(moodRoutes.alerts)
          .then((body) => {
            delegate.onList(MoodAlertList.parse(body).alerts);
            return deps.api.accessToken();
          })
          .catch(() => null);
        if (!token || stopped) return retry();
        const s = (deps.openSocket ?? ((path: string) => openBrowserSocket(deps.baseUrl, path)))(moodRoutes.socket);
        socket = s;
        s.onopen = () => s.send(JSON.stringify({ type: 'auth', token }));
        s.onmessage = (ev) => {
          const parsed = MoodSocketMessage.safeParse(JSON.parse(String(ev.data)));
          if (!parsed.success) return log('[mood] the server sent a message this app does not understand; ignored');
          const msg = parsed.data;
          if (msg.type === 'ready') {
            backoff.reset();
            deps.api
              .getJson(moodRoutes.alerts)
              .then((body) => delegate.onList(MoodAlertList.parse(body).alerts))
              .catch((err: unknown) => log(`[mood] alert list: ${err instanceof Error ? err.message : String(err)}`));
          } else if (msg.type === 'alert') delegate.onAlert(msg.alert);
          else delegate.onUpdated(msg.alert);
        };
        s.onclose = () => {
          if (socket === s) socket = null;
          retry();
        };
        s.onerror = () => undefined;
      };
      void connect();
      stop = () => {
        stopped = true;
        if (retryId !== null) win.clearTimeout(retryId);
        socket?.close();
        socket = null;
      };
    },
    stop() {
      stop?.();
      stop = null;
      delegate.onSignedOut();
    },
  };
}
