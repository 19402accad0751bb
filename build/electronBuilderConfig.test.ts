import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configPath = path.join(root, 'build', 'electron-builder.config.cjs');
const require = createRequire(path.join(root, 'package.json'));

type Config = Record<string, unknown> & {
  files: Array<string | { filter: string[] }>;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  deb: { desktop: { entry: Record<string, string> } };
  nsis: { perMachine: boolean };
  msi: { perMachine: boolean };
  protocols: Array<{ schemes: string[] }>;
};
type ConfigModule = {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
};

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as ConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const load = () => getConfig(root, configPath, null);

describe('electron-builder config', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check bites: an unknown key fails', async () => {
    const config = { ...(await load()), bogusKey: true };
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/bogusKey/);
  });

  it('identifies the app and registers the dial schemes', async () => {
    const config = await load();
    expect(config).toMatchObject({ appId: 'dev.switchboard.app', productName: 'Switchboard', asar: true });
    expect(config.protocols.flatMap((p) => p.schemes).sort()).toEqual(['callto', 'sip', 'tel']);
    expect(config.deb.desktop.entry.MimeType).toBe('x-scheme-handler/tel;x-scheme-handler/sip;x-scheme-handler/callto;');
  });

  it('ships only dist/** and package.json, without maps, tests or .env files', async () => {
    // getConfig normalises `files` into filter objects.
    const files = (await load()).files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    const includes = files.filter((f) => !f.startsWith('!'));
    expect(includes.sort()).toEqual(['dist/**/*', 'package.json']);
    for (const excluded of ['!dist/**/*.map', '!**/*.test.*', '!**/.env*']) expect(files).toContain(excluded);
  });

  it('flips the fuses that stop the app being used as a Node runtime or loading unchecked code', async () => {
    expect((await load()).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('installs per machine on Windows and lists every release target', async () => {
    const config = await load();
    expect(config.nsis.perMachine).toBe(true);
    expect(config.msi.perMachine).toBe(true);
    expect(config.linux.target).toEqual(expect.arrayContaining(['dir', 'tar.gz', 'deb', 'AppImage', 'rpm']));
    expect(config).toMatchObject({ win: { target: ['nsis', 'msi'] }, mac: { target: ['dmg', 'pkg'] } });
  });
});
