import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PolicyLayer } from '../../core/policy/schema';
import { parseUserLayer } from '../../core/policy/userSettings';
import { readJsonPolicyFile } from './linux';
import { readText as defaultReadText, type ReadText, type SourceRead } from './sources';

/**
 * What the agent changed in Settings, in userData/policy-user.json. Validated on every read: a file
 * edited by hand loses only its bad keys, and a key IT has since made non-user-settable is dropped.
 */
export type UserPolicyStore = { load(): Promise<SourceRead>; save(layer: PolicyLayer): Promise<void> };

export function createUserPolicyStore(file: string, io: { readText?: ReadText; write?: (file: string, text: string) => Promise<void> } = {}): UserPolicyStore {
  const readText = io.readText ?? defaultReadText;
  const write = io.write ?? atomicWrite;
  return {
    load: () => readJsonPolicyFile(readText, file, { parse: parseUserLayer, whenMalformed: 'your settings were reset to defaults' }),
    save: (layer) => write(file, `${JSON.stringify(layer, null, 2)}\n`),
  };
}

/** Write-then-rename, so a crash or power cut mid-write leaves the old file, never half a file. */
async function atomicWrite(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}
