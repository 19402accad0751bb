// @vitest-environment jsdom
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The MSI cannot be built here (electron-builder runs WiX under wine, both from GitHub), but everything up
 * to WiX can: electron-builder 26.17.0 packs win-unpacked on a stand-in electron.exe, renders its MSI
 * project from our config, and calls our msiProjectCreated hook. The test stops it right after the hook
 * and reads the project that candle would have compiled.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const makensis = spawnSync('sh', ['-c', 'command -v makensis'], { encoding: 'utf8' }).stdout.trim();
if (!makensis) console.log('packaging: makensis not found (Debian package nsis); the MSI project test is skipped.');

type Hook = (projectFile: string) => Promise<void>;
type Config = Record<string, unknown> & { win: object; directories: object; msiProjectCreated: Hook };
const baseConfig = require(path.join(root, 'build/electron-builder.config.cjs')) as Config;
const { Arch, Platform, build } = require('electron-builder') as {
  Arch: { x64: number };
  Platform: { WINDOWS: { createTarget(types: string[], arch: number): unknown } };
  build(options: Record<string, unknown>): Promise<string[]>;
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { author: { name: string } };

const stopAfterHook = 'switchboard-test: stop after msiProjectCreated';

/**
 * A stand-in electron.exe: electron-builder parses the executable's PE headers and version resource to
 * embed the asar integrity hash, so it must be a real Windows executable. NSIS makes a tiny one.
 */
function standInWindowsElectron(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'));
  writeFileSync(path.join(dir, 'LICENSE'), 'Stand-in for the Electron binary.\n');
  const script = path.join(dir, 'standin.nsi');
  writeFileSync(
    script,
    [
      'Unicode true',
      'Name "Electron stand-in"',
      `OutFile "${path.join(dir, 'electron.exe')}"`,
      'SilentInstall silent',
      'RequestExecutionLevel user',
      'VIProductVersion "45.4.1.0"',
      'VIAddVersionKey "ProductName" "Electron stand-in"',
      'VIAddVersionKey "FileDescription" "Packaging stand-in, not Electron"',
      'VIAddVersionKey "FileVersion" "45.4.1"',
      'VIAddVersionKey "ProductVersion" "45.4.1"',
      'Section',
      '  SetErrorLevel 1',
      'SectionEnd',
    ].join('\n'),
  );
  execFileSync(makensis, ['-V1', script]);
  rmSync(script);
}

describe.skipIf(!makensis)('MSI project rendered by electron-builder 26.17.0 from our config', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'switchboard-msi-'));
  const projectCopy = path.join(work, 'project.wxs');
  let outcome = '';
  let doc: Document;

  beforeAll(async () => {
    const electronDist = path.join(work, 'electron');
    standInWindowsElectron(electronDist);
    const dist = process.env.SWITCHBOARD_DIST ?? path.join(root, 'dist');
    try {
      await build({
        projectDir: root,
        targets: Platform.WINDOWS.createTarget(['msi'], Arch.x64),
        publish: 'never',
        config: {
          ...baseConfig,
          files: ['package.json', { from: dist, to: 'dist', filter: ['**/*', '!**/*.map'] }],
          electronDist,
          // No fuse wire in a stand-in; resource editing (rcedit) would need wine.
          electronFuses: undefined,
          win: { ...baseConfig.win, signAndEditExecutable: false },
          directories: { ...baseConfig.directories, output: path.join(work, 'out') },
          msiProjectCreated: async (projectFile: string) => {
            await baseConfig.msiProjectCreated(projectFile);
            copyFileSync(projectFile, projectCopy);
            throw new Error(stopAfterHook);
          },
        },
      });
      outcome = 'electron-builder finished without calling msiProjectCreated';
    } catch (e) {
      outcome = e instanceof Error ? e.message : String(e);
    }
    const text = existsSync(projectCopy) ? readFileSync(projectCopy, 'utf8') : '<missing/>';
    doc = new DOMParser().parseFromString(text, 'application/xml');
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const all = (tag: string) => [...doc.getElementsByTagName(tag)];
  const byId = (tag: string, id: string) => all(tag).find((e) => e.getAttribute('Id') === id);

  it('electron-builder reaches our hook, and the project it leaves for WiX is well-formed', () => {
    expect(outcome).toContain(stopAfterHook);
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.tagName).toBe('Wix');
  });

  it('installs per machine into Program Files, under the package author as manufacturer, without launching the app', () => {
    expect(byId('Property', 'ALLUSERS')?.getAttribute('Value')).toBe('1');
    expect(all('Directory').some((d) => d.getAttribute('Id') === 'ProgramFiles64Folder')).toBe(true);
    expect(all('Product')[0]?.getAttribute('Manufacturer')).toBe(pkg.author.name);
    expect(byId('CustomAction', 'runAfterFinish')).toBeUndefined();
  });

  it('msiexec SERVER_URL=… writes the machine policy, and the dial links point at the real main executable', () => {
    expect(byId('Property', 'SERVER_URL')?.getAttribute('Secure')).toBe('yes');
    const policy = byId('Component', 'SwitchboardServerUrlPolicy')?.getElementsByTagName('RegistryValue')[0];
    expect(`${policy?.getAttribute('Key')}\\${policy?.getAttribute('Name')}=${policy?.getAttribute('Value')}`).toBe('Software\\Policies\\Switchboard\\ServerUrl=[SERVER_URL]');
    expect(byId('File', 'mainExecutable')?.getAttribute('Name')).toBe('Switchboard.exe');
    const refs = [...(byId('Feature', 'ProductFeature')?.getElementsByTagName('ComponentRef') ?? [])].map((r) => r.getAttribute('Id'));
    expect(refs).toEqual(['SwitchboardServerUrlPolicy', 'SwitchboardDialLinks']);
  });

  it('installs the ADMX and its en-US, zh-CN and zh-TW ADML under resources\\policy\\windows', () => {
    const sources = all('File').map((f) => f.getAttribute('Source') ?? '');
    for (const file of ['Switchboard.admx', 'en-US/Switchboard.adml', 'zh-CN/Switchboard.adml', 'zh-TW/Switchboard.adml']) {
      expect(sources).toContain(`$(var.appDir)/resources/policy/windows/${file}`);
    }
    expect(sources).toContain('$(var.appDir)/resources/app.asar');
  });
});
