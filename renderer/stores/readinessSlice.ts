import type { StateCreator } from 'zustand';
import {
  gateAvailable,
  judgeEcho,
  judgeMicrophone,
  judgeSipServer,
  overallVerdict,
  type ReadinessItem,
  type ReadinessItemId,
  type ReadinessResult,
} from '../../core/readiness/readiness';
import { resolvePhoneAccount } from '../services/phone/account';
import * as realProbes from '../services/readiness/probes';
import type { AppState } from './appStore';
import type { StoreDeps } from './deps';

export type ReadinessProbes = Pick<typeof realProbes, 'probeMicrophone' | 'probeOutput' | 'probeSipServer' | 'probeTurn' | 'probeEchoCall'>;

export type ReadinessState = {
  open: boolean;
  running: boolean;
  /** The item being measured now, for the progress line. */
  step: ReadinessItemId | null;
  /** The microphone's level (dBFS) while it is measured: the meter. */
  micLevel: number;
  result: ReadinessResult | null;
  /** The agent asked for Available and the check stood in the way: go Available when it passes. */
  pendingAvailable: boolean;
};

export type ReadinessSlice = {
  readiness: ReadinessState;
  openReadiness(): void;
  closeReadiness(): void;
  runReadiness(): Promise<ReadinessResult>;
  /** Policy allows it: Available over a failed check (logged, and kept in the result). */
  overrideReadiness(): void;
  /**
   * Presence asks before going Available: true lets it through; false opens the check (which goes
   * Available by itself once it passes). Only a `required` ReadinessCheck policy ever says false.
   */
  readinessAllowsAvailable(): boolean;
};

const initial: ReadinessState = { open: false, running: false, step: null, micLevel: -120, result: null, pendingAvailable: false };

export const createReadinessSlice =
  (deps: StoreDeps, probes: ReadinessProbes = realProbes): StateCreator<AppState, [], [], ReadinessSlice> =>
  (set, get) => {
    const patch = (p: Partial<ReadinessState>) => set({ readiness: { ...get().readiness, ...p } });
    const log = (line: string) => deps.log?.(line);
    let running: Promise<ReadinessResult> | null = null;

    const run = async (): Promise<ReadinessResult> => {
      const policy = get().policy.values.ReadinessCheck;
      const { devices } = get().phone;
      const items: ReadinessItem[] = [];
      const step = (id: ReadinessItemId) => patch({ step: id });

      step('microphone');
      const mic = await probes.probeMicrophone(devices.microphone, 1500, (db) => patch({ micLevel: db }));
      items.push('error' in mic ? { id: 'microphone', verdict: 'fail', reason: mic.error, values: { detail: mic.message.slice(0, 200) } } : judgeMicrophone(mic.levelDb));

      for (const id of ['speaker', 'ringer'] as const) {
        step(id);
        const out = await probes.probeOutput(devices[id]);
        items.push('error' in out ? { id, verdict: 'fail', reason: out.error, values: { detail: out.message.slice(0, 200) } } : { id, verdict: 'pass', reason: 'ok', values: {} });
      }

      step('sipServer');
      let account: Awaited<ReturnType<typeof resolvePhoneAccount>>['account'] = null;
      let echoExtension: string | undefined;
      try {
        const resolved = await resolvePhoneAccount({ api: deps.api, host: deps.host, overrides: get().phone.overrides, policy: get().policy, userDisplayName: get().user?.displayName });
        account = resolved.account;
        echoExtension = policy.echoExtension ?? (resolved.status.kind === 'ready' ? resolved.status.echoExtension : undefined);
      } catch (e) {
        log(`[readiness] account: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!account) {
        items.push({ id: 'sipServer', verdict: 'fail', reason: 'sip-not-configured', values: {} });
      } else {
        const domain = account.sipUri.replace(/^sips?:[^@]*@/, '');
        items.push(judgeSipServer(await probes.probeSipServer(account.wsUri, domain)));
      }

      step('registration');
      const reg = get().phone.registration.kind;
      items.push(
        reg === 'registered'
          ? { id: 'registration', verdict: 'pass', reason: 'ok', values: {} }
          : { id: 'registration', verdict: reg === 'registering' ? 'warn' : 'fail', reason: reg === 'registering' ? 'registering' : 'not-registered', values: { state: reg } },
      );

      step('turn');
      const turn = account ? await probes.probeTurn(account.iceServers) : 'skipped';
      items.push(turn === 'skipped' ? { id: 'turn', verdict: 'skipped', reason: 'turn-not-configured', values: {} } : { id: 'turn', verdict: turn ? 'pass' : 'fail', reason: turn ? 'ok' : 'turn-no-relay', values: {} });

      step('echoCall');
      const sipDown = items.some((i) => i.id === 'sipServer' && i.verdict === 'fail');
      if (!account || !echoExtension) {
        items.push({ id: 'echoCall', verdict: 'skipped', reason: 'echo-not-configured', values: {} });
      } else if (sipDown) {
        items.push({ id: 'echoCall', verdict: 'fail', reason: 'echo-failed', values: { detail: 'phone server unreachable' } });
      } else {
        const echo = await probes.probeEchoCall(account, echoExtension, log);
        items.push('error' in echo ? { id: 'echoCall', verdict: 'fail', reason: 'echo-failed', values: { detail: echo.error.slice(0, 200) } } : judgeEcho(echo, policy));
      }

      step('network');
      const hints = await deps.host.networkHints?.().catch(() => null);
      if (!hints) items.push({ id: 'network', verdict: 'skipped', reason: 'network-unknown', values: {} });
      else if (hints.vpn) items.push({ id: 'network', verdict: 'warn', reason: 'network-vpn', values: { interfaces: hints.vpnInterfaces.join(', ').slice(0, 200) } });
      else if (hints.proxy) items.push({ id: 'network', verdict: 'warn', reason: 'network-proxy', values: { proxy: hints.proxy.slice(0, 200) } });
      else items.push({ id: 'network', verdict: 'pass', reason: 'ok', values: {} });

      const result: ReadinessResult = { at: Date.now(), overall: overallVerdict(items), items, overridden: false };
      log(`[readiness] verdict ${result.overall}; ${items.map((i) => `${i.id}=${i.verdict}${i.reason === 'ok' ? '' : `(${i.reason})`}`).join(' ')}`);
      return result;
    };

    return {
      readiness: initial,
      openReadiness: () => patch({ open: true }),
      closeReadiness: () => patch({ open: false, pendingAvailable: false }),
      runReadiness() {
        if (running) return running;
        patch({ running: true, open: true });
        running = run()
          .then((result) => {
            patch({ result, running: false, step: null });
            const { pendingAvailable } = get().readiness;
            if (pendingAvailable && gateAvailable(get().policy.values.ReadinessCheck, result).allow) {
              patch({ pendingAvailable: false });
              get().setPresence('available');
            }
            return result;
          })
          .finally(() => {
            running = null;
          });
        return running;
      },
      overrideReadiness() {
        const { result } = get().readiness;
        const decision = gateAvailable(get().policy.values.ReadinessCheck, result);
        if (decision.allow || !decision.canOverride || !result) return;
        log('[readiness] the agent went Available over a failed readiness check (policy allows an override)');
        patch({ result: { ...result, overridden: true }, pendingAvailable: false, open: false });
        get().setPresence('available');
      },
      readinessAllowsAvailable() {
        const decision = gateAvailable(get().policy.values.ReadinessCheck, get().readiness.result);
        if (decision.allow) return true;
        patch({ open: true, pendingAvailable: true });
        if (decision.why === 'not-run' && !get().readiness.running) void get().runReadiness();
        return false;
      },
    };
  };
