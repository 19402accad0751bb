// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addServerUrlPolicy, policyKey } from './msiServerUrlPolicy.cjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const ejs = require('ejs') as { compile(template: string): (data: Record<string, unknown>) => string };

/**
 * electron-builder 26's own MSI template, rendered the way MsiTarget renders it ({{ }} and ${ } turned
 * into EJS), for a per-machine one-click install of an app with a main executable and one more file.
 */
function renderElectronBuilderProject(): string {
  const template = readFileSync(require.resolve('app-builder-lib/templates/msi/template.xml'), 'utf8')
    .replace(/{{/g, '<%')
    .replace(/}}/g, '%>')
    .replace(/\${([^}]+)}/g, '<%=$1%>');
  const files = [
    '<Component>',
    '  <File Name="Switchboard.exe" Source="$(var.appDir)\\Switchboard.exe" ReadOnly="yes" KeyPath="yes" Id="mainExecutable"/>',
    '</Component>',
    '<Component Directory="dresources">',
    '  <File Name="app.asar" Source="$(var.appDir)\\resources\\app.asar" ReadOnly="yes" KeyPath="yes"/>',
    '</Component>',
  ].join('\n');
  return ejs.compile(template)({
    productName: 'Switchboard',
    upgradeCode: '00000000-0000-5000-8000-000000000000',
    version: '0.1.0.0',
    manufacturer: 'Switchboard contributors',
    compressionLevel: 'high',
    iconPath: null,
    iconId: 'SwitchboardIcon.exe',
    isRunAfterFinish: false,
    isAssisted: false,
    isPerMachine: true,
    installationDirectoryWixName: 'Switchboard',
    programFilesId: 'ProgramFiles64Folder',
    menuCategory: null,
    isCreateDesktopShortcut: false,
    isCreateStartMenuShortcut: true,
    dirs: '<Directory Id="dresources" Name="APPLICATIONFOLDER:\\resources\\"/>',
    files,
  });
}

function parseXml(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`project.wxs is not well-formed XML: ${error.textContent}`);
  return doc;
}

const byId = (doc: Document, tag: string, id: string) => [...doc.getElementsByTagName(tag)].find((e) => e.getAttribute('Id') === id);

describe('MSI: msiexec /qn SERVER_URL=… becomes the machine policy', () => {
  const doc = parseXml(addServerUrlPolicy(renderElectronBuilderProject()));

  it('declares SERVER_URL as a secure public property, so an elevated per-machine install receives it', () => {
    const property = byId(doc, 'Property', 'SERVER_URL');
    expect(property?.getAttribute('Secure')).toBe('yes');
    // Inside <Product>, where properties that msiexec sets from the command line live.
    expect(property?.parentElement?.tagName).toBe('Product');
  });

  it('writes HKLM\\Software\\Policies\\Switchboard\\ServerUrl only when SERVER_URL is given, and keeps it on upgrade and uninstall', () => {
    const component = byId(doc, 'Component', 'SwitchboardServerUrlPolicy');
    expect(component?.getAttribute('Permanent')).toBe('yes');
    expect(component?.getElementsByTagName('Condition')[0]?.textContent).toBe('SERVER_URL');
    const [value] = [...(component?.getElementsByTagName('RegistryValue') ?? [])];
    expect({
      root: value?.getAttribute('Root'),
      key: value?.getAttribute('Key'),
      name: value?.getAttribute('Name'),
      type: value?.getAttribute('Type'),
      value: value?.getAttribute('Value'),
    }).toEqual({ root: 'HKLM', key: policyKey, name: 'ServerUrl', type: 'string', value: '[SERVER_URL]' });
    expect(policyKey).toBe('Software\\Policies\\Switchboard');
  });

  it('registers tel:, sip: and callto: through Default Programs, pointing at the installed executable', () => {
    const values = [...(byId(doc, 'Component', 'SwitchboardDialLinks')?.getElementsByTagName('RegistryValue') ?? [])].map(
      (v) => `${v.getAttribute('Key')}|${v.getAttribute('Name') ?? ''}=${v.getAttribute('Value')}`,
    );
    expect(values).toEqual(
      expect.arrayContaining([
        'Software\\Classes\\Switchboard.DialLink\\shell\\open\\command|="[#mainExecutable]" "%1"',
        'Software\\Switchboard\\Capabilities\\URLAssociations|tel=Switchboard.DialLink',
        'Software\\Switchboard\\Capabilities\\URLAssociations|sip=Switchboard.DialLink',
        'Software\\Switchboard\\Capabilities\\URLAssociations|callto=Switchboard.DialLink',
        'Software\\RegisteredApplications|Switchboard=Software\\Switchboard\\Capabilities',
      ]),
    );
  });

  it('puts both components in the product feature (a component no feature references is never installed)', () => {
    const feature = byId(doc, 'Feature', 'ProductFeature');
    const refs = [...(feature?.getElementsByTagName('ComponentRef') ?? [])].map((r) => r.getAttribute('Id'));
    expect(refs).toEqual(['SwitchboardServerUrlPolicy', 'SwitchboardDialLinks']);
    // and the template's own files are still there
    expect(byId(doc, 'File', 'mainExecutable')).toBeDefined();
  });

  it('refuses a project that is not electron-builder 26’s template, and a second run over the same project', () => {
    expect(() => addServerUrlPolicy('<Wix><Product></Product></Wix>')).toThrow(/does not look like electron-builder 26/);
    expect(() => addServerUrlPolicy(addServerUrlPolicy(renderElectronBuilderProject()))).toThrow(/already declares SERVER_URL/);
  });
});
