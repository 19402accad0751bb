import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * main.ts wires everything at import time, so each test builds a fresh fake Electron and imports it
 * anew. What is checked is the wiring a user would notice: a second launch with a tel: link focuses the
 * existing window and fills its dialer, a link that started the app reaches it once the page is up, sleep and wake
 * reach the renderer, and the scheme is registered before ready.
 */
type FakeContents = EventEmitter & { send: ReturnType<typeof vi.fn>; isDestroyed: () => boolean; reload: ReturnType<typeof vi.fn>; setWindowOpenHandler: () => void };

function fakeElectron(options: { lock: boolean }) {
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => options.lock),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    setAsDefaultProtocolClient: vi.fn(() => true),
    getPreferredSystemLanguages: () => ['zh-Hant-TW'],
    getVersion: () => '0.1.0',
    getPath: () => '/nonexistent/switchboard-test-userdata',
  });
  const windows: Array<{ webContents: FakeContents; focus: ReturnType<typeof vi.fn>; options: Record<string, unknown> }> = [];
  class BrowserWindow extends EventEmitter {
    webContents: FakeContents = Object.assign(new EventEmitter(), { send: vi.fn(), isDestroyed: () => false, reload: vi.fn(), setWindowOpenHandler: () => undefined });
    focus = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    loadURL = vi.fn(() => Promise.resolve());
    maximize = vi.fn();
    isDestroyed = () => false;
    isMinimized = () => false;
    isVisible = () => true;
    restore = vi.fn();
    show = vi.fn();
    isFocused = () => true;
    flashFrame = vi.fn();
  }
  class Tray extends EventEmitter {
    setImage = vi.fn();
    setToolTip = vi.fn();
    setContextMenu = vi.fn();
    destroy = vi.fn();
  }
  const area = { x: 0, y: 0, width: 1920, height: 1040 };
  const electron = {
    app,
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: vi.fn(() => ({})) },
    nativeImage: { createFromBitmap: vi.fn(() => ({})) },
    screen: { getPrimaryDisplay: () => ({ workArea: area }), getAllDisplays: () => [{ workArea: area }] },
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    session: { defaultSession: { protocol: { handle: vi.fn() }, setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn(), on: vi.fn() } },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    powerMonitor: new EventEmitter(),
    safeStorage: { isEncryptionAvailable: () => false },
    shell: { openExternal: vi.fn() },
    Notification: Object.assign(vi.fn(), { isSupported: () => false }),
  };
  return { electron, app, windows };
}

async function startMain(options: { lock: boolean; argv?: string[] }) {
  vi.resetModules();
  const fake = fakeElectron(options);
  vi.doMock('electron', () => fake.electron);
  const argv = process.argv;
  process.argv = ['/opt/Switchboard/switchboard', ...(options.argv ?? [])];
  try {
    await import('./main');
  } finally {
    process.argv = argv;
  }
  // Let start() run past whenReady and the window-state read.
  await vi.waitFor(() => expect(fake.windows.length).toBe(options.lock ? 1 : 0), { timeout: 2000 });
  return fake;
}

const quiet = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
afterEach(() => {
  vi.doUnmock('electron');
  quiet.mockClear();
});

describe('main process wiring', () => {
  it('quits at once when another Switchboard holds the single-instance lock', async () => {
    const fake = await startMain({ lock: false });
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(fake.app.setAsDefaultProtocolClient).not.toHaveBeenCalled();
  });

  it('registers app:// as privileged and tel/sip/callto as OS protocols, and loads app://switchboard', async () => {
    const fake = await startMain({ lock: true });
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.app.setAsDefaultProtocolClient.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['tel', 'sip', 'callto']);
    expect(fake.electron.session.defaultSession.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(fake.electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
  });

  it('hands the link the app was started with to the dialer once the page is up', async () => {
    const fake = await startMain({ lock: true, argv: ['--no-sandbox', 'tel:+49 30 1234'] });
    const contents = fake.windows[0]!.webContents;
    expect(contents.send).not.toHaveBeenCalled();
    contents.emit('dom-ready');
    expect(contents.send).toHaveBeenCalledWith('app:dial-request', { target: '+49301234', source: 'link' });
  });

  it("forwards a second launch's dial link to the existing window and focuses it", async () => {
    const fake = await startMain({ lock: true });
    const win = fake.windows[0]!;
    win.webContents.emit('dom-ready');
    fake.app.emit('second-instance', {}, ['/opt/Switchboard/switchboard', 'sip:1001@pbx.example.com;transport=ws'], '/home/agent');
    expect(win.focus).toHaveBeenCalled();
    expect(win.webContents.send).toHaveBeenCalledWith('app:dial-request', { target: 'sip:1001@pbx.example.com', source: 'link' });
    fake.app.emit('second-instance', {}, ['/opt/Switchboard/switchboard', 'javascript:alert(1)'], '/home/agent');
    expect(win.webContents.send).toHaveBeenCalledTimes(1);
  });

  it('issue 12 item 9 (dial links ask): the start argv, a second launch and macOS open-url all validate the link; only a valid one reaches the renderer, as a request the dialer asks about', async () => {
    const fake = await startMain({ lock: true, argv: ['sip:<script>@x'] });
    const win = fake.windows[0]!;
    win.webContents.emit('dom-ready');
    const preventDefault = vi.fn();
    fake.app.emit('open-url', { preventDefault }, 'tel:javascript:alert(1)');
    fake.app.emit('second-instance', {}, ['/opt/Switchboard/switchboard', 'tel:%E0%A4%A', 'sip:@evil.example'], '/home/agent');
    fake.app.emit('open-url', { preventDefault }, 'sip:1001@pbx.example.com;transport=ws?Call-Info=%3Chttp://x%3E;answer-after=0');
    expect(preventDefault).toHaveBeenCalledTimes(2);
    const dialRequests = win.webContents.send.mock.calls.filter((c) => (c as unknown[])[0] === 'app:dial-request');
    // URI parameters and headers (an auto-answer Call-Info) are dropped; the renderer fills the dialer and asks.
    expect(dialRequests).toEqual([['app:dial-request', { target: 'sip:1001@pbx.example.com', source: 'link' }]]);
  });

  it('tells the renderer about sleep and wake', async () => {
    const fake = await startMain({ lock: true });
    const contents = fake.windows[0]!.webContents;
    fake.electron.powerMonitor.emit('suspend');
    fake.electron.powerMonitor.emit('resume');
    expect(contents.send.mock.calls).toEqual([
      ['power:suspending', null],
      ['power:resumed', null],
    ]);
  });
});
