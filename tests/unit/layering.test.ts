import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Proves the three locks on the layering (house style) bite: lint zones (between processes and inside
 * renderer/), the core/ tsconfig without DOM or Node types, and the electron / ipcMain import bans.
 *
 * Each probe is a real file checked by the project's own configs, but in a temporary copy of the
 * project (the configs, core/ and a link to node_modules), never in the source folders: a crash or a
 * killed run leaves at most a directory under the system's temp folder, not a probe in the tree.
 */
const root = join(import.meta.dirname, '../..');
let copy = '';
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'switchboard-layering-'));
  for (const f of ['package.json', 'eslint.config.js', 'tsconfig.json', 'tsconfig.base.json']) cpSync(join(root, f), join(copy, f));
  // core/ for the compiler lock (its own tsconfig, its real sources); tests are left out as its tsconfig leaves them out.
  cpSync(join(root, 'core'), join(copy, 'core'), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  symlinkSync(realpathSync(join(root, 'node_modules')), join(copy, 'node_modules'), 'dir');
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function probe(relPath: string, source: string): string {
  const file = join(copy, relPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  return file;
}

// One ESLint for all probes: typed linting builds the project's TypeScript program once (tens of seconds
// on a loaded 2-core machine), so the tests below get a generous timeout.
let eslint: ESLint | undefined;
async function lintMessages(file: string): Promise<string[]> {
  eslint ??= new ESLint({ cwd: copy });
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}
/** The no-restricted-imports messages that name this import specifier. */
const refusals = (messages: string[], specifier: string) => messages.filter((m) => m.startsWith('no-restricted-imports') && m.includes(`'${specifier}'`));

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
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'core/tsconfig.json', '--noEmit'], { cwd: copy, encoding: 'utf8' });
    } catch (e) {
      tscOutput = String((e as { stdout?: string }).stdout ?? '');
    }
    expect(tscOutput).toMatch(/zzLayeringProbe\.ts.*Cannot find name 'document'/);
    expect(tscOutput).toMatch(/zzLayeringProbe\.ts.*Cannot find name 'process'/);
  });

  it('a services file importing stores/ or features/ fails the lint', async () => {
    const file = probe('renderer/services/sync/zzLayeringProbe.ts', [
      "import { createAppStore } from '../../stores/appStore';",
      "import { TicketDetail } from '../../features/tickets/TicketDetail';",
      "import { createApi } from '../api/api';",
      "import { PullResponse } from '../../../core/sync/wire';",
      'export const probe = [createAppStore, TicketDetail, createApi, PullResponse];',
    ].join('\n'));
    const messages = await lintMessages(file);
    expect(refusals(messages, '../../stores/appStore').some((m) => m.includes('renderer/services/ are adapters'))).toBe(true);
    expect(refusals(messages, '../../features/tickets/TicketDetail').some((m) => m.includes('renderer/services/ are adapters'))).toBe(true);
    // Another service and core/ stay allowed.
    expect(refusals(messages, '../api/api')).toEqual([]);
    expect(refusals(messages, '../../../core/sync/wire')).toEqual([]);
  });

  it('a ui file importing features/ (or stores/, services/, i18n/) fails the lint', async () => {
    const file = probe('renderer/ui/zzLayeringProbe.tsx', [
      "import { TicketDetail } from '../features/tickets/TicketDetail';",
      "import { createAppStore } from '../stores/appStore';",
      "import { createApi } from '../services/api/api';",
      "import { translate } from '../i18n/i18n';",
      "import { Kbd } from './Kbd';",
      "import { showName } from '../../core/chat/safeText';",
      'export const probe = [TicketDetail, createAppStore, createApi, translate, Kbd, showName];',
    ].join('\n'));
    const messages = await lintMessages(file);
    for (const specifier of ['../features/tickets/TicketDetail', '../stores/appStore', '../services/api/api', '../i18n/i18n']) {
      expect(refusals(messages, specifier).some((m) => m.includes('renderer/ui/ holds primitives')), specifier).toBe(true);
    }
    // ui/ itself and core/ stay allowed.
    expect(refusals(messages, './Kbd')).toEqual([]);
    expect(refusals(messages, '../../core/chat/safeText')).toEqual([]);
  });

  it('a stores file importing i18n/ fails the lint', async () => {
    const file = probe('renderer/stores/zzLayeringProbe.ts', [
      "import { translate } from '../i18n/i18n';",
      "import { createApi } from '../services/api/api';",
      'export const probe = [translate, createApi];',
    ].join('\n'));
    const messages = await lintMessages(file);
    expect(refusals(messages, '../i18n/i18n').some((m) => m.includes('renderer/stores/ import no i18n/'))).toBe(true);
    // A store may use services (they are injected, but their types and errors are shared).
    expect(refusals(messages, '../services/api/api')).toEqual([]);
  });
});
