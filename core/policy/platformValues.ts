import { policies, policyNames, type PolicyName } from './schema';

/**
 * Normalises values as the Windows registry and macOS managed preferences hold them before
 * parsePolicyLayer validates them: json-kind policies are strings holding JSON there (REG_SZ, plist
 * <string>), booleans are REG_DWORD 0/1, and an empty string means "not configured" (an admin cleared
 * the text box but left the policy enabled). Problems name the source and key; a bad value never
 * costs the other policies.
 */
export function normalisePlatformValues(raw: Record<string, unknown>, sourceLabel: string): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!(policyNames as string[]).includes(key)) {
      values[key] = value; // parsePolicyLayer reports unknown keys
      continue;
    }
    const kind = policies[key as PolicyName].kind;
    if (value === '') continue;
    if (kind === 'json' && typeof value === 'string') {
      try {
        values[key] = JSON.parse(value) as unknown;
      } catch {
        problems.push(`${sourceLabel}: ${key} ignored: not valid JSON`);
      }
      continue;
    }
    if (kind === 'boolean' && typeof value === 'number') {
      if (value === 0 || value === 1) values[key] = value === 1;
      else problems.push(`${sourceLabel}: ${key} ignored: expected 0 or 1, got ${value}`);
      continue;
    }
    if (kind === 'boolean' && typeof value === 'string' && /^(true|false|0|1)$/i.test(value)) {
      values[key] = /^(true|1)$/i.test(value);
      continue;
    }
    values[key] = value;
  }
  return { values, problems };
}
