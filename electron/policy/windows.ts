import { parsePolicyLayer } from '../../core/policy/effective';
import { normalisePlatformValues } from '../../core/policy/platformValues';
import type { RunCommand, SourceRead } from './sources';

/**
 * Windows: Group Policy writes HKLM\Software\Policies\Switchboard (Computer Configuration: mandatory)
 * and HKCU\Software\Policies\Switchboard (User Configuration: user defaults), from the ADMX in
 * build/policy/windows. Read with `reg query` rather than a native module: one small process at start,
 * nothing to rebuild per Electron version.
 */
export const windowsPolicyKeys = {
  machine: 'HKLM\\Software\\Policies\\Switchboard',
  userDefaults: 'HKCU\\Software\\Policies\\Switchboard',
} as const;

/**
 * Parses `reg query <key>` output. Lines look like `    ServerUrl    REG_SZ    https://x` (four-space
 * separated); REG_DWORD values print as hex (`0x1`). Other types (REG_MULTI_SZ, REG_BINARY, …) are not
 * produced by our ADMX and are reported.
 */
export function parseRegQuery(stdout: string, sourceLabel: string): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^ {4}(\S+) {4}(REG_[A-Z_0-9]+)(?: {4}(.*))?$/.exec(line);
    if (!m) continue;
    const [, name, type, data = ''] = m as unknown as [string, string, string, string | undefined];
    if (type === 'REG_SZ' || type === 'REG_EXPAND_SZ') values[name] = data;
    else if (type === 'REG_DWORD' && /^0x[0-9a-f]+$/i.test(data)) values[name] = Number.parseInt(data.slice(2), 16);
    else problems.push(`${sourceLabel}: ${name} ignored: unsupported registry type ${type}`);
  }
  return { values, problems };
}

export async function readWindowsKey(run: RunCommand, key: string): Promise<SourceRead> {
  const label = key;
  let result;
  try {
    result = await run('reg', ['query', key]);
  } catch (err) {
    return { layer: {}, problems: [`${label}: reg query failed: ${String(err)}`] };
  }
  // Exit code 1 with "unable to find the specified registry key": no policy configured, the usual case.
  if (result.code !== 0) {
    return /unable to find/i.test(result.stderr) || result.code === 1 ? { layer: {}, problems: [] } : { layer: {}, problems: [`${label}: reg query failed (${result.code ?? 'killed'})`] };
  }
  const raw = parseRegQuery(result.stdout, label);
  const normalised = normalisePlatformValues(raw.values, label);
  const parsed = parsePolicyLayer(normalised.values, label);
  return { layer: parsed.layer, problems: [...raw.problems, ...normalised.problems, ...parsed.problems] };
}

export async function readWindowsPolicy(run: RunCommand): Promise<{ machine: SourceRead; userDefaults: SourceRead }> {
  const [machine, userDefaults] = await Promise.all([readWindowsKey(run, windowsPolicyKeys.machine), readWindowsKey(run, windowsPolicyKeys.userDefaults)]);
  return { machine, userDefaults };
}
