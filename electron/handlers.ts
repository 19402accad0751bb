import type { DiagnosticsRequest, DiagnosticsSaved, LogEntry } from '../core/diagnostics/parts';
import type { HostInfo } from '../core/ipc';
import type { Locale } from '../core/locale';
import type { EffectivePolicy, PolicyName } from '../core/policy/schema';
import type { NetworkHints, Notice } from '../core/ipc';
import type { Presence } from '../core/presence';
import type { Handlers } from './ipc/ipcMain';
import type { SecretStore } from './secrets';
import type { UpdateController } from './updater';
import type { LoopbackSso } from './sso';

/**
 * The handler for every invoke channel, built from injected services so tests can drive it without
 * Electron. `satisfies Handlers` makes a channel added to core/ipc.ts without a handler a compile error.
 */
export type HandlerDeps = {
  info: () => HostInfo;
  setLocale: (locale: Locale) => void;
  /** electron/policy: the effective managed policy, and the agent's change to a userSettable one. */
  getPolicy: () => EffectivePolicy;
  setUserPolicy: (name: PolicyName, value: unknown) => Promise<EffectivePolicy>;
  secrets: SecretStore;
  /** Opens a link in the OS browser if it passes the allow-list (electron/links.ts). */
  openAllowListedLink: (url: string) => Promise<void>;
  notify: (notice: Notice) => void;
  setPresence: (presence: Presence) => void;
  bringToFront: () => void;
  /** electron/netHints.ts: VPN adapters up, the proxy in front of the server. */
  networkHints: () => Promise<NetworkHints>;
  /** The wallboard's TV mode (the renderer's Fullscreen API is denied by electron/permissions.ts). */
  setFullScreen: (on: boolean) => void;
  /** electron/updater.ts: status, the agent's restart, the renderer's call/shift activity. */
  updates: Pick<UpdateController, 'status' | 'installNow' | 'setActivity'>;
  /** electron/logs.ts: the rotating log files in userData/logs. */
  appendLogs: (entries: LogEntry[]) => Promise<void>;
  /** electron/diagnostics.ts: builds the archive and returns where it went. */
  exportDiagnostics: (request: DiagnosticsRequest) => Promise<DiagnosticsSaved>;
  /** electron/sso.ts: the loopback redirect listener for single sign-on. */
  sso: Pick<LoopbackSso, 'begin' | 'authorize'>;
};

export function createHandlers(deps: HandlerDeps) {
  return {
    'app:get-info': () => deps.info(),
    'app:set-locale': (locale) => deps.setLocale(locale),
    'policy:get': () => deps.getPolicy(),
    'policy:set-user': (name, value) => deps.setUserPolicy(name, value),
    'secrets:get': (key) => deps.secrets.get(key),
    'secrets:set': (key, value) => deps.secrets.set(key, value),
    'secrets:delete': (key) => deps.secrets.delete(key),
    'shell:open-external': (url) => deps.openAllowListedLink(url),
    'update:get-status': () => deps.updates.status(),
    'update:install-now': () => deps.updates.installNow(),
    'update:set-activity': (activity) => deps.updates.setActivity(activity),
    'os:notify': (notice) => deps.notify(notice),
    'tray:set-presence': (presence) => deps.setPresence(presence),
    'window:bring-to-front': () => deps.bringToFront(),
    'net:get-hints': () => deps.networkHints(),
    'window:set-full-screen': (on) => deps.setFullScreen(on),
    'logs:append': (entries) => deps.appendLogs(entries),
    'diagnostics:export': (request) => deps.exportDiagnostics(request),
    'sso:begin': () => deps.sso.begin(),
    'sso:authorize': (url) => deps.sso.authorize(url),
  } satisfies Handlers;
}
