// @vitest-environment jsdom
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { addServerUrlPolicy } from './tools/msiServerUrlPolicy.cjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const nsh = path.join(here, 'installer.nsh');
const makensis = spawnSync('sh', ['-c', 'command -v makensis'], { encoding: 'utf8' }).stdout.trim();
if (!makensis) console.warn('build/installer.test.ts: makensis not found (Debian package nsis); the NSIS compile check is skipped.');

/**
 * The registry values installer.nsh writes, as `HKLM\key|name=value`, with its !defines expanded and the
 * executable path written the way the MSI writes it, so the two installers can be compared.
 */
function nsisRegistryWrites(): string[] {
  const text = readFileSync(nsh, 'utf8');
  const defines = new Map([...text.matchAll(/^!define (\w+) "([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
  const expand = (s: string) => s.replace(/\$\{(\w+)\}/g, (all, name: string) => defines.get(name) ?? all);
  return [...text.matchAll(/^\s*WriteRegStr HKLM "([^"]+)" "([^"]*)" (?:'([^']*)'|"([^"]*)")/gm)]
    .map((m) => `HKLM\\${expand(m[1]!)}|${m[2]}=${expand(m[3] ?? m[4]!)}`)
    .map((w) => w.replace('"$INSTDIR\\${APP_EXECUTABLE_FILENAME}"', '"[#mainExecutable]"').replace('$switchboardServerUrl', '[SERVER_URL]'));
}

/** The registry values the MSI hook adds, in the same form. */
function msiRegistryWrites(): string[] {
  const minimalProject = [
    '<Wix><Product>',
    '  <Feature Id="ProductFeature">',
    '    <ComponentGroupRef Id="ProductComponents"/>',
    '  </Feature>',
    '  <File Id="mainExecutable"/>',
    '</Product></Wix>',
  ].join('\n');
  const doc = new DOMParser().parseFromString(addServerUrlPolicy(minimalProject), 'application/xml');
  return [...doc.getElementsByTagName('RegistryValue')].map(
    (v) => `${v.getAttribute('Root')}\\${v.getAttribute('Key')}|${v.getAttribute('Name') ?? ''}=${v.getAttribute('Value')}`,
  );
}

describe('Windows installers: build/installer.nsh (NSIS) and the MSI hook', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'switchboard-nsis-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // electron-builder's own installer script cannot be built here (its NSIS plugins come from GitHub), so
  // the include is compiled inside a small script that calls the same three hooks, from the same places:
  // .onInit, the install section and the uninstall section, with warnings as errors as electron-builder does.
  it.skipIf(!makensis)('installer.nsh compiles with makensis -WX in the hooks electron-builder calls', () => {
    const script = path.join(work, 'harness.nsi');
    writeFileSync(
      script,
      [
        'Unicode true',
        '!define APP_EXECUTABLE_FILENAME "Switchboard.exe"',
        // electron-builder defines isUpdated from its --updated flag; any LogicLib condition stands in.
        '!define isUpdated "${Silent}"',
        `!include "${nsh}"`,
        'Name "Switchboard"',
        `OutFile "${path.join(work, 'harness.exe')}"`,
        'RequestExecutionLevel admin',
        'InstallDir "$PROGRAMFILES64\\Switchboard"',
        'Function .onInit',
        '  !insertmacro customInit',
        'FunctionEnd',
        'Section "install"',
        '  !insertmacro customInstall',
        '  WriteUninstaller "$INSTDIR\\Uninstall Switchboard.exe"',
        'SectionEnd',
        'Section "Uninstall"',
        '  !insertmacro customUnInstall',
        'SectionEnd',
      ].join('\n'),
    );
    const r = spawnSync(makensis, ['-WX', '-V2', script], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
  });

  it('/SERVER_URL= is read from the command line, checked in .onInit, and written as the machine policy', () => {
    const text = readFileSync(nsh, 'utf8');
    expect(text).toMatch(/\$\{GetOptions\} \$R0 "\/SERVER_URL=" \$switchboardServerUrl/);
    // A bad value fails the deployment (exit code 87) before anything is installed.
    const init = /!macro customInit([\s\S]*?)!macroend/.exec(text)?.[1] ?? '';
    expect(init).toMatch(/SetErrorLevel 87\s+Quit/);
    expect(nsisRegistryWrites()).toContain('HKLM\\Software\\Policies\\Switchboard|ServerUrl=[SERVER_URL]');
    // The uninstaller (which also runs before every update) never deletes the policy.
    const uninstall = /!macro customUnInstall([\s\S]*?)!macroend/.exec(text)?.[1] ?? '';
    expect(uninstall).not.toMatch(/Policies/);
  });

  it('NSIS and MSI write the same registry values (policy and tel:/sip:/callto: registration)', () => {
    expect(nsisRegistryWrites().sort()).toEqual(msiRegistryWrites().sort());
    expect(nsisRegistryWrites()).toEqual(
      expect.arrayContaining(['tel', 'sip', 'callto'].map((s) => `HKLM\\Software\\Switchboard\\Capabilities\\URLAssociations|${s}=Switchboard.DialLink`)),
    );
  });
});

describe('macOS pkg: build/pkg-scripts/postinstall', () => {
  const postinstall = path.join(here, 'pkg-scripts/postinstall');

  it('is an executable POSIX sh script (pkgbuild runs it as is) that registers the app with Launch Services', () => {
    expect(statSync(postinstall).mode & 0o111).toBe(0o111);
    const parse = spawnSync('sh', ['-n', postinstall], { encoding: 'utf8' });
    expect(parse.stderr).toBe('');
    expect(parse.status).toBe(0);
    expect(readFileSync(postinstall, 'utf8')).toMatch(/lsregister" -f "\$app"/);
  });

  it('exits 0 when Launch Services is not there (a failed postinstall fails the whole install)', () => {
    const r = spawnSync('sh', [postinstall, '/tmp/Switchboard.pkg', path.join(tmpdir(), 'no-such-dir'), '/'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });
});
