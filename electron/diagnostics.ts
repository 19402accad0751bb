import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { archiveName, diagnosticsFiles, zipDiagnostics } from '../core/diagnostics/archive';
import type { DiagnosticsRequest, DiagnosticsSaved } from '../core/diagnostics/parts';
import type { SecretKey } from '../core/ipc';
import type { RotatingLog } from './logs';
import type { SecretStore } from './secrets';

/**
 * `diagnostics:export` in the desktop app: the rotated log files from disk, the runtime versions only
 * main knows, and the renderer's SIP trace, call timelines and policy, redacted and zipped into the
 * Downloads folder (an agent can find it there and attach it to a ticket; no dialog to get lost behind
 * the window during a call). The current tokens and SIP password are scrubbed as literals.
 */

export type DiagnosticsDeps = {
  logs: Pick<RotatingLog, 'files'>;
  secrets: Pick<SecretStore, 'get'>;
  appVersion: string;
  /** The folder the archive goes to (app.getPath('downloads')). */
  outDir: () => string;
  writeFile?: (file: string, data: Uint8Array) => Promise<void>;
  now?: () => number;
};

const secretKeys: SecretKey[] = ['auth.access-token', 'auth.refresh-token', 'sip.password'];

export function hostVersions(appVersion: string): Record<string, string> {
  const v = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  return {
    app: appVersion,
    electron: v.electron ?? 'none',
    chromium: v.chrome ?? 'none',
    node: v.node,
    v8: v.v8,
    os: `${os.type()} ${os.release()} (${os.platform()} ${os.arch()})`,
  };
}

async function knownSecrets(secrets: DiagnosticsDeps['secrets']): Promise<string[]> {
  const values = await Promise.all(secretKeys.map((k) => secrets.get(k).catch(() => null)));
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export async function exportDiagnostics(deps: DiagnosticsDeps, request: DiagnosticsRequest): Promise<DiagnosticsSaved> {
  const createdAt = (deps.now ?? Date.now)();
  const files = diagnosticsFiles({
    request,
    hostVersions: hostVersions(deps.appVersion),
    logs: await deps.logs.files(),
    knownSecrets: await knownSecrets(deps.secrets),
    createdAt,
  });
  const zip = zipDiagnostics(files, createdAt);
  const location = path.join(deps.outDir(), archiveName(createdAt));
  await (deps.writeFile ?? ((f, d) => writeFile(f, d, { mode: 0o600 })))(location, zip);
  return { location, bytes: zip.length };
}
