import { strToU8, zipSync, type Zippable } from 'fflate';
import type { CallTimeline, DiagnosticsRequest, SipTraceEntry } from './parts';
import { redactSipMessage, redactText, redactValue } from './redact';

/**
 * Builds the diagnostics archive's files from what the renderer and its host gathered, and zips them.
 * Pure (no I/O): Electron main and the browser host both call it. Every byte passes the redactor again
 * here, with the secrets the host knows right now (tokens, SIP password) scrubbed as literals, because
 * a line captured before a token was issued could not have known to hide it.
 *
 * Layout:
 *   manifest.json      what is inside, created-at, redaction note
 *   versions.json      app, Electron/Chromium/Node or browser, OS
 *   policy.json        effective policy values, where each came from, problems reading policy
 *   logs/*.log         rotated logs, newest last in the manifest order main.N.log … main.log
 *   calls/<id>.json    recent calls' quality timelines (RTT, jitter, loss, MOS per sample)
 *   sip-trace.txt      recent SIP messages, both directions
 */

export type LogFile = { name: string; text: string };

export type ArchiveInput = {
  request: DiagnosticsRequest;
  /** Versions only the host knows (Electron, Chromium, Node, OS release); merged over the renderer's. */
  hostVersions: Record<string, string>;
  logs: readonly LogFile[];
  /** Literal secrets to remove wherever they appear (current tokens, SIP password). */
  knownSecrets: readonly string[];
  createdAt: number;
};

export const MANIFEST_FORMAT = 'Switchboard diagnostics v1';

const logName = /^[a-z0-9][a-z0-9.-]{0,60}\.log$/;
const safeId = (id: string): string => id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'call';
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));

export function callTimelineFile(call: CallTimeline): unknown {
  return {
    callId: call.callId,
    direction: call.direction,
    startedAt: iso(call.startedAt),
    endedAt: call.endedAt === null ? null : iso(call.endedAt),
    outcome: call.outcome,
    samples: call.samples.map((s) => ({ at: iso(s.at), rttMs: round(s.rttMs), jitterMs: round(s.jitterMs), lossPct: round(s.lossPct), mos: round(s.mos, 2), codec: s.codec })),
  };
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function sipTraceText(entries: readonly SipTraceEntry[], knownSecrets: readonly string[]): string {
  if (entries.length === 0) return '# No SIP messages were captured in this session (the softphone was not registered).\n';
  return entries
    .map((e) => `--- ${iso(e.at)} ${e.direction === 'out' ? 'sent' : 'received'} ---\n${redactSipMessage(e.message, knownSecrets).replace(/\r\n/g, '\n').trimEnd()}\n`)
    .join('\n');
}

/** The archive's files as text, redacted; keys are paths inside the zip. */
export function diagnosticsFiles(input: ArchiveInput): Record<string, string> {
  const { request, knownSecrets } = input;
  const files: Record<string, string> = {};
  const versions = redactValue({ ...request.versions, ...input.hostVersions }, knownSecrets);
  files['versions.json'] = json(versions);
  files['policy.json'] = json(
    redactValue(
      request.policy
        ? { values: request.policy.values, sources: request.policy.sources, problems: request.policy.problems, status: request.policyNote }
        : { values: null, sources: null, problems: [], status: request.policyNote ?? 'The effective policy was not available.' },
      knownSecrets,
    ),
  );
  for (const log of input.logs) {
    if (!logName.test(log.name)) continue;
    files[`logs/${log.name}`] = redactText(log.text, knownSecrets);
  }
  const usedIds = new Set<string>();
  for (const call of request.calls) {
    let id = safeId(call.callId);
    while (usedIds.has(id)) id = `${id}_`;
    usedIds.add(id);
    files[`calls/${id}.json`] = json(redactValue(callTimelineFile(call), knownSecrets));
  }
  files['sip-trace.txt'] = sipTraceText(request.sipTrace, knownSecrets);
  if (request.readiness) files['readiness.json'] = json(redactValue(request.readiness, knownSecrets));

  const manifest = {
    format: MANIFEST_FORMAT,
    createdAt: iso(input.createdAt),
    redaction: 'Passwords, tokens, SIP digest credentials, SDP keys and customer message text are removed; a removed text shows its length only.',
    files: Object.entries(files).map(([name, text]) => ({ name, bytes: strToU8(text).length, what: describe(name) })),
  };
  return { 'manifest.json': json(manifest), ...files };
}

function describe(name: string): string {
  if (name === 'versions.json') return 'app, runtime and OS versions';
  if (name === 'policy.json') return 'effective policy, the source of each value, problems reading policy';
  if (name.startsWith('logs/')) return 'application log';
  if (name.startsWith('calls/')) return 'call quality timeline';
  if (name === 'sip-trace.txt') return 'SIP trace';
  if (name === 'readiness.json') return 'last readiness check: each item\'s verdict and figures';
  return '';
}

/** Zips the files (deflate). File times are the creation time, so the archive's listing is meaningful. */
export function zipDiagnostics(files: Record<string, string>, createdAt: number): Uint8Array {
  const mtime = new Date(createdAt);
  const zippable: Zippable = {};
  for (const [name, text] of Object.entries(files)) zippable[name] = [strToU8(text), { mtime, level: 6 }];
  return zipSync(zippable);
}

/** `Switchboard-diagnostics-20261124-0105.zip`, in UTC so two agents' archives sort alike. */
export function archiveName(createdAt: number): string {
  const d = new Date(createdAt).toISOString();
  return `Switchboard-diagnostics-${d.slice(0, 10).replace(/-/g, '')}-${d.slice(11, 19).replace(/:/g, '')}.zip`;
}
