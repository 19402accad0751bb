import { isManaged, parsePolicyLayer } from './effective';
import { policies, policyNames, type EffectivePolicy, type PolicyLayer, type PolicyName } from './schema';

/**
 * What the agent changed in Settings, for policies marked userSettable. Electron keeps it in a JSON
 * file in userData, the browser host in localStorage; both read it back through here, so a file edited
 * by hand (or a value IT later made non-user-settable) is validated and never applied blindly.
 */
export function parseUserLayer(raw: unknown, sourceLabel: string): { layer: PolicyLayer; problems: string[] } {
  const { layer, problems } = parsePolicyLayer(raw, sourceLabel);
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(layer)) {
    if (policies[name as PolicyName].userSettable) kept[name] = value;
    else problems.push(`${sourceLabel}: ${name} ignored: only your organization may set it`);
  }
  return { layer: kept as PolicyLayer, problems };
}

export type UserSettingRefusal = {
  /** managed: IT locked it; not-user-settable: only IT may ever set it; invalid-value: fails the schema. */
  reason: 'managed' | 'not-user-settable' | 'invalid-value' | 'unknown-policy';
  message: string;
};

/**
 * Checks one change the agent asks for against the effective policy and returns the new user layer.
 * Refuses a managed policy even if the renderer's control was somehow enabled: the host is the lock.
 */
export function applyUserSetting(
  effective: EffectivePolicy,
  user: PolicyLayer,
  name: string,
  value: unknown,
): { ok: true; user: PolicyLayer } | { ok: false; refusal: UserSettingRefusal } {
  if (!(policyNames as string[]).includes(name)) return { ok: false, refusal: { reason: 'unknown-policy', message: `unknown policy ${JSON.stringify(name).slice(0, 80)}` } };
  const policy = name as PolicyName;
  if (!policies[policy].userSettable) return { ok: false, refusal: { reason: 'not-user-settable', message: `${policy} can only be set by your organization` } };
  if (isManaged(effective, policy)) return { ok: false, refusal: { reason: 'managed', message: `${policy} is managed by your organization` } };
  const parsed = policies[policy].schema.safeParse(value);
  if (!parsed.success) return { ok: false, refusal: { reason: 'invalid-value', message: `${policy}: ${parsed.error.issues[0]?.message ?? 'invalid value'}` } };
  return { ok: true, user: { ...user, [policy]: parsed.data } };
}
