import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { SecretKey } from '../core/ipc';
import { exportDiagnostics } from './diagnostics';

describe('diagnostics:export in main', () => {
  it('writes one zip to the downloads folder with the log files, host versions and no stored secret', async () => {
    const stored: Record<SecretKey, string> = { 'auth.access-token': 'access-token-value-1', 'auth.refresh-token': 'refresh-token-value-2', 'sip.password': 'test1003' };
    const written: Array<{ file: string; data: Uint8Array }> = [];
    const saved = await exportDiagnostics(
      {
        logs: { files: async () => [{ name: 'main.log', text: 'INFO [phone] REGISTER as 1003 with test1003; token refresh-token-value-2\n' }] },
        secrets: { get: async (k) => stored[k] },
        appVersion: '0.1.0',
        outDir: () => '/home/agent/Downloads',
        writeFile: async (file, data) => void written.push({ file, data }),
        now: () => Date.UTC(2026, 10, 24, 1, 0, 0),
      },
      { versions: { app: '0.1.0' }, policy: null, policyNote: 'not yet', calls: [], sipTrace: [{ at: 0, direction: 'out', message: 'REGISTER sip:pbx SIP/2.0\r\nX-Debug: access-token-value-1\r\n\r\n' }] },
    );
    expect(saved.location).toBe('/home/agent/Downloads/Switchboard-diagnostics-20261124-010000.zip');
    expect(written).toHaveLength(1);
    expect(saved.bytes).toBe(written[0]!.data.length);
    const files = unzipSync(written[0]!.data);
    expect(Object.keys(files).sort()).toEqual(['logs/main.log', 'manifest.json', 'policy.json', 'sip-trace.txt', 'versions.json']);
    const versions = JSON.parse(strFromU8(files['versions.json']!)) as Record<string, string>;
    expect(versions.node).toBe(process.versions.node);
    expect(versions.os).toMatch(/\S+ \S+ \(\S+ \S+\)/);
    const all = Object.values(files).map((b) => strFromU8(b)).join('\n');
    for (const secret of Object.values(stored)) expect(all).not.toContain(secret);
  });
});
