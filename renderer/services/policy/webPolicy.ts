import { parsePolicyLayer, resolvePolicy } from '../../../core/policy/effective';
import type { EffectivePolicy, PolicyLayer, PolicyName } from '../../../core/policy/schema';
import { applyUserSetting, parseUserLayer } from '../../../core/policy/userSettings';
import { fail, ok, type IpcResult } from '../../../core/result';

/**
 * The policy in web mode (the browser host). The central server serves IT's policy for web clients at
 * GET /client/policy (the same format as /etc/switchboard/policy.json); it is fetched once at start.
 * What the agent changes lives in localStorage and is validated on every read, since any script or
 * person at the keyboard can edit it. A policy that cannot be fetched is a problem shown in Settings;
 * the app then runs on defaults rather than not at all (an agent mid-shift must still take calls).
 */
export const userPolicyStorageKey = 'switchboard.policy-user';

export type WebPolicyDeps = {
  /** Resolves to the parsed JSON body of GET /client/policy; rejects on network or HTTP failure. */
  fetchPolicy: () => Promise<unknown>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
};

export type WebPolicy = {
  get(): Promise<EffectivePolicy>;
  setUser(name: PolicyName, value: unknown): Promise<IpcResult<EffectivePolicy>>;
};

export function createWebPolicy(deps: WebPolicyDeps): WebPolicy {
  // Fetched on first use, once: main.tsx asks at start, before the first render.
  let machine: Promise<{ layer: PolicyLayer; problems: string[] }> | null = null;
  const loadMachine = () =>
    (machine ??= deps.fetchPolicy().then(
      (body) => parsePolicyLayer(body, 'server policy'),
      (err: unknown) => ({ layer: {}, problems: [`server policy: not loaded (${err instanceof Error ? err.message : String(err)})`] }),
    ));

  const readUser = () => {
    const text = deps.storage.getItem(userPolicyStorageKey);
    if (text === null) return { layer: {}, problems: [] };
    try {
      return parseUserLayer(JSON.parse(text) as unknown, 'saved settings');
    } catch {
      return { layer: {}, problems: ['saved settings: not valid JSON; defaults used'] };
    }
  };

  const resolve = async () => {
    const m = await loadMachine();
    const user = readUser();
    return { user: user.layer, effective: resolvePolicy({ machine: m.layer, user: user.layer, userPolicyDefaults: {} }, [...m.problems, ...user.problems]) };
  };

  return {
    get: async () => (await resolve()).effective,
    async setUser(name, value) {
      const { user, effective } = await resolve();
      const verdict = applyUserSetting(effective, user, name, value);
      if (!verdict.ok) return fail(verdict.refusal.reason === 'invalid-value' ? 'bad-args' : 'not-allowed', verdict.refusal.message);
      deps.storage.setItem(userPolicyStorageKey, JSON.stringify(verdict.user));
      return ok((await resolve()).effective);
    },
  };
}

/** GET /client/policy on the page's own server, with a timeout so a hung request cannot hold the start. */
export function fetchClientPolicy(win: Window, timeoutMs = 5_000): () => Promise<unknown> {
  return async () => {
    const controller = new AbortController();
    const timer = win.setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await win.fetch(`${win.location.origin}/client/policy`, { cache: 'no-store', credentials: 'omit', signal: controller.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as unknown;
    } finally {
      win.clearTimeout(timer);
    }
  };
}
