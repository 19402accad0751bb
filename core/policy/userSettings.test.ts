import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './effective';
import { normalisePlatformValues } from './platformValues';
import { applyUserSetting, parseUserLayer } from './userSettings';

describe('user settings', () => {
  const managed = resolvePolicy({ machine: { ServerUrl: 'https://corp.example.com' }, user: {}, userPolicyDefaults: {} });

  it('refuses managed, IT-only, unknown and invalid changes, each with its reason', () => {
    expect(applyUserSetting(managed, {}, 'ServerUrl', 'https://x.example.com')).toMatchObject({ ok: false, refusal: { reason: 'managed' } });
    expect(applyUserSetting(managed, {}, 'RelayOnlyTls443', true)).toMatchObject({ ok: false, refusal: { reason: 'not-user-settable' } });
    expect(applyUserSetting(managed, {}, 'Nope', 1)).toMatchObject({ ok: false, refusal: { reason: 'unknown-policy' } });
    expect(applyUserSetting(managed, {}, 'SipWebSocketUrl', 'http://x')).toMatchObject({ ok: false, refusal: { reason: 'invalid-value', message: 'SipWebSocketUrl: must be a ws:// or wss:// URL' } });
    expect(applyUserSetting(managed, { LogLevel: 'warn' }, 'SipWebSocketUrl', 'wss://pbx.example.com:7443')).toEqual({ ok: true, user: { LogLevel: 'warn', SipWebSocketUrl: 'wss://pbx.example.com:7443' } });
  });

  it('reads back only userSettable keys', () => {
    expect(parseUserLayer({ LogLevel: 'debug', UpdateMode: 'none' }, 'f')).toEqual({ layer: { LogLevel: 'debug' }, problems: ['f: UpdateMode ignored: only your organization may set it'] });
  });

  it('normalises registry and plist shapes: DWORD booleans, JSON strings, empty text as not configured', () => {
    expect(normalisePlatformValues({ StartAtLogin: 1, AllowWebMode: 'false', TurnServers: '[]', SipDomain: '', RelayOnlyTls443: 2, UpdateWindow: '{' }, 'src')).toEqual({
      values: { StartAtLogin: true, AllowWebMode: false, TurnServers: [] },
      problems: ['src: RelayOnlyTls443 ignored: expected 0 or 1, got 2', 'src: UpdateWindow ignored: not valid JSON'],
    });
  });
});
