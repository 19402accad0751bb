import { EventEmitter } from 'node:events';
import type { App, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const shell = vi.hoisted(() => ({ openExternal: vi.fn((_url: string, _options?: unknown) => Promise.resolve()) }));
vi.mock('electron', () => ({ shell }));

const { hardenAllWebContents, hardenWebContents } = await import('./security');
const { openExternalLink } = await import('./links');

type OpenHandler = (details: { url: string }) => { action: string };

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: OpenHandler | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (h: OpenHandler) => {
      openHandler = h;
    },
  });
  const fire = (event: string, ...args: unknown[]) => {
    const e = { preventDefault: vi.fn() };
    emitter.emit(event, e, ...args);
    return e.preventDefault;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler!({ url }) };
}

const hosts = ['docs.example.com', '*.help.example.org'];
const quiet = () => undefined;

describe('webContents hardening', () => {
  beforeEach(() => shell.openExternal.mockClear());

  it('prevents every navigation and redirect away from the page', () => {
    const c = fakeContents();
    hardenWebContents(c.contents, { allowedLinkHosts: () => hosts, log: quiet });
    expect(c.fire('will-navigate', 'https://evil.example/')).toHaveBeenCalled();
    expect(c.fire('will-navigate', 'app://switchboard/other.html')).toHaveBeenCalled();
    expect(c.fire('will-redirect', 'https://docs.example.com/')).toHaveBeenCalled();
    expect(c.fire('will-attach-webview', {}, {})).toHaveBeenCalled();
  });

  it('denies window.open always and sends only allow-listed https links to the OS browser', async () => {
    const c = fakeContents();
    hardenWebContents(c.contents, { allowedLinkHosts: () => hosts, log: quiet });
    expect(c.open('https://docs.example.com/guide')).toEqual({ action: 'deny' });
    expect(c.open('https://kb.help.example.org/a')).toEqual({ action: 'deny' });
    expect(c.open('http://docs.example.com/plain')).toEqual({ action: 'deny' });
    expect(c.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(c.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(c.open('smb://share/x.exe')).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(shell.openExternal.mock.calls.map((call) => call[0])).toEqual(['https://docs.example.com/guide', 'https://kb.help.example.org/a']);
  });

  it('hardens every webContents the app creates later', () => {
    const app = new EventEmitter();
    hardenAllWebContents(app as unknown as App, { allowedLinkHosts: () => hosts, log: quiet });
    const c = fakeContents();
    app.emit('web-contents-created', {}, c.contents);
    expect(c.fire('will-navigate', 'https://evil.example/')).toHaveBeenCalled();
    expect(c.open('https://evil.example/')).toEqual({ action: 'deny' });
  });
});

describe('openExternalLink', () => {
  it('refuses a non-allow-listed link with a typed not-allowed error and opens nothing', async () => {
    shell.openExternal.mockClear();
    await expect(openExternalLink('javascript:alert(1)', hosts)).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(openExternalLink('https://user:pw@docs.example.com/', hosts)).rejects.toMatchObject({ code: 'not-allowed' });
    expect(shell.openExternal).not.toHaveBeenCalled();
    await openExternalLink('https://docs.example.com/x', hosts);
    expect(shell.openExternal).toHaveBeenCalledWith('https://docs.example.com/x', { activate: true });
  });
});
