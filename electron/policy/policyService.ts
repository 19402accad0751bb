import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolvePolicy } from '../../core/policy/effective';
import type { EffectivePolicy, PolicyName } from '../../core/policy/schema';
import { applyUserSetting } from '../../core/policy/userSettings';
import { HostError } from '../ipc/hostError';
import { linuxPolicyFile, readJsonPolicyFile } from './linux';
import { readMacPolicy } from './mac';
import { emptyRead, mergeReads, readText as defaultReadText, runCommand, type ReadText, type RunCommand, type SourceRead } from './sources';
import { createUserPolicyStore, type UserPolicyStore } from './userStore';
import { readWindowsPolicy } from './windows';

/** The app id of build/electron-builder.config.cjs: the macOS managed-preferences domain. */
export const appId = 'dev.switchboard.app';

export type PolicyReaderDeps = {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  run: RunCommand;
  readText: ReadText;
  exists: (path: string) => Promise<boolean>;
  userName: string;
};

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

export function defaultReaderDeps(): PolicyReaderDeps {
  return { platform: process.platform, env: process.env, run: runCommand, readText: defaultReadText, exists, userName: safeUserName() };
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

/**
 * The OS's policy layers for this platform. SWITCHBOARD_POLICY_FILE (a policy.json anywhere, for tests
 * and trials) is read on every platform but sits beneath the OS source: an agent who sets the variable
 * can add policies, never loosen one IT set.
 */
export async function readOsPolicy(deps: PolicyReaderDeps): Promise<{ machine: SourceRead; userDefaults: SourceRead }> {
  const envFile = deps.env.SWITCHBOARD_POLICY_FILE?.trim();
  const extra = envFile ? await readJsonPolicyFile(deps.readText, envFile) : emptyRead();
  if (deps.platform === 'win32') {
    const win = await readWindowsPolicy(deps.run);
    return { machine: mergeReads(extra, win.machine), userDefaults: win.userDefaults };
  }
  if (deps.platform === 'darwin') {
    return { machine: mergeReads(extra, await readMacPolicy({ run: deps.run, exists: deps.exists, appId, user: deps.userName })), userDefaults: emptyRead() };
  }
  return { machine: mergeReads(extra, await readJsonPolicyFile(deps.readText, linuxPolicyFile)), userDefaults: emptyRead() };
}

export type PolicyService = {
  get(): EffectivePolicy;
  /** Re-reads every source (the OS policy can change while the app runs, e.g. a GPO refresh). */
  reload(): Promise<EffectivePolicy>;
  /** Throws HostError not-allowed (managed / IT only) or bad-args (invalid value). */
  setUser(name: PolicyName, value: unknown): Promise<EffectivePolicy>;
  /** Called after every change of the effective policy, to apply StartAtLogin and friends. */
  onChange(listener: (policy: EffectivePolicy) => void): () => void;
};

export async function createPolicyService(deps: { reader: PolicyReaderDeps; userStore: UserPolicyStore; log?: (line: string) => void }): Promise<PolicyService> {
  let fromOs: { machine: SourceRead; userDefaults: SourceRead } = { machine: emptyRead(), userDefaults: emptyRead() };
  let user: SourceRead = emptyRead();
  let effective: EffectivePolicy = resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} });
  const listeners = new Set<(policy: EffectivePolicy) => void>();
  const recompute = () => {
    effective = resolvePolicy({ machine: fromOs.machine.layer, user: user.layer, userPolicyDefaults: fromOs.userDefaults.layer }, [...fromOs.machine.problems, ...fromOs.userDefaults.problems, ...user.problems]);
    for (const l of listeners) l(effective);
    return effective;
  };
  const reload = async () => {
    [fromOs, user] = await Promise.all([readOsPolicy(deps.reader), deps.userStore.load()]);
    for (const p of [...fromOs.machine.problems, ...fromOs.userDefaults.problems, ...user.problems]) deps.log?.(`[policy] ${p}`);
    return recompute();
  };
  await reload();
  return {
    get: () => effective,
    reload,
    async setUser(name, value) {
      const verdict = applyUserSetting(effective, user.layer, name, value);
      if (!verdict.ok) throw new HostError(verdict.refusal.reason === 'invalid-value' ? 'bad-args' : 'not-allowed', verdict.refusal.message);
      await deps.userStore.save(verdict.user);
      user = { layer: verdict.user, problems: user.problems };
      return recompute();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The effective policy, read once, for main-process modules that need it outside the IPC service
 * (the updater reads UpdateMode, UpdateWindow and UpdateFeedUrl here). userDataDir: Electron's
 * app.getPath('userData'), where the agent's own settings live.
 */
export async function loadEffectivePolicy(options: { userDataDir: string; reader?: PolicyReaderDeps; log?: (line: string) => void }): Promise<EffectivePolicy> {
  const service = await createPolicyService({
    reader: options.reader ?? defaultReaderDeps(),
    userStore: createUserPolicyStore(userPolicyFile(options.userDataDir)),
    ...(options.log ? { log: options.log } : {}),
  });
  return service.get();
}

export const userPolicyFile = (userDataDir: string) => path.join(userDataDir, 'policy-user.json');
