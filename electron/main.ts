import { app, powerMonitor, safeStorage, session, shell, type BrowserWindow } from 'electron';
import { autoUpdater } from 'electron-updater';
import os from 'node:os';
import path from 'node:path';
import { contentSecurityPolicy, serverConnectSources, sipConnectSources } from '../core/csp';
import { matchLocale, type Locale } from '../core/locale';
import { updatePolicyOf } from '../core/update/scheduler';
import { readMainConfig } from './config';
import { exportDiagnostics } from './diagnostics';
import { createDialRouter, dialLinksFromArgv, dialSchemes } from './dialLinks';
import { createHandlers } from './handlers';
import { registerHandlers, sendEvent } from './ipc/ipcMain';
import { openExternalLink } from './links';
import { createRotatingLog, type RotatingLog } from './logs';
import { networkHints } from './netHints';
import { createNotifier } from './notify';
import { installPermissionHandlers } from './permissions';
import { createPolicyService, createUserPolicyStore, defaultReaderDeps, userPolicyFile } from './policy';
import { registerAppProtocol, registerAppScheme } from './protocol';
import { createLoopbackSso, ssoAuthorizationEndpoint } from './sso';
import { createSecretStore } from './secrets';
import { hardenAllWebContents } from './security';
import { createPresenceTray, type PresenceTray } from './tray';
import { createUpdateController } from './updater';
import { bringToFront, createMainWindow } from './window';
import { loadWindowState } from './windowState';

/**
 * Electron main: wires the modules beside it. Layout at run time (scripts/build.mjs):
 * dist/electron/main.cjs (this file, bundled), dist/electron/preload.cjs, dist/renderer/ (Vite).
 */
const rendererRoot = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');
// Main's lines go to stderr and, once userData is known, to the rotated log files the diagnostics archive holds.
let logFile: RotatingLog | null = null;
const log = (line: string) => {
  console.warn(line);
  logFile?.write('warn', line);
};

// Before anything else: privileged schemes must be registered before `ready`.
registerAppScheme();

// Replaced once the ServerUrl policy is read (start()); hardenAllWebContents reads it through a closure.
let config = readMainConfig(process.env);
let mainWindow: BrowserWindow | null = null;
let tray: PresenceTray | null = null;
let locale: Locale = 'en';
const front = () => bringToFront(mainWindow);
const dial = createDialRouter((request) => sendEvent(mainWindow?.webContents ?? null, 'app:dial-request', request, log), log);

function registerDialSchemes(): void {
  for (const scheme of dialSchemes) {
    // Started as `electron .` in development, the OS must be told how to re-run us with the app path.
    const ok = process.defaultApp
      ? app.setAsDefaultProtocolClient(scheme, process.execPath, [path.resolve(process.argv[1] ?? '.')])
      : app.setAsDefaultProtocolClient(scheme);
    if (!ok) log(`[dial] could not register as the ${scheme}: handler`);
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  logFile = createRotatingLog({ dir: path.join(app.getPath('userData'), 'logs') });
  const logs = logFile;
  const ses = session.defaultSession;
  installPermissionHandlers(ses, log);
  // Policy first: the server address (and so the CSP) and StartAtLogin come from it.
  const policy = await createPolicyService({ reader: defaultReaderDeps(), userStore: createUserPolicyStore(userPolicyFile(app.getPath('userData'))), log });
  config = readMainConfig(process.env, policy.get().values.ServerUrl);
  const applyStartAtLogin = (openAtLogin: boolean) => {
    // Windows and macOS only; Linux desktops have no login-item API in Electron (an autostart entry is the installer's job).
    if (process.platform === 'win32' || process.platform === 'darwin') app.setLoginItemSettings({ openAtLogin });
  };
  applyStartAtLogin(policy.get().values.StartAtLogin);
  policy.onChange((p) => applyStartAtLogin(p.values.StartAtLogin));
  registerAppProtocol(ses, {
    root: rendererRoot,
    csp: contentSecurityPolicy({ connectSrc: [...serverConnectSources(config.serverUrl), ...sipConnectSources(config.serverUrl, policy.get().values.SipWebSocketUrl ?? null)] }),
    log,
  });

  locale = matchLocale(app.getPreferredSystemLanguages());
  // UpdateMode, UpdateWindow and UpdateFeedUrl are read at every decision, so a policy refresh applies at once.
  const updates = createUpdateController({
    currentVersion: app.getVersion(),
    policy: () => updatePolicyOf(policy.get()),
    createUpdater: () => autoUpdater,
    publish: (status) => sendEvent(mainWindow?.webContents ?? null, 'update:status', status, log),
    log,
  });
  policy.onChange(() => updates.policyChanged());
  const secrets = createSecretStore(path.join(app.getPath('userData'), 'secrets.json'), safeStorage);
  // Sign-in pages open in the user's own browser (RFC 8252 §8.12: never an embedded web view), which returns to a loopback listener.
  const sso = createLoopbackSso({
    openExternal: (url) => shell.openExternal(url, { activate: true }),
    trustedAuthorizationEndpoint: () => ssoAuthorizationEndpoint(config.serverUrl),
    bringToFront: front,
    log,
  });
  app.on('will-quit', () => sso.close());
  registerHandlers(
    createHandlers({
      info: () => ({
        kind: 'electron',
        appVersion: app.getVersion(),
        platform: process.platform,
        osLanguages: app.getPreferredSystemLanguages(),
        serverUrl: config.serverUrl,
      }),
      setLocale: (next) => {
        locale = next;
        tray?.setLocale(next);
      },
      getPolicy: () => policy.get(),
      setUserPolicy: (name, value) => policy.setUser(name, value),
      secrets,
      openAllowListedLink: (url) => openExternalLink(url, config.allowedLinkHosts),
      notify: createNotifier(front, (tag) => sendEvent(mainWindow?.webContents ?? null, 'notice:activated', { tag }, log)),
      setPresence: (presence) => tray?.setPresence(presence),
      bringToFront: front,
      networkHints: () => networkHints({ interfaces: () => os.networkInterfaces(), resolveProxy: (url) => session.defaultSession.resolveProxy(url), serverUrl: config.serverUrl }),
      setFullScreen: (on) => mainWindow?.setFullScreen(on),
      updates,
      appendLogs: (entries) => logs.append(entries),
      exportDiagnostics: (request) => exportDiagnostics({ logs, secrets, appVersion: app.getVersion(), outDir: () => app.getPath('downloads') }, request),
      sso,
    }),
    { mainContents: () => mainWindow?.webContents ?? null, log },
  );

  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  mainWindow = createMainWindow({ preloadPath, state: await loadWindowState(stateFile, log), stateFile, log });
  const contents = mainWindow.webContents;
  // The preload holds a dial request until the page subscribes, so 'dom-ready' is early enough.
  contents.on('did-start-loading', () => dial.notReady());
  contents.on('dom-ready', () => dial.ready());
  let lastReload = 0;
  contents.on('render-process-gone', (_event, details) => {
    dial.notReady();
    // Reload once, not in a loop: a page that crashes at start would otherwise spin the CPU.
    if (details.reason === 'clean-exit' || Date.now() - lastReload < 10_000) {
      log(`[window] renderer gone (${details.reason}); not reloading`);
      return;
    }
    lastReload = Date.now();
    log(`[window] renderer gone (${details.reason}); reloading`);
    contents.reload();
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });

  tray = createPresenceTray({ show: front, quit: () => app.quit() });
  tray.setLocale(locale);
  updates.start();

  powerMonitor.on('resume', () => sendEvent(mainWindow?.webContents ?? null, 'power:resumed', null, log));
  // Group Policy and MDM refresh while a laptop sleeps; re-read on wake so updates and StartAtLogin follow. The server URL needs a restart.
  powerMonitor.on('resume', () => void policy.reload().catch((err: unknown) => log(`[policy] reload failed: ${String(err)}`)));
  powerMonitor.on('suspend', () => sendEvent(mainWindow?.webContents ?? null, 'power:suspending', null, log));
}

if (!app.requestSingleInstanceLock()) {
  // Another Switchboard is running: it got our argv (and any dial link) through 'second-instance'.
  app.quit();
} else {
  hardenAllWebContents(app, { allowedLinkHosts: () => config.allowedLinkHosts, log });
  registerDialSchemes();
  app.on('second-instance', (_event, argv) => {
    front();
    for (const link of dialLinksFromArgv(argv)) dial.accept(link);
  });
  // macOS delivers links as events, possibly before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    dial.accept(url);
    front();
  });
  for (const link of dialLinksFromArgv(process.argv.slice(1))) dial.accept(link);
  app.on('window-all-closed', () => app.quit());
  start().catch((err: unknown) => {
    log(`[main] failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    app.exit(1);
  });
}
