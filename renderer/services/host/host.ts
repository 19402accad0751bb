import type { DiagnosticsRequest, DiagnosticsSaved, LogEntry } from '../../../core/diagnostics/parts';
import { bridgeGlobal, type Bridge, type EventChannel, type EventPayload, type HostInfo, type NetworkHints, type Notice, type SecretKey, type SsoRedirect } from '../../../core/ipc';
import type { Locale } from '../../../core/locale';
import type { EffectivePolicy, PolicyName } from '../../../core/policy/schema';
import type { Presence } from '../../../core/presence';
import type { IpcErrorCode, IpcResult } from '../../../core/result';
import type { UpdateActivity, UpdateStatus } from '../../../core/update/status';
import { createBrowserHost } from './browserHost';

/**
 * The only module that touches `window.switchboard`. Everything else in the renderer asks `Host`,
 * which unwraps the bridge's IpcResult and throws HostError, so callers use plain async/await.
 */
export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Host = {
  getInfo(): Promise<HostInfo>;
  setLocale(locale: Locale): Promise<void>;
  getPolicy(): Promise<EffectivePolicy>;
  /** Throws HostError not-allowed when the policy is managed or IT-only, bad-args when the value is invalid. */
  setUserPolicy(name: PolicyName, value: unknown): Promise<EffectivePolicy>;
  getSecret(key: SecretKey): Promise<string | null>;
  setSecret(key: SecretKey, value: string): Promise<void>;
  deleteSecret(key: SecretKey): Promise<void>;
  /** Opens a link in the system browser if the host's allow-list (core/externalLinks.ts) accepts it; throws HostError not-allowed otherwise. */
  openLink(url: string): Promise<void>;
  notify(notice: Notice): Promise<void>;
  setTrayPresence(presence: Presence): Promise<void>;
  bringToFront(): Promise<void>;
  /** VPN/proxy hints (desktop only); throws HostError unavailable in a browser. */
  networkHints?(): Promise<NetworkHints>;
  /** The wallboard's TV mode: the window fills the screen, or returns. */
  setFullScreen(on: boolean): Promise<void>;
  getUpdateStatus(): Promise<UpdateStatus>;
  /** "Restart to update"; throws HostError not-allowed during a call or outside the update window. */
  installUpdate(): Promise<void>;
  setUpdateActivity(activity: UpdateActivity): Promise<void>;
  appendLogs(entries: LogEntry[]): Promise<void>;
  exportDiagnostics(request: DiagnosticsRequest): Promise<DiagnosticsSaved>;
  /** Single sign-on: the redirect URI of a new attempt (a loopback listener in Electron, this page in a browser). */
  ssoBegin(): Promise<SsoRedirect>;
  /** Opens the provider's page; the callback URL (Electron), or null when this page navigates there (browser). */
  ssoAuthorize(authorizationUrl: string): Promise<string | null>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

async function unwrap<T>(call: Promise<IpcResult<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new HostError(result.error.code, result.error.message);
  return result.value;
}

export function hostFromBridge(bridge: Bridge): Host {
  return {
    getInfo: () => unwrap(bridge.appGetInfo()),
    setLocale: (locale) => unwrap(bridge.appSetLocale(locale)),
    getPolicy: () => unwrap(bridge.policyGet()),
    setUserPolicy: (name, value) => unwrap(bridge.policySetUser(name, value)),
    getSecret: (key) => unwrap(bridge.secretsGet(key)),
    setSecret: (key, value) => unwrap(bridge.secretsSet(key, value)),
    deleteSecret: (key) => unwrap(bridge.secretsDelete(key)),
    openLink: (url) => unwrap(bridge.shellOpenExternal(url)),
    notify: (notice) => unwrap(bridge.osNotify(notice)),
    setTrayPresence: (presence) => unwrap(bridge.traySetPresence(presence)),
    bringToFront: () => unwrap(bridge.windowBringToFront()),
    networkHints: () => unwrap(bridge.netGetHints()),
    setFullScreen: (on) => unwrap(bridge.windowSetFullScreen(on)),
    getUpdateStatus: () => unwrap(bridge.updateGetStatus()),
    installUpdate: () => unwrap(bridge.updateInstallNow()),
    setUpdateActivity: (activity) => unwrap(bridge.updateSetActivity(activity)),
    appendLogs: (entries) => unwrap(bridge.logsAppend(entries)),
    exportDiagnostics: (request) => unwrap(bridge.diagnosticsExport(request)),
    ssoBegin: () => unwrap(bridge.ssoBegin()),
    ssoAuthorize: (url) => unwrap(bridge.ssoAuthorize(url)),
    on: (event, listener) => bridge.on(event, listener),
  };
}

/** Links the browser host may open; Electron main keeps its own copy of the policy. */
export const allowedLinkHosts: readonly string[] = ['switchboard.example', '*.switchboard.example'];

/** Picks the Electron bridge when the preload exposed one, otherwise the browser host. */
export function detectHost(appVersion: string): Host {
  const bridge = (window as unknown as Record<string, Bridge | undefined>)[bridgeGlobal];
  return hostFromBridge(bridge ?? createBrowserHost({ appVersion, allowedLinkHosts }));
}
