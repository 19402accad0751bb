import { BrowserWindow, screen } from 'electron';
import { appEntryUrl } from './config';
import { clampToDisplays, minWindowSize, saveWindowState, saveWindowStateSync, type WindowState } from './windowState';

export type MainWindowOptions = {
  preloadPath: string;
  state: WindowState;
  stateFile: string;
  log?: (line: string) => void;
};

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const log = options.log ?? ((line: string) => console.warn(line));
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea);
  const state = clampToDisplays(options.state, workAreas);
  // The webPreferences are the Electron security checklist, spelled out even where they are already
  // Electron's defaults, so a future default change or a copy-paste cannot weaken them: the page is
  // sandboxed, isolated from the preload, has no Node, keeps same-origin policy and cannot embed
  // <webview>. They are written inline here so reviewers and electronegativity see them at the call.
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: minWindowSize.width,
    minHeight: minWindowSize.height,
    show: false,
    title: 'Switchboard',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click opens links through the window-open handler (denied); switch it off at the source.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
      // A softphone must ring and keep its timers when the window is covered or minimised.
      backgroundThrottling: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let saveTimer: NodeJS.Timeout | undefined;
  const current = (): WindowState => ({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  const notSaved = (err: unknown) => log(`[window-state] not saved: ${err instanceof Error ? err.message : String(err)}`);
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (!win.isDestroyed()) saveWindowState(options.stateFile, current()).catch(notSaved);
    }, 500);
  };
  const saveNow = () => {
    clearTimeout(saveTimer);
    try {
      saveWindowStateSync(options.stateFile, current());
    } catch (err) {
      notSaved(err);
    }
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', saveNow);

  win.loadURL(appEntryUrl).catch((err: unknown) => {
    log(`[window] ${appEntryUrl} did not load: ${err instanceof Error ? err.message : String(err)}`);
  });
  return win;
}

/** Restores, shows and focuses the window: an incoming call or a dial link needs the agent's eyes. */
export function bringToFront(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
  // Window managers may refuse to hand focus to a background app (focus-stealing prevention): the taskbar
  // entry flashes instead until the agent comes to the window, so a ringing call is still seen.
  if (!win.isFocused()) {
    win.flashFrame(true);
    win.once('focus', () => win.flashFrame(false));
  }
}
