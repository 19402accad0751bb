import { beforeEach, describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(() => ({ windows: [] as Array<{ options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn> }> }));

vi.mock('electron', () => {
  class BrowserWindow {
    loadURL = vi.fn(() => Promise.resolve());
    constructor(readonly options: Record<string, unknown>) {
      created.windows.push(this);
    }
    maximize = vi.fn();
    once = vi.fn();
    on = vi.fn();
  }
  const area = { x: 0, y: 0, width: 1920, height: 1040 };
  return { BrowserWindow, screen: { getPrimaryDisplay: () => ({ workArea: area }), getAllDisplays: () => [{ workArea: area }] } };
});

const { createMainWindow } = await import('./window');

describe('main window', () => {
  beforeEach(() => {
    created.windows.length = 0;
  });

  it('runs the page sandboxed, isolated, without Node and without <webview>', () => {
    createMainWindow({ preloadPath: '/app/dist/electron/preload.cjs', state: { width: 1000, height: 700, maximized: false }, stateFile: '/tmp/unused.json' });
    const prefs = created.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/dist/electron/preload.cjs',
    });
  });

  it('loads the renderer from app://switchboard, never file://', () => {
    createMainWindow({ preloadPath: '/p.cjs', state: { width: 1000, height: 700, maximized: false }, stateFile: '/tmp/unused.json' });
    const win = created.windows[0]!;
    expect(win.loadURL).toHaveBeenCalledWith('app://switchboard/index.html');
    expect(String(win.loadURL.mock.calls[0]?.[0])).not.toMatch(/^file:/);
  });

  it('opens a window saved on a now-missing monitor on the primary display', () => {
    createMainWindow({ preloadPath: '/p.cjs', state: { x: 3000, y: 100, width: 1000, height: 700, maximized: false }, stateFile: '/tmp/unused.json' });
    const options = created.windows[0]!.options;
    expect(options.x).toBeUndefined();
    expect(options).toMatchObject({ width: 1000, height: 700 });
  });
});
