import { policies, policyNames, type EffectivePolicy, type PolicyLayer, type PolicyName, type PolicySource, type PolicyValues } from './schema';

/**
 * Precedence: a mandatory (machine) policy, then what the user set, then the admin's recommended user
 * defaults (HKCU policies on Windows), then the built-in default. A user value for a policy that is not
 * `userSettable` is ignored: only IT may change those.
 */
export type PolicyLayers = {
  machine: PolicyLayer;
  user: PolicyLayer;
  userPolicyDefaults: PolicyLayer;
};

export function resolvePolicy(layers: PolicyLayers, problems: readonly string[] = []): EffectivePolicy {
  const values = {} as Record<PolicyName, unknown>;
  const sources = {} as Record<PolicyName, PolicySource>;
  for (const name of policyNames) {
    const pick = (): [unknown, PolicySource] => {
      if (layers.machine[name] !== undefined) return [layers.machine[name], 'machine-policy'];
      if (policies[name].userSettable && layers.user[name] !== undefined) return [layers.user[name], 'user'];
      if (layers.userPolicyDefaults[name] !== undefined) return [layers.userPolicyDefaults[name], 'user-policy-default'];
      return [policies[name].default, 'default'];
    };
    [values[name], sources[name]] = pick();
  }
  return { values: values as PolicyValues, sources, problems: [...problems] };
}

/** True when IT locked the policy: Settings shows it as managed and refuses to change it. */
export const isManaged = (policy: EffectivePolicy, name: PolicyName): boolean => policy.sources[name] === 'machine-policy';

/**
 * Validates one source's raw values key by key, so one bad value (a typo in the registry, a malformed
 * entry in policy.json) costs only that policy, never the others; each problem names the source and key.
 */
export function parsePolicyLayer(raw: unknown, sourceLabel: string): { layer: PolicyLayer; problems: string[] } {
  const problems: string[] = [];
  const layer: Record<string, unknown> = {};
  if (raw === null || raw === undefined) return { layer: {}, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { layer: {}, problems: [`${sourceLabel}: expected an object of policies, got ${Array.isArray(raw) ? 'an array' : typeof raw}`] };
  }
  for (const [key, value] of Object.entries(raw)) {
    if (!(policyNames as string[]).includes(key)) {
      problems.push(`${sourceLabel}: unknown policy ${JSON.stringify(key).slice(0, 80)} ignored`);
      continue;
    }
    const name = key as PolicyName;
    const parsed = policies[name].schema.safeParse(value);
    if (parsed.success) layer[name] = parsed.data;
    else problems.push(`${sourceLabel}: ${name} ignored: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
  }
  return { layer: layer as PolicyLayer, problems };
}
