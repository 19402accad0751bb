import { checkExternalLink } from '../../../core/externalLinks';
import { parseDialLink } from '../../../core/dial';
import type { Bridge, EventChannel, EventPayload, HostInfo, SecretKey } from '../../../core/ipc';
import { fail, ok } from '../../../core/result';
import { unsupportedStatus } from '../../../core/update/status';
import { createBrowserLogStore, downloadDiagnostics } from '../log/browserLogStore';
import { createWebPolicy, fetchClientPolicy } from '../policy/webPolicy';

/**
 * The host in a plain browser (web mode and every e2e test): the same Bridge the Electron preload
 * exposes, built from web APIs. Differences from Electron, on purpose:
 * - secrets live in memory only: a page's localStorage is readable by any script on the origin, so a
 *   refresh token never goes there; a reload means signing in again.
 * - `power:resumed` is inferred from a timer gap (browsers have no suspend event; timers stop while
 *   the machine sleeps, so a tick that arrives much later than scheduled means it slept).
 * - `app:dial-request` comes from a `#dial=<tel:/sip: link>` URL hash.
 */
export type BrowserHostOptions = {
  appVersion: string;
  /** Hosts that shell:open-external may open (core/externalLinks.ts). */
  allowedLinkHosts: readonly string[];
  /** Wall-clock jump (ms) beyond the tick interval that counts as sleep. */
  sleepGapMs?: number;
  tickMs?: number;
  /** GET /client/policy by default (renderer/services/policy/webPolicy.ts). */
  fetchPolicy?: () => Promise<unknown>;
  window?: Window;
  now?: () => number;
};

type Listeners = { [E in EventChannel]: Set<(payload: EventPayload<E>) => void> };

export type BrowserHost = Bridge & { dispose(): void };

export function createBrowserHost(options: BrowserHostOptions): BrowserHost {
  const win = options.window ?? window;
  const now = options.now ?? (() => Date.now());
  const tickMs = options.tickMs ?? 5_000;
  const sleepGapMs = options.sleepGapMs ?? 30_000;
  const policy = createWebPolicy({ fetchPolicy: options.fetchPolicy ?? fetchClientPolicy(win), storage: win.localStorage });
  const secrets = new Map<SecretKey, string>();
  const logs = createBrowserLogStore(win.localStorage);
  const listeners: Listeners = {
    'app:dial-request': new Set(),
    'power:resumed': new Set(),
    'power:suspending': new Set(),
    'update:status': new Set(),
    'notice:activated': new Set(),
  };

  function emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    for (const listener of listeners[event]) listener(payload);
  }

  let lastTick = now();
  const timer = win.setInterval(() => {
    const t = now();
    if (t - lastTick > tickMs + sleepGapMs) emit('power:resumed', null);
    lastTick = t;
  }, tickMs);

  /** Reads `#dial=…`, emits it once and clears the hash so a reload does not ask again (the dialer waits for a click either way). */
  function checkDialHash(): void {
    const match = /^#dial=(.+)$/.exec(win.location.hash);
    if (!match) return;
    let link: string;
    try {
      link = decodeURIComponent(match[1]!);
    } catch {
      return;
    }
    const target = parseDialLink(link);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
    if (target) emit('app:dial-request', { target, source: 'link' });
  }
  win.addEventListener('hashchange', checkDialHash);

  const info: HostInfo = {
    kind: 'browser',
    appVersion: options.appVersion,
    platform: win.navigator.platform || 'web',
    osLanguages: [...(win.navigator.languages ?? [win.navigator.language])],
    serverUrl: null,
  };

  return {
    appGetInfo: async () => ok(info),
    appSetLocale: async () => ok(undefined),
    policyGet: async () => ok(await policy.get()),
    policySetUser: (name, value) => policy.setUser(name, value),
    secretsGet: async (key) => ok(secrets.get(key) ?? null),
    secretsSet: async (key, value) => {
      secrets.set(key, value);
      return ok(undefined);
    },
    secretsDelete: async (key) => {
      secrets.delete(key);
      return ok(undefined);
    },
    shellOpenExternal: async (url) => {
      const verdict = checkExternalLink(url, options.allowedLinkHosts);
      if (!verdict.allowed) return fail('not-allowed', `link refused: ${verdict.reason}`);
      win.open(verdict.url, '_blank', 'noopener,noreferrer');
      return ok(undefined);
    },
    osNotify: async (notice) => {
      const N = (win as Window & { Notification?: typeof Notification }).Notification;
      if (!N) return fail('unavailable', 'notifications are not supported here');
      // Browsers only show a prompt in response to a call; asking again after "denied" is a no-op.
      // Read once: each read of Notification.permission is a synchronous round trip to the browser (~1 ms).
      const current = N.permission;
      const permission = current === 'default' ? await N.requestPermission() : current;
      if (permission !== 'granted') return fail('not-allowed', 'notifications are blocked');
      const shown = new N(notice.title, notice.tag === undefined ? { body: notice.body } : { body: notice.body, tag: notice.tag });
      // A click brings the page up and tells the app which notice it was (a ringing call's notice answers it).
      shown.onclick = () => {
        win.focus();
        shown.close();
        if (notice.tag !== undefined) emit('notice:activated', { tag: notice.tag });
      };
      return ok(undefined);
    },
    // A web page has no tray; the status bar already shows presence.
    traySetPresence: async () => ok(undefined),
    windowBringToFront: async () => {
      win.focus();
      return ok(undefined);
    },
    // A web page cannot see the machine's adapters or proxy settings.
    netGetHints: async () => fail('unavailable', 'network hints need the desktop app'),
    // The Fullscreen API (it needs the click that asked for it, so callers ask at once).
    windowSetFullScreen: async (on: boolean) => {
      const doc = win.document;
      try {
        if (on && !doc.fullscreenElement) await doc.documentElement.requestFullscreen();
        if (!on && doc.fullscreenElement) await doc.exitFullscreen();
        return ok(undefined);
      } catch (err) {
        return fail('not-allowed', err instanceof Error ? err.message : String(err));
      }
    },
    // A web page updates with the server that serves it: there is no app to update.
    updateGetStatus: async () => ok(unsupportedStatus(options.appVersion)),
    updateInstallNow: async () => fail('unavailable', 'app updates do not apply in a web browser'),
    updateSetActivity: async () => ok(undefined),
    logsAppend: async (entries) => {
      logs.append(entries);
      return ok(undefined);
    },
    diagnosticsExport: async (request) => ok(downloadDiagnostics({ request, logs, knownSecrets: [...secrets.values()], win })),
    // Web mode: the provider returns to this page's own address, where the app picks the response up at start.
    ssoBegin: async () => ok({ redirectUri: `${win.location.origin}/` }),
    ssoAuthorize: async (raw) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return fail('bad-args', 'sso: not a URL');
      }
      const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return fail('not-allowed', 'sso: the identity provider must use https');
      win.location.assign(url.toString());
      return ok(null);
    },
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      // The hash is read when the first listener arrives, so a link that opened the page is not lost.
      if (event === 'app:dial-request') queueMicrotask(checkDialHash);
      return () => set.delete(listener);
    },
    dispose() {
      win.clearInterval(timer);
      win.removeEventListener('hashchange', checkDialHash);
    },
  };
}
