import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../policy/effective';
import { archiveName, diagnosticsFiles, MANIFEST_FORMAT, zipDiagnostics, type ArchiveInput } from './archive';
import type { DiagnosticsRequest } from './parts';

const sipPassword = 'test1003';
const accessToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudDQifQ.dGhpcy1pcy10aGUtc2lnbmF0dXJlLXBhcnQ';
const refreshToken = 'Zx81kPq0vN3mLr7TyU2wEe5sAa9dFg4hJj6kLl1ZzXc';
const customerText = 'My account number is 99-1234-5678, please call me';
const createdAt = Date.UTC(2026, 10, 24, 1, 5, 0);

const register = [
  'REGISTER sip:pbx.example.com SIP/2.0',
  'Call-ID: abc123callid',
  'Authorization: Digest username="1003", realm="pbx.example.com", nonce="bm9uY2UtdmFsdWUtMTIz", uri="sip:pbx.example.com", response="0f1e2d3c4b5a69788796a5b4c3d2e1f0", algorithm=MD5',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');
const message = `MESSAGE sip:1001@pbx.example.com SIP/2.0\r\nContent-Type: text/plain\r\nContent-Length: ${customerText.length}\r\n\r\n${customerText}`;

function input(overrides: Partial<DiagnosticsRequest> = {}): ArchiveInput {
  const policy = resolvePolicy({
    machine: { ServerUrl: 'https://pbx.example.com', TurnServers: [{ urls: 'turns:turn.example.com:443', username: 'agent', credential: 'turn-secret-42' }] },
    user: { LogLevel: 'debug' },
    userPolicyDefaults: {},
  });
  return {
    request: {
      versions: { app: '0.1.0', userAgent: 'Mozilla/5.0 test' },
      policy,
      policyNote: null,
      calls: [
        {
          callId: 'c1abc',
          direction: 'inbound',
          startedAt: createdAt - 120_000,
          endedAt: createdAt - 60_000,
          outcome: 'ended',
          samples: [
            { at: createdAt - 119_000, rttMs: 41.26, jitterMs: 3.04, lossPct: 0, mos: 4.4123, codec: 'opus' },
            { at: createdAt - 118_000, rttMs: 380, jitterMs: 45, lossPct: 8.5, mos: 2.1, codec: 'opus' },
          ],
        },
      ],
      sipTrace: [
        { at: createdAt - 130_000, direction: 'out', message: register },
        { at: createdAt - 125_000, direction: 'in', message },
      ],
      ...overrides,
    },
    hostVersions: { electron: '45.4.1', os: 'Linux 6.1' },
    logs: [
      { name: 'main.1.log', text: `2026-11-24T00:00:00.000Z INFO  [api] login ok, refresh ${refreshToken}\n` },
      { name: 'main.log', text: `2026-11-24T00:01:00.000Z WARN  [phone] REGISTER with password ${sipPassword} refused\n` },
      { name: '../escape.log', text: 'must not be written' },
    ],
    knownSecrets: [sipPassword, accessToken, refreshToken],
    createdAt,
  };
}

describe('diagnostics archive', () => {
  it('holds every listed part, and the manifest names each file with its size', () => {
    const zip = zipDiagnostics(diagnosticsFiles(input()), createdAt);
    const files = unzipSync(zip);
    const names = Object.keys(files).sort();
    expect(names).toEqual(['calls/c1abc.json', 'logs/main.1.log', 'logs/main.log', 'manifest.json', 'policy.json', 'sip-trace.txt', 'versions.json']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { format: string; createdAt: string; files: { name: string; bytes: number }[] };
    expect(manifest.format).toBe(MANIFEST_FORMAT);
    expect(manifest.createdAt).toBe('2026-11-24T01:05:00.000Z');
    for (const f of manifest.files) expect(files[f.name]!.length, f.name).toBe(f.bytes);

    const versions = JSON.parse(strFromU8(files['versions.json']!)) as Record<string, string>;
    expect(versions).toMatchObject({ app: '0.1.0', electron: '45.4.1', os: 'Linux 6.1' });
    const policy = JSON.parse(strFromU8(files['policy.json']!)) as { values: Record<string, unknown>; sources: Record<string, string> };
    expect(policy.values.ServerUrl).toBe('https://pbx.example.com');
    expect(policy.sources.ServerUrl).toBe('machine-policy');
    expect(policy.sources.LogLevel).toBe('user');
  });

  it('keeps the call quality timeline per sample', () => {
    const files = unzipSync(zipDiagnostics(diagnosticsFiles(input()), createdAt));
    const call = JSON.parse(strFromU8(files['calls/c1abc.json']!)) as { direction: string; samples: { at: string; rttMs: number; jitterMs: number; lossPct: number; mos: number }[] };
    expect(call.direction).toBe('inbound');
    expect(call.samples).toEqual([
      { at: '2026-11-24T01:03:01.000Z', rttMs: 41.3, jitterMs: 3, lossPct: 0, mos: 4.41, codec: 'opus' },
      { at: '2026-11-24T01:03:02.000Z', rttMs: 380, jitterMs: 45, lossPct: 8.5, mos: 2.1, codec: 'opus' },
    ]);
  });

  it('finds no password, token, digest credential, TURN credential or customer text anywhere in the zip', () => {
    const zip = zipDiagnostics(diagnosticsFiles(input()), createdAt);
    const all = Object.values(unzipSync(zip)).map((b) => strFromU8(b)).join('\n');
    for (const secret of [sipPassword, accessToken, refreshToken, '0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'bm9uY2UtdmFsdWUtMTIz', 'turn-secret-42', customerText, '99-1234-5678']) {
      expect(all, secret).not.toContain(secret);
    }
    const trace = strFromU8(unzipSync(zip)['sip-trace.txt']!);
    expect(trace).toContain('REGISTER sip:pbx.example.com SIP/2.0');
    expect(trace).toContain('Call-ID: abc123callid');
    expect(trace).toContain(`[redacted: ${customerText.length} chars]`);
  });

  it('says so when there is no SIP trace or policy, rather than leaving a file out', () => {
    const files = diagnosticsFiles(input({ sipTrace: [], policy: null, policyNote: 'policy:get is not available in this host' }));
    expect(files['sip-trace.txt']).toMatch(/No SIP messages/);
    expect(JSON.parse(files['policy.json']!)).toMatchObject({ values: null, status: 'policy:get is not available in this host' });
  });

  it('gives two calls with ids that sanitise alike two files', () => {
    const base = input().request.calls[0]!;
    const files = diagnosticsFiles(input({ calls: [{ ...base, callId: 'a/b' }, { ...base, callId: 'a:b' }] }));
    expect(Object.keys(files).filter((n) => n.startsWith('calls/'))).toEqual(['calls/a_b.json', 'calls/a_b_.json']);
  });

  it('names the archive by its UTC creation time', () => {
    expect(archiveName(createdAt)).toBe('Switchboard-diagnostics-20261124-010500.zip');
  });
});
