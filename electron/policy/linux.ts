import { parsePolicyLayer } from '../../core/policy/effective';
import type { ReadText, SourceRead } from './sources';

/**
 * Linux: /etc/switchboard/policy.json, described by build/policy/linux/policy.schema.json. Owned by root,
 * so an agent cannot edit it. SWITCHBOARD_POLICY_FILE adds a file for tests and trials (policyService.ts).
 */
export const linuxPolicyFile = '/etc/switchboard/policy.json';

export async function readJsonPolicyFile(readText: ReadText, file: string): Promise<SourceRead> {
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
    return { layer: {}, problems: [`${file}: not valid JSON; no policy from it applied`] };
  }
  return parsePolicyLayer(raw, file);
}
