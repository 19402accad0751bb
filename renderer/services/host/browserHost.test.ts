// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBrowserHost, type BrowserHost } from './browserHost';
import { hostFromBridge, HostError } from './host';

let host: BrowserHost;
let clock = 0;

beforeEach(() => {
  vi.useFakeTimers();
  clock = 1_000_000;
  host = createBrowserHost({ appVersion: '9.9.9', allowedLinkHosts: ['docs.example.com'], tickMs: 1_000, sleepGapMs: 30_000, now: () => clock });
});
afterEach(() => {
  host.dispose();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('browser host', () => {
  it('reports a browser host with the page languages and same-origin server', async () => {
    const info = await hostFromBridge(host).getInfo();
    expect(info).toMatchObject({ kind: 'browser', appVersion: '9.9.9', serverUrl: null });
    expect(info.osLanguages).toEqual([...navigator.languages]);
  });

  it('has no app updates: status unsupported, Restart to update refused as unavailable', async () => {
    const h = hostFromBridge(host);
    expect(await h.getUpdateStatus()).toMatchObject({ state: 'unsupported', currentVersion: '9.9.9', downloaded: false });
    await h.setUpdateActivity({ inCall: true, inShift: true });
    await expect(h.installUpdate()).rejects.toMatchObject({ name: 'HostError', code: 'unavailable' });
  });

  it('keeps secrets in memory only, never in localStorage', async () => {
    const h = hostFromBridge(host);
    await h.setSecret('auth.refresh-token', 'secret-refresh-token');
    expect(await h.getSecret('auth.refresh-token')).toBe('secret-refresh-token');
    expect(JSON.stringify({ ...localStorage })).not.toContain('secret-refresh-token');
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('secret-refresh-token');
    await h.deleteSecret('auth.refresh-token');
    expect(await h.getSecret('auth.refresh-token')).toBeNull();
  });

  it('opens allow-listed https links with noopener and refuses others with a typed error', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const h = hostFromBridge(host);
    await h.openLink('https://docs.example.com/help');
    expect(open).toHaveBeenCalledWith('https://docs.example.com/help', '_blank', 'noopener,noreferrer');
    await expect(h.openLink('javascript:alert(1)')).rejects.toMatchObject({ name: 'HostError', code: 'not-allowed' });
    await expect(h.openLink('https://evil.example.net/')).rejects.toBeInstanceOf(HostError);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('asks for notification permission and shows the notice when granted', async () => {
    const shown: unknown[] = [];
    class FakeNotification {
      static permission = 'default';
      static requestPermission = vi.fn(async () => 'granted');
      constructor(title: string, options: unknown) {
        shown.push({ title, options });
      }
    }
    vi.stubGlobal('Notification', FakeNotification);
    await hostFromBridge(host).notify({ title: 'Incoming call', body: '+4930123', tag: 'call' });
    expect(FakeNotification.requestPermission).toHaveBeenCalled();
    expect(shown).toEqual([{ title: 'Incoming call', options: { body: '+4930123', tag: 'call' } }]);
  });

  it('rejects a notice when notifications are blocked', async () => {
    vi.stubGlobal('Notification', class { static permission = 'denied'; static requestPermission = vi.fn(); });
    await expect(hostFromBridge(host).notify({ title: 'x', body: '' })).rejects.toMatchObject({ code: 'not-allowed' });
  });

  it('emits power:resumed when the wall clock jumps past the sleep gap, not on normal ticks', () => {
    const resumed = vi.fn();
    host.on('power:resumed', resumed);
    for (let i = 0; i < 5; i++) {
      clock += 1_000;
      vi.advanceTimersByTime(1_000);
    }
    expect(resumed).not.toHaveBeenCalled();
    clock += 5 * 60_000; // the laptop slept for five minutes; timers did not run meanwhile
    vi.advanceTimersByTime(1_000);
    expect(resumed).toHaveBeenCalledTimes(1);
  });

  it('turns a #dial= hash into one dial request and clears the hash', async () => {
    window.history.replaceState(null, '', '/#dial=' + encodeURIComponent('tel:+49 30 123-4'));
    const dial = vi.fn();
    host.on('app:dial-request', dial);
    await vi.runOnlyPendingTimersAsync();
    await Promise.resolve();
    expect(dial).toHaveBeenCalledWith({ target: '+49301234', source: 'link' });
    expect(window.location.hash).toBe('');
  });

  it('ignores a #dial= hash that is not a dialable link', async () => {
    window.history.replaceState(null, '', '/#dial=' + encodeURIComponent('javascript:alert(1)'));
    const dial = vi.fn();
    host.on('app:dial-request', dial);
    await Promise.resolve();
    await Promise.resolve();
    expect(dial).not.toHaveBeenCalled();
  });
});
