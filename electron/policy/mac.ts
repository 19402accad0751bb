import { parsePolicyLayer } from '../../core/policy/effective';
import { normalisePlatformValues } from '../../core/policy/platformValues';
import { mergeReads, type RunCommand, type SourceRead } from './sources';

/**
 * macOS: an MDM-installed configuration profile (build/policy/macos) lands in
 * /Library/Managed Preferences/<appId>.plist (device) and /Library/Managed Preferences/<user>/<appId>.plist
 * (user channel). Both are mandatory; the user's file is the more specific and wins key by key.
 * `plutil -convert json` reads binary and XML plists alike without a native module.
 */
export const managedPreferencesDir = '/Library/Managed Preferences';

export function macPolicyFiles(appId: string, user: string): string[] {
  const files = [`${managedPreferencesDir}/${appId}.plist`];
  // A user name with a slash would escape the folder; such a name cannot exist, so it is skipped.
  if (user && !user.includes('/') && user !== '.' && user !== '..') files.push(`${managedPreferencesDir}/${user}/${appId}.plist`);
  return files;
}

export async function readMacPlist(run: RunCommand, exists: (path: string) => Promise<boolean>, file: string): Promise<SourceRead> {
  if (!(await exists(file))) return { layer: {}, problems: [] };
  const result = await run('plutil', ['-convert', 'json', '-o', '-', file]).catch((err: unknown) => ({ code: null, stdout: '', stderr: String(err) }));
  if (result.code !== 0) return { layer: {}, problems: [`${file}: plutil could not read it (${result.stderr.trim().slice(0, 200) || result.code})`] };
  let raw: unknown;
  try {
    raw = JSON.parse(result.stdout);
  } catch {
    return { layer: {}, problems: [`${file}: plutil did not produce JSON`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { layer: {}, problems: [`${file}: expected a dictionary of policies`] };
  const normalised = normalisePlatformValues(raw as Record<string, unknown>, file);
  const parsed = parsePolicyLayer(normalised.values, file);
  return { layer: parsed.layer, problems: [...normalised.problems, ...parsed.problems] };
}

export async function readMacPolicy(deps: { run: RunCommand; exists: (path: string) => Promise<boolean>; appId: string; user: string }): Promise<SourceRead> {
  const reads = [];
  for (const file of macPolicyFiles(deps.appId, deps.user)) reads.push(await readMacPlist(deps.run, deps.exists, file));
  return mergeReads(...reads);
}
