import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '../../core/ipc';
import { unsupportedStatus } from '../../core/update/status';
import { resolvePolicy } from '../../core/policy/effective';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
const registered = vi.hoisted(() => new Map<string, Listener>());
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, listener: Listener) => registered.set(channel, listener),
    removeHandler: (channel: string) => registered.delete(channel),
  },
}));

const { registerHandlers, sendEvent } = await import('./ipcMain');
const { createHandlers } = await import('../handlers');
const { HostError } = await import('./hostError');

const mainContents = { id: 1 } as unknown as WebContents;
const topFrame = { parent: null, url: 'app://switchboard/index.html' };
const event = (over: Partial<{ sender: unknown; senderFrame: unknown }> = {}) =>
  ({ sender: mainContents, senderFrame: topFrame, ...over }) as unknown as IpcMainInvokeEvent;

function setup() {
  registered.clear();
  const secrets = { get: vi.fn(async () => 'tok'), set: vi.fn(async () => undefined), delete: vi.fn(async () => undefined) };
  const deps = {
    info: vi.fn(() => ({ kind: 'electron' as const, appVersion: '0.1.0', platform: 'linux', osLanguages: ['zh-TW'], serverUrl: 'http://127.0.0.1:7600' })),
    setLocale: vi.fn(),
    getPolicy: vi.fn(() => resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} })),
    setUserPolicy: vi.fn(async () => resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} })),
    secrets,
    openAllowListedLink: vi.fn(async () => undefined),
    notify: vi.fn(),
    setPresence: vi.fn(),
    bringToFront: vi.fn(),
    setFullScreen: vi.fn(),
    updates: { status: vi.fn(() => unsupportedStatus('0.1.0')), installNow: vi.fn(), setActivity: vi.fn() },
    appendLogs: vi.fn(async () => undefined),
    networkHints: vi.fn(async () => ({ vpn: false, vpnInterfaces: [], proxy: null })),
    exportDiagnostics: vi.fn(async () => ({ location: '/tmp/x.zip', bytes: 1 })),
    sso: { begin: vi.fn(async () => ({ redirectUri: 'http://127.0.0.1:1/sso/x' })), authorize: vi.fn(async () => 'http://127.0.0.1:1/sso/x?code=c&state=s') },
  };
  const log = vi.fn();
  registerHandlers(createHandlers(deps), { mainContents: () => mainContents, log });
  const call = (channel: string, ev: IpcMainInvokeEvent, ...args: unknown[]) => registered.get(channel)!(ev, ...args);
  return { deps, secrets, log, call };
}

describe('IPC wrapper', () => {
  beforeEach(() => registered.clear());

  it('registers every contract channel', () => {
    setup();
    expect([...registered.keys()].sort()).toEqual(Object.keys(invoke).sort());
  });

  it('answers our main frame with the wrapped value', async () => {
    const t = setup();
    expect(await t.call('secrets:get', event(), 'auth.refresh-token')).toEqual({ ok: true, value: 'tok' });
    expect(await t.call('app:get-info', event())).toMatchObject({ ok: true, value: { kind: 'electron', serverUrl: 'http://127.0.0.1:7600' } });
  });

  it('refuses a subframe, another webContents, a navigated page and a vanished frame without running the handler', async () => {
    const t = setup();
    const bad = [
      event({ senderFrame: { parent: topFrame, url: 'app://switchboard/index.html' } }),
      event({ sender: { id: 2 } }),
      event({ senderFrame: { parent: null, url: 'https://evil.example/' } }),
      event({ senderFrame: { parent: null, url: 'file:///tmp/x.html' } }),
      event({ senderFrame: null }),
    ];
    for (const ev of bad) {
      expect(await t.call('secrets:get', ev, 'auth.refresh-token')).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
    }
    expect(t.secrets.get).not.toHaveBeenCalled();
  });

  it('drops malformed arguments with a typed bad-args error and a log line; the handler never runs', async () => {
    const t = setup();
    const cases: Array<[string, unknown[]]> = [
      ['secrets:get', ['not-a-key']],
      ['secrets:get', []],
      ['secrets:set', ['sip.password', 42]],
      ['secrets:set', ['sip.password', 'x'.repeat(20_000)]],
      ['tray:set-presence', ['lunch']],
      ['os:notify', [{ title: '', body: 'x' }]],
      ['app:get-info', ['extra']],
      ['update:set-activity', [{ inCall: 'yes', inShift: true }]],
      ['update:install-now', ['now']],
      ['logs:append', [Array.from({ length: 201 }, () => ({ at: 0, level: 'info', line: 'x' }))]],
      ['logs:append', [[{ at: 0, level: 'info', line: 'x'.repeat(4001) }]]],
      ['diagnostics:export', [{ versions: {}, policy: null, policyNote: null, calls: [], sipTrace: [{ at: 0, direction: 'in', message: 'x'.repeat(17_000) }] }]],
      ['policy:set-user', ['NoSuchPolicy', 1]],
      ['policy:set-user', []],
    ];
    for (const [channel, args] of cases) {
      const result = await t.call(channel, event(), ...args);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    }
    expect(t.secrets.get).not.toHaveBeenCalled();
    expect(t.secrets.set).not.toHaveBeenCalled();
    expect(t.deps.setPresence).not.toHaveBeenCalled();
    expect(t.deps.notify).not.toHaveBeenCalled();
    expect(t.deps.info).not.toHaveBeenCalled();
    expect(t.deps.updates.setActivity).not.toHaveBeenCalled();
    expect(t.deps.updates.installNow).not.toHaveBeenCalled();
    expect(t.deps.appendLogs).not.toHaveBeenCalled();
    expect(t.deps.exportDiagnostics).not.toHaveBeenCalled();
    expect(t.deps.setUserPolicy).not.toHaveBeenCalled();
    expect(t.log).toHaveBeenCalledWith(expect.stringMatching(/^\[ipc secrets:get\] dropped bad arguments/));
  });

  it('turns a throwing handler into internal, and a HostError into its own code', async () => {
    const t = setup();
    t.deps.bringToFront.mockImplementation(() => {
      throw new Error('boom with /home/agent/secret path');
    });
    const result = await t.call('window:bring-to-front', event());
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'window:bring-to-front failed' } });
    t.secrets.set.mockRejectedValueOnce(new HostError('unavailable', 'no keyring'));
    expect(await t.call('secrets:set', event(), 'sip.password', 'pw')).toEqual({ ok: false, error: { code: 'unavailable', message: 'no keyring' } });
  });
});

describe('sendEvent', () => {
  it('sends a payload that matches the contract and refuses one that does not', () => {
    const send = vi.fn();
    const target = { send, isDestroyed: () => false } as unknown as WebContents;
    expect(sendEvent(target, 'app:dial-request', { target: '+4930123', source: 'link' })).toBe(true);
    expect(send).toHaveBeenCalledWith('app:dial-request', { target: '+4930123', source: 'link' });
    send.mockClear();
    expect(sendEvent(target, 'app:dial-request', { target: '', source: 'link' }, () => undefined)).toBe(false);
    expect(sendEvent(null, 'power:resumed', null)).toBe(false);
    expect(send).not.toHaveBeenCalled();
  });
});
