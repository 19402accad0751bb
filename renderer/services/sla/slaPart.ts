import { type Alarm, AlarmList, slaRoutes } from '../../../core/wire/sla';
import type { Api } from '../api/api';
import type { Host } from '../host/host';
import { openBrowserSocket } from '../realtime/browserSocket';
import type { UserPart } from '../session/userSession';
import { createAlarmSocket } from './alarmSocket';
import type { SocketLike } from '../chat/chatSocket';

/** Where the SLA part reports: the store's SLA slice in the app. */
export type SlaPartDelegate = {
  onList(alarms: Alarm[]): void;
  /** A new alarm; `fresh` is false when it was already known (a repeat after a reconnect). */
  onAlarm(alarm: Alarm): boolean;
  onUpdated(alarm: Alarm): void;
  onConnected(connected: boolean): void;
  onSignedOut(): void;
  /** The user's alarm sound setting (muted: no tone; the banner and the OS notification still come). */
  soundOn(): boolean;
  /** The OS notification's wording, in the user's language and the team's time zone. */
  notice(alarm: Alarm): { title: string; body: string };
};

export type SlaPartDeps = {
  api: Api;
  host: Host;
  baseUrl: string;
  delegate: SlaPartDelegate;
  win?: Window;
  log?: (line: string) => void;
  /** Tests hand in a fake socket; the app opens the browser's WebSocket. */
  openSocket?: (path: string) => SocketLike;
};

/** Two short tones for an alarm (Web Audio: nothing to ship, works in both hosts); a breach is lower and longer. */
export function alarmTone(win: Window, level: Alarm['level']): void {
  try {
    const ctx = new (win as Window & typeof globalThis).AudioContext();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    const beeps = level === 'warning' ? [660, 660] : [520, 390, 520];
    beeps.forEach((hz, i) => {
      const osc = ctx.createOscillator();
      const at = ctx.currentTime + i * 0.3;
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.15, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.25);
      osc.connect(gain);
      osc.start(at);
      osc.stop(at + 0.25);
      if (i === beeps.length - 1) osc.onended = () => void ctx.close();
    });
  } catch {
    // No audio device, or autoplay blocked: the banner and the notification still show.
  }
}

/**
 * SLA alarms for whoever is signed in: the alarm socket, and for each new alarm a tone (unless muted) and
 * an OS notification through the host bridge (core/ipc.ts `os:notify`, validated in the main process). The
 * alarms themselves are the server's; the store only shows them.
 */
export function createSlaPart(deps: SlaPartDeps): UserPart {
  const win = deps.win ?? window;
  const log = deps.log ?? ((line: string) => console.warn(line));
  const { delegate } = deps;
  let teardown: (() => void) | null = null;
  return {
    name: 'sla',
    start({ offline }) {
      if (offline) return;
      const arrived = (alarm: Alarm) => {
        if (!delegate.onAlarm(alarm)) return;
        if (delegate.soundOn()) alarmTone(win, alarm.level);
        deps.host.notify({ ...delegate.notice(alarm), tag: `sla-${alarm.id}` }).catch((err: unknown) => log(`[sla] notification: ${err instanceof Error ? err.message : String(err)}`));
      };
      // The first list of a sign-in is the backlog: listed, counted, no noise. A later list (after a
      // reconnect: a server restart, a network drop, the laptop waking) holds alarms raised while the socket
      // was down; each unknown, unacknowledged one is announced like a live one, once.
      let listed = false;
      const list = (alarms: Alarm[]) => {
        if (listed) for (const a of [...alarms].reverse()) if (a.acknowledgedAt === null) arrived(a);
        listed = true;
        delegate.onList(alarms);
      };
      const socket = createAlarmSocket({
        open: deps.openSocket ?? ((path) => openBrowserSocket(deps.baseUrl, path)),
        getJson: (path) => deps.api.getJson(path),
        async token() {
          // The list doubles as a token refresh: an expired access token is renewed by the GET's 401 path.
          list(AlarmList.parse(await deps.api.getJson(slaRoutes.alarms)).alarms);
          return deps.api.accessToken();
        },
        setTimeout: (fn, ms) => {
          const id = win.setTimeout(fn, ms);
          return () => win.clearTimeout(id);
        },
        log,
        delegate: {
          onList: list,
          onAlarm: arrived,
          onUpdated: (alarm) => delegate.onUpdated(alarm),
          onConnected: (connected) => delegate.onConnected(connected),
        },
      });
      const nudge = () => socket.nudge();
      win.addEventListener('online', nudge);
      const unResume = deps.host.on('power:resumed', nudge);
      socket.start();
      teardown = () => {
        win.removeEventListener('online', nudge);
        unResume();
        socket.stop();
      };
    },
    stop() {
      teardown?.();
      teardown = null;
      delegate.onSignedOut();
    },
  };
}
