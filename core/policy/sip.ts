import { isManaged } from './effective';
import type { EffectivePolicy } from './schema';

export type SipEndpoint = { wsUri?: string | undefined; sipUri?: string | undefined };

/**
 * SipWebSocketUrl and SipDomain over the account the server provisioned and the agent's own override
 * (Settings → Phone account). Managed: the policy wins over both. Set but not managed (the agent's own
 * value in Settings, or an HKCU recommendation): it wins over the server, not over an explicit override.
 * The domain replaces the host of the agent's SIP address (sip:1001@old → sip:1001@domain).
 */
export function applySipPolicy(merged: SipEndpoint, agentOverride: SipEndpoint, policy: EffectivePolicy): SipEndpoint {
  const ws = policy.values.SipWebSocketUrl;
  const domain = policy.values.SipDomain;
  const wsUri = ws && (isManaged(policy, 'SipWebSocketUrl') || !agentOverride.wsUri) ? ws : merged.wsUri;
  let sipUri = merged.sipUri;
  if (domain && sipUri && (isManaged(policy, 'SipDomain') || !agentOverride.sipUri)) sipUri = sipUri.replace(/@[^;:>?]+/, `@${domain}`);
  return { wsUri, sipUri };
}
