import type { StateCreator } from 'zustand';
import { isManaged, resolvePolicy } from '../../core/policy/effective';
import type { EffectivePolicy, PolicyName, PolicyValues } from '../../core/policy/schema';
import { HostError } from '../services/host/host';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

/**
 * The effective managed policy as the renderer sees it (electron/policy or, in web mode, the server's
 * /client/policy), and the agent's changes to userSettable policies. The host decides: a change to a
 * managed policy is refused there even if a control here were somehow enabled.
 */
export type PolicySetResult = { ok: true } | { ok: false; code: string; message: string };

export type PolicySlice = {
  /** Built-in defaults until loadPolicy() answers, so consumers never wait on it. */
  policy: EffectivePolicy;
  policyLoaded: boolean;
  loadPolicy(): Promise<void>;
  setUserPolicy<K extends PolicyName>(name: K, value: PolicyValues[K]): Promise<PolicySetResult>;
};

export const defaultPolicy = (): EffectivePolicy => resolvePolicy({ machine: {}, user: {}, userPolicyDefaults: {} });

export const createPolicySlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], PolicySlice> =>
  (set) => ({
    policy: defaultPolicy(),
    policyLoaded: false,
    async loadPolicy() {
      try {
        set({ policy: await deps.host.getPolicy(), policyLoaded: true });
      } catch (err) {
        deps.log?.(`[policy] not loaded, defaults apply: ${String(err)}`);
        set({ policyLoaded: true });
      }
    },
    async setUserPolicy(name, value) {
      try {
        set({ policy: await deps.host.setUserPolicy(name, value) });
        return { ok: true };
      } catch (err) {
        if (err instanceof HostError) return { ok: false, code: err.code, message: err.message };
        return { ok: false, code: 'internal', message: String(err) };
      }
    },
  });

export const selectPolicyValue =
  <K extends PolicyName>(name: K) =>
  (s: AppState): PolicyValues[K] =>
    s.policy.values[name];
export const selectManaged = (name: PolicyName) => (s: AppState) => isManaged(s.policy, name);
