import { applyIcePolicy } from '../../../core/policy/ice';
import type { EffectivePolicy } from '../../../core/policy/schema';
import { applySipPolicy } from '../../../core/policy/sip';
import type { SipAccount, SipAccountOverride } from '../../../core/wire/sip';
import { ApiError, type Api } from '../api/api';
import type { Host } from '../host/host';
import type { PhoneAccount } from './phone';

/** Which softphone account the agent has, as Settings and the status bar show it. */
export type AccountStatus =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'ready'; source: 'server' | 'override'; wsUri: string; sipUri: string; authUser: string; echoExtension?: string; demoCustomerLine?: boolean }
  /** The server provisioned no softphone account for this user, and no override fills the gap. */
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

export type ResolvedAccount = { status: AccountStatus; account: PhoneAccount | null };

/**
 * The account the phone registers with, in three layers: what the server provisioned
 * (GET /me/sip-account; 404 means none), the agent's Settings overrides (the password from the host's
 * secure storage), and over both the managed SIP endpoint and TURN policies (core/policy).
 * Throws when the server fails otherwise; the caller shows that as an account error.
 */
export async function resolvePhoneAccount(input: {
  api: Pick<Api, 'sipAccount'>;
  host: Pick<Host, 'getSecret'>;
  overrides: SipAccountOverride;
  policy: EffectivePolicy;
  userDisplayName: string | undefined;
}): Promise<ResolvedAccount> {
  const o = input.overrides;
  const password = o.password ?? (await input.host.getSecret('sip.password').catch(() => null)) ?? undefined;
  let server: SipAccount | null = null;
  try {
    server = await input.api.sipAccount();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const merged = { ...server, ...o, ...(password ? { password } : {}), ...applySipPolicy({ ...server, ...o }, o, input.policy) };
  if (!merged.wsUri || !merged.sipUri || !merged.authUser || !merged.password) return { status: { kind: 'missing' }, account: null };
  const overridden = Object.keys(o).length > 0 || password !== undefined;
  return {
    status: {
      kind: 'ready',
      source: overridden ? 'override' : 'server',
      wsUri: merged.wsUri,
      sipUri: merged.sipUri,
      authUser: merged.authUser,
      ...(server?.echoExtension ? { echoExtension: server.echoExtension } : {}),
      ...(server?.demoCustomerLine ? { demoCustomerLine: true } : {}),
    },
    account: {
      wsUri: merged.wsUri,
      sipUri: merged.sipUri,
      authUser: merged.authUser,
      password: merged.password,
      displayName: server?.displayName ?? input.userDisplayName ?? '',
      ...applyIcePolicy(server?.iceServers ?? [], input.policy.values),
    },
  };
}
