import { describe, expect, it, vi } from 'vitest';
import { createDialRouter, dialLinksFromArgv } from './dialLinks';

describe('dial links', () => {
  it('finds links among a second instance argv and ignores flags and paths', () => {
    const argv = ['/opt/Switchboard/switchboard', '--no-sandbox', '/home/a/tel:notes.txt', 'tel:+49-30-123', 'SIP:1001@pbx.example.com'];
    expect(dialLinksFromArgv(argv)).toEqual(['tel:+49-30-123', 'SIP:1001@pbx.example.com']);
  });

  it('forwards parsed links to the renderer once it is ready', () => {
    const send = vi.fn();
    const router = createDialRouter(send, () => undefined);
    router.ready();
    expect(router.accept('tel:+49 (30) 123-45')).toBe(true);
    expect(router.accept('sip:1001@pbx.example.com;transport=ws?X-Evil=1')).toBe(true);
    expect(send.mock.calls.map((c) => c[0])).toEqual([
      { target: '+493012345', source: 'link' },
      { target: 'sip:1001@pbx.example.com', source: 'link' },
    ]);
  });

  it('holds only the latest link until the renderer is ready and drops undialable ones', () => {
    const send = vi.fn();
    const router = createDialRouter(send, () => undefined);
    expect(router.accept('tel:111')).toBe(true);
    expect(router.accept('tel:222')).toBe(true);
    expect(router.accept('https://evil.example')).toBe(false);
    expect(send).not.toHaveBeenCalled();
    router.ready();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith({ target: '222', source: 'link' });
    router.notReady();
    router.accept('callto:333');
    expect(send).toHaveBeenCalledTimes(1);
    router.ready();
    expect(send).toHaveBeenLastCalledWith({ target: '333', source: 'link' });
  });
});
