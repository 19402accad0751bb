import type { DiagnosticsRequest, DiagnosticsSaved, LogEntry } from '../../../core/diagnostics/parts';
import type { EffectivePolicy } from '../../../core/policy/schema';
import type { ReadinessResult } from '../../../core/readiness/readiness';
import { createCallQualityRecorder, type CallQualityRecorder } from './callQuality';
import { captureUncaught, createLogger, type Logger } from './logger';
import { createSipTrace, type SipTrace } from './sipTrace';

/**
 * The renderer's diagnostics, wired once in main.tsx: the logger every `log(line)` site writes to, the
 * SIP trace the phone feeds, the call-quality recorder that taps the phone's delegate, and the export
 * that hands all of it to the host (which adds its log files and versions, redacts and zips).
 */

export type DiagnosticsHost = {
  appendLogs(entries: LogEntry[]): Promise<void>;
  exportDiagnostics(request: DiagnosticsRequest): Promise<DiagnosticsSaved>;
};

export type Diagnostics = {
  logger: Logger;
  /** `(line) => logger.log(line)`, for the existing `log` dependencies. */
  log: (line: string) => void;
  sipTrace: SipTrace;
  calls: CallQualityRecorder;
  /** Applies the LogLevel policy; call when the effective policy is known or changes. */
  applyPolicy(policy: EffectivePolicy): void;
  export(): Promise<DiagnosticsSaved>;
};

export type DiagnosticsDeps = {
  host: DiagnosticsHost;
  appVersion: string;
  hostKind: () => string;
  /** The effective policy from the host (`policy:get`); null when the host cannot tell. */
  policy?: () => Promise<EffectivePolicy | null>;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  win?: Window;
  /** The last readiness check, for readiness.json in the archive. */
  readiness?: () => ReadinessResult | null;
};

export function createDiagnostics(deps: DiagnosticsDeps): Diagnostics {
  const logger = createLogger({ sink: (entries) => deps.host.appendLogs(entries) });
  const sipTrace = createSipTrace();
  const calls = createCallQualityRecorder({ storage: deps.storage ?? null });
  if (deps.win) captureUncaught(deps.win, logger);

  async function policySnapshot(): Promise<Pick<DiagnosticsRequest, 'policy' | 'policyNote'>> {
    if (!deps.policy) return { policy: null, policyNote: 'This host does not report the effective policy (no policy:get).' };
    try {
      const policy = await deps.policy();
      return policy ? { policy, policyNote: null } : { policy: null, policyNote: 'The host reported no effective policy.' };
    } catch (err) {
      return { policy: null, policyNote: `Reading the effective policy failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000) };
    }
  }

  return {
    logger,
    log: (line) => logger.log(line),
    sipTrace,
    calls,
    applyPolicy(policy) {
      logger.setLevel(policy.values.LogLevel);
    },
    async export() {
      // The host reads its log files: what is still batched here must reach them first.
      await logger.flush();
      const nav = deps.win?.navigator;
      const request: DiagnosticsRequest = {
        versions: {
          app: deps.appVersion,
          host: deps.hostKind(),
          userAgent: (nav?.userAgent ?? 'unknown').slice(0, 512),
          language: (nav?.language ?? 'unknown').slice(0, 512),
          logLevel: logger.level(),
        },
        ...(await policySnapshot()),
        calls: calls.timelines().slice(0, 20),
        sipTrace: sipTrace.entries().slice(-2000),
        readiness: deps.readiness?.() ?? null,
      };
      const saved = await deps.host.exportDiagnostics(request);
      logger.write('info', `[diagnostics] exported ${saved.bytes} bytes to ${saved.location}`);
      return saved;
    },
  };
}
