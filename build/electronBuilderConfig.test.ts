import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configPath = path.join(root, 'build', 'electron-builder.config.cjs');
const require = createRequire(path.join(root, 'package.json'));

type Config = Record<string, unknown> & {
  files: Array<string | { filter: string[] }>;
  extraResources: Array<{ from: string; to: string; filter: string[] }>;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; mimeTypes?: string[]; executableName: string };
  deb: { depends: string[]; fpm: string[] };
  nsis: Record<string, unknown>;
  msi: Record<string, unknown>;
  pkg: Record<string, unknown>;
  protocols: Array<{ schemes: string[] }>;
  msiProjectCreated: unknown;
};
type ConfigModule = {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
};

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as ConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const load = () => getConfig(root, configPath, null);
const validate = (config: Config) => validateConfiguration(config, new DebugLogger(false));

/** The config reduced to the sections one platform's installers read (plus what every config needs). */
async function only(...keys: string[]): Promise<Config> {
  const full = await load();
  const common = ['appId', 'productName', 'copyright', 'directories', 'files', 'extraResources', 'asar', 'npmRebuild', 'protocols', 'electronFuses'];
  return Object.fromEntries(Object.entries(full).filter(([k]) => common.includes(k) || keys.includes(k))) as Config;
}

describe('electron-builder config', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validate(await load())).resolves.toBeUndefined();
  });

  it('the schema check bites: an unknown key fails', async () => {
    await expect(validate({ ...(await load()), bogusKey: true })).rejects.toThrow(/bogusKey/);
  });

  it('the Windows configuration (win, nsis, msi and the MSI hook) validates on its own; a wrong type in it fails', async () => {
    const windows = await only('win', 'nsis', 'msi', 'msiProjectCreated');
    expect(Object.keys(windows)).toEqual(expect.arrayContaining(['win', 'nsis', 'msi', 'msiProjectCreated']));
    await expect(validate(windows)).resolves.toBeUndefined();
    await expect(validate({ ...windows, nsis: { ...windows.nsis, perMachine: 'yes' } })).rejects.toThrow(/perMachine/);
    await expect(validate({ ...windows, msi: { ...windows.msi, perMachine: 'yes' } })).rejects.toThrow(/configuration\.msi/);
  });

  it('the macOS configuration (mac, dmg, pkg) validates on its own; a wrong type in it fails', async () => {
    const mac = await only('mac', 'dmg', 'pkg');
    expect(Object.keys(mac)).toEqual(expect.arrayContaining(['mac', 'dmg', 'pkg']));
    await expect(validate(mac)).resolves.toBeUndefined();
    await expect(validate({ ...mac, pkg: { ...mac.pkg, isRelocatable: 'no' } })).rejects.toThrow(/isRelocatable/);
  });

  it('identifies the app and declares the dial schemes once (macOS URL types and the Linux MimeType come from it)', async () => {
    const config = await load();
    expect(config).toMatchObject({ appId: 'dev.switchboard.app', productName: 'Switchboard', asar: true });
    expect(config.protocols.flatMap((p) => p.schemes).sort()).toEqual(['callto', 'sip', 'tel']);
    // electron-builder adds x-scheme-handler/<scheme> for each protocol; linux.mimeTypes would repeat them.
    expect(config.linux.mimeTypes ?? []).toEqual([]);
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

  it('installs per machine and silently on Windows: one-click NSIS (/S), MSI that never launches the app as SYSTEM', async () => {
    const config = await load();
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: true, deleteAppDataOnUninstall: false });
    expect(config.msi).toMatchObject({ oneClick: true, perMachine: true, runAfterFinish: false });
    expect(config.msiProjectCreated).toBeTypeOf('function');
  });

  it('declares a generic update feed, so packages carry the app-update.yml electron-updater needs (policy sets the real URL)', async () => {
    const config = await load();
    expect(config.publish).toEqual([{ provider: 'generic', url: expect.stringMatching(/^https:\/\//) }]);
  });

  it('lists every release target', async () => {
    const config = await load();
    expect(config.linux.target).toEqual(expect.arrayContaining(['dir', 'tar.gz', 'deb', 'rpm', 'AppImage']));
    expect(config).toMatchObject({ win: { target: ['nsis', 'msi'] }, mac: { target: ['dmg', 'pkg'] } });
  });

  it('the deb depends on what a softphone needs: audio, GPU buffers and the keyring', async () => {
    expect((await load()).deb.depends).toEqual(expect.arrayContaining(['libasound2', 'libgbm1', 'libsecret-1-0', 'libnss3', 'libgtk-3-0']));
  });

  it('ships the policy templates: resources/policy/ everywhere, /usr/share/switchboard/policy/ in the deb', async () => {
    const config = await load();
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'build/policy', to: 'policy' })]);
    expect(config.extraResources[0]!.filter).not.toContain('**/*.ts');
    for (const mapping of config.deb.fpm) {
      expect(mapping).toMatch(new RegExp(`^${path.join(root, 'build/policy')}/.+\\.(admx|adml|mobileconfig|plist|json|md)=/usr/share/switchboard/policy/.+`));
    }
  });

  it('issue 12 item 15d (update signature): signed Windows builds name their publisher, and the app-update.yml electron-updater reads carries it', async () => {
    const config = await load();
    expect(config).toMatchObject({ win: { signtoolOptions: { publisherName: ['Switchboard contributors'] }, verifyUpdateCodeSignature: true } });

    // What electron-builder writes to resources/app-update.yml for a Windows package (PublishManager's
    // afterPack step), computed by electron-builder itself on this config, without building anything.
    type Lib = {
      Packager: new (options: { projectDir: string; config: string }) => { validateConfig(): Promise<void>; _appInfo: unknown };
      Arch: { x64: number };
    };
    const { Packager, Arch } = require('app-builder-lib') as Lib;
    const { AppInfo } = require('app-builder-lib/out/appInfo') as { AppInfo: new (info: unknown, version: null) => unknown };
    const { WinPackager } = require('app-builder-lib/out/winPackager') as { WinPackager: new (info: unknown) => unknown };
    const { getAppUpdatePublishConfiguration } = require('app-builder-lib/out/publish/PublishManager') as {
      getAppUpdatePublishConfiguration(packager: unknown, target: null, arch: number, errorIfCannot: boolean): Promise<Record<string, unknown> | null>;
    };
    const { serializeToYaml } = require('builder-util') as { serializeToYaml(value: unknown): string };
    const packager = new Packager({ projectDir: root, config: configPath });
    await packager.validateConfig();
    packager._appInfo = new AppInfo(packager, null);
    const publishConfig = await getAppUpdatePublishConfiguration(new WinPackager(packager), null, Arch.x64, false);
    expect(publishConfig).toMatchObject({ provider: 'generic', publisherName: ['Switchboard contributors'] });

    // And electron-updater, reading that file, verifies a download against that name.
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-update-'));
    try {
      const appUpdateYml = path.join(dir, 'app-update.yml');
      writeFileSync(appUpdateYml, serializeToYaml(publishConfig));
      type Verify = (publisherNames: string[], file: string) => Promise<string | null>;
      const { NsisUpdater } = require('electron-updater') as {
        NsisUpdater: new (options: null, app: unknown) => { verifyUpdateCodeSignature: Verify; verifySignature(file: string): Promise<string | null> };
      };
      const fakeApp = { version: '1.0.0', name: 'Switchboard', isPackaged: true, appUpdateConfigPath: appUpdateYml, userDataPath: dir, baseCachePath: dir, onQuit() {} };
      const updater = new NsisUpdater(null, fakeApp);
      const checked: string[][] = [];
      updater.verifyUpdateCodeSignature = async (publisherNames) => {
        checked.push(publisherNames);
        return 'not signed by them';
      };
      expect(await updater.verifySignature(path.join(dir, 'Switchboard-Setup.exe'))).toBe('not signed by them');
      expect(checked).toEqual([['Switchboard contributors']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
