import { parsePolicyLayer } from '../../core/policy/effective';
import type { ReadText, SourceRead } from './sources';

/**
 * Linux: /etc/switchboard/policy.json, described by build/policy/linux/policy.schema.json. Owned by root,
 * so an agent cannot edit it. SWITCHBOARD_POLICY_FILE adds a file for tests and trials (policyService.ts).
 */
export const linuxPolicyFile = '/etc/switchboard/policy.json';

/**
 * Reads one JSON policy file: missing is empty, unreadable or malformed is a problem, never a crash, and
 * the values are validated key by key (`parse`; the user's own file uses core/policy/userSettings.ts).
 */
export async function readJsonPolicyFile(
  readText: ReadText,
  file: string,
  options: { parse?: (raw: unknown, source: string) => SourceRead; whenMalformed?: string } = {},
): Promise<SourceRead> {
  const parse = options.parse ?? parsePolicyLayer;
  let text: string | null;
  try {
    text = await readText(file);
  } catch (err) {
    return { layer: {}, problems: [`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`] };
  }
  if (text === null) return { layer: {}, problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { layer: {}, problems: [`${file}: not valid JSON; ${options.whenMalformed ?? 'no policy from it applied'}`] };
  }
  return parse(raw, file);
}
