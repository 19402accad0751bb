import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../core/policy/effective';
import type { SipAccount } from '../../../core/wire/sip';
import { ApiError } from '../api/api';
import { resolvePhoneAccount } from './account';

const provisioned: SipAccount = { wsUri: 'wss://pbx.example.com/ws', sipUri: 'sip:1001@example.com', authUser: '1001', password: 'server-pw', displayName: 'Agent One', iceServers: [] };
const policy = resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} });

function input(opts: { server?: () => Promise<SipAccount>; secret?: string | null; overrides?: Record<string, string> } = {}) {
  return {
    api: { sipAccount: opts.server ?? (() => Promise.resolve(provisioned)) },
    host: { getSecret: () => Promise.resolve(opts.secret ?? null) },
    overrides: opts.overrides ?? {},
    policy,
    userDisplayName: 'Fallback Name',
  };
}

describe('the phone account: provisioned, overridden in Settings, under policy', () => {
  it('takes the provisioned account as it is', async () => {
    const r = await resolvePhoneAccount(input());
    expect(r.status).toEqual({ kind: 'ready', source: 'server', wsUri: provisioned.wsUri, sipUri: provisioned.sipUri, authUser: '1001' });
    expect(r.account).toMatchObject({ wsUri: provisioned.wsUri, password: 'server-pw', displayName: 'Agent One', iceTransportPolicy: 'all' });
  });

  it('lays Settings overrides and the stored password over it, and says the account is overridden', async () => {
    const r = await resolvePhoneAccount(input({ overrides: { wsUri: 'wss://other.example.com/ws' }, secret: 'mine' }));
    expect(r.status).toMatchObject({ kind: 'ready', source: 'override', wsUri: 'wss://other.example.com/ws' });
    expect(r.account).toMatchObject({ wsUri: 'wss://other.example.com/ws', password: 'mine' });
  });

  it('no account provisioned (404) and no override: missing; any other server failure throws', async () => {
    const none = await resolvePhoneAccount(input({ server: () => Promise.reject(new ApiError(404, 'not-found', 'none')) }));
    expect(none).toEqual({ status: { kind: 'missing' }, account: null });
    await expect(resolvePhoneAccount(input({ server: () => Promise.reject(new ApiError(500, 'internal', 'boom')) }))).rejects.toThrow('boom');
  });

  it('a complete override stands in for a missing provisioned account, named after the user', async () => {
    const r = await resolvePhoneAccount(
      input({ server: () => Promise.reject(new ApiError(404, 'not-found', 'none')), overrides: { wsUri: 'wss://pbx.example.com/ws', sipUri: 'sip:1009@example.com', authUser: '1009', password: 'pw' } }),
    );
    expect(r.account).toMatchObject({ sipUri: 'sip:1009@example.com', displayName: 'Fallback Name', iceServers: [] });
  });
});
