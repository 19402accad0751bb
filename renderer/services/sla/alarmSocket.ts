import { createBackoff } from '../../../core/backoff';
import { type Alarm, AlarmList, AlarmSocketMessage, slaRoutes } from '../../../core/wire/sla';
import type { SocketLike } from '../chat/chatSocket';

export type AlarmSocketDelegate = {
  /** Everything the user has (on every connect: alarms raised while this socket was down are not lost). */
  onList(alarms: Alarm[]): void;
  /** A new alarm, live. */
  onAlarm(alarm: Alarm): void;
  /** Someone acknowledged one of the user's alarms. */
  onUpdated(alarm: Alarm): void;
  onConnected(connected: boolean): void;
};

export type AlarmSocketDeps = {
  open(path: string): SocketLike;
  getJson(path: string): Promise<unknown>;
  /** A fresh access token before each connection (the socket authenticates with its first message). */
  token(): Promise<string | null>;
  setTimeout(fn: () => void, ms: number): () => void;
  log(line: string): void;
  delegate: AlarmSocketDelegate;
};

/**
 * The SLA alarm socket (GET /sla/socket): auth as the first message, then alarms pushed as the server's
 * scanner raises them. On every (re)connect the list is fetched again after `ready`, so an alarm raised
 * while the socket was down shows as soon as it is back; the store keys alarms by id, so one that comes
 * both ways shows once. Reconnects with full-jitter backoff.
 */
export function createAlarmSocket(deps: AlarmSocketDeps) {
  const backoff = createBackoff({ baseMs: 500, maxMs: 15_000 });
  let socket: SocketLike | null = null;
  let stopped = false;
  let cancelRetry: (() => void) | null = null;

  const retry = () => {
    if (stopped || cancelRetry) return;
    cancelRetry = deps.setTimeout(() => {
      cancelRetry = null;
      void connect();
    }, backoff.next());
  };

  async function connect(): Promise<void> {
    if (stopped || socket) return;
    const token = await deps.token().catch(() => null);
    if (!token || stopped) return retry();
    const s = deps.open(slaRoutes.socket);
    socket = s;
    s.onopen = () => s.send(JSON.stringify({ type: 'auth', token }));
    s.onmessage = (ev) => {
      let parsed: AlarmSocketMessage;
      try {
        parsed = AlarmSocketMessage.parse(JSON.parse(String(ev.data)));
      } catch {
        deps.log('[sla] the server sent a message this app does not understand; ignored');
        return;
      }
      if (parsed.type === 'ready') {
        backoff.reset();
        deps.delegate.onConnected(true);
        deps
          .getJson(slaRoutes.alarms)
          .then((body) => deps.delegate.onList(AlarmList.parse(body).alarms))
          .catch((err: unknown) => deps.log(`[sla] alarm list: ${err instanceof Error ? err.message : String(err)}`));
      } else if (parsed.type === 'alarm') deps.delegate.onAlarm(parsed.alarm);
      else deps.delegate.onUpdated(parsed.alarm);
    };
    s.onclose = () => {
      if (socket === s) socket = null;
      deps.delegate.onConnected(false);
      retry();
    };
    s.onerror = () => undefined;
  }

  return {
    start() {
      stopped = false;
      void connect();
    },
    stop() {
      stopped = true;
      cancelRetry?.();
      cancelRetry = null;
      socket?.close();
      socket = null;
    },
    /** Back online or resumed from sleep: try now instead of at the next backoff step. */
    nudge() {
      if (socket || stopped) return;
      cancelRetry?.();
      cancelRetry = null;
      void connect();
    },
  };
}
