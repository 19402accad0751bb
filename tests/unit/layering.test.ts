import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Proves the three locks on the layering (house style) bite: lint zones, the core/ tsconfig without DOM
 * or Node types, and the electron / ipcMain import bans. Each probe is a real file in the real folder,
 * checked by the project's own configs, and removed afterwards.
 */
const root = join(import.meta.dirname, '../..');
const probes: string[] = [];
function probe(relPath: string, source: string): string {
  const file = join(root, relPath);
  writeFileSync(file, source);
  probes.push(file);
  return file;
}
afterAll(() => {
  for (const f of probes) rmSync(f, { force: true });
});

// One ESLint for all probes: typed linting builds the project's TypeScript program once (tens of seconds
// on a loaded 2-core machine), so the tests below get a generous timeout.
let eslint: ESLint | undefined;
async function lintMessages(file: string): Promise<string[]> {
  eslint ??= new ESLint({ cwd: root });
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering', { timeout: 180_000 }, () => {
  it('refuses a renderer file that imports electron, Node or another process folder', async () => {
    const file = probe('renderer/zzLayeringProbe.ts', [
      "import { ipcRenderer } from 'electron';",
      "import { readFileSync } from 'node:fs';",
      "import { buildServer } from '../server/app';",
      'export const probe = [ipcRenderer, readFileSync, buildServer];',
    ].join('\n'));
    const messages = await lintMessages(file);
    expect(messages.some((m) => m.includes("Only electron/ may import electron"))).toBe(true);
    expect(messages.some((m) => m.includes('no Node'))).toBe(true);
    expect(messages.some((m) => m.includes('server/ is off limits'))).toBe(true);
  });

  it('refuses raw ipcMain outside the one IPC wrapper', async () => {
    const file = probe('electron/zzLayeringProbe.ts', "import { ipcMain } from 'electron';\nexport const probe = ipcMain;\n");
    const messages = await lintMessages(file);
    expect(messages.some((m) => m.includes('electron/ipc/ipcMain.ts'))).toBe(true);
  });

  it('refuses a core file that touches document or process, by lint and by compiler', async () => {
    const file = probe('core/zzLayeringProbe.ts', 'export const title = document.title;\nexport const env = process.env;\n');
    const messages = await lintMessages(file);
    expect(messages.some((m) => m.startsWith('no-restricted-globals') && m.includes('document'))).toBe(true);
    expect(messages.some((m) => m.startsWith('no-restricted-globals') && m.includes('process'))).toBe(true);

    let tscOutput = '';
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'core/tsconfig.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
    } catch (e) {
      tscOutput = String((e as { stdout?: string }).stdout ?? '');
    }
    expect(tscOutput).toMatch(/zzLayeringProbe\.ts.*Cannot find name 'document'/);
    expect(tscOutput).toMatch(/zzLayeringProbe\.ts.*Cannot find name 'process'/);
  });
});
