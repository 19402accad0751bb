// electron-builder's `msiProjectCreated` hook: edits the WiX project (project.wxs) that electron-builder
// 26 renders from its fixed template, just before candle compiles it. The msi target takes no custom
// template and no extra .wxs sources (`additionalWixArgs` reaches candle and light alike, and light
// would choke on a .wxs), so editing the rendered project is the one supported way to add to it.
//
// It adds two things:
// - the public property SERVER_URL, so `msiexec /i Switchboard.msi /qn SERVER_URL=https://…` writes the
//   machine policy HKLM\Software\Policies\Switchboard\ServerUrl (REG_SZ) that the app's policy reader
//   reads. Secure="yes" because a per-machine install runs elevated in the server process, which only
//   receives secure public properties from the client. The component is conditional (no SERVER_URL on
//   the command line: nothing is written) and permanent: the policy belongs to IT, and a major upgrade
//   without SERVER_URL uninstalls the old product first, which must not delete it.
// - the tel:/sip:/callto: registration through Windows Default Programs (a ProgID plus Capabilities\
//   URLAssociations listed in RegisteredApplications), the same keys build/installer.nsh writes.
//   Registering under Capabilities rather than overwriting HKLM\Software\Classes\tel leaves other
//   apps' handlers alone; the user or IT (DISM default-app associations) chooses the default.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: electron-builder require()s its config and hooks. */
const { readFile, writeFile } = require('node:fs/promises');

const policyKey = 'Software\\Policies\\Switchboard';
const progId = 'Switchboard.DialLink';
const capabilitiesKey = 'Software\\Switchboard\\Capabilities';
const dialSchemes = ['tel', 'sip', 'callto'];

// Fixed component GUIDs: a component's identity must not change between versions.
const serverUrlComponentGuid = '{3E0C6E55-8C0E-4C41-9B52-6A6C2C4F2B10}';
const dialLinksComponentGuid = '{A7B3D4C2-1F6E-4E0B-8D3A-5C9E2B7F4A61}';

const reg = (key, name, value) =>
  `<RegistryValue Root="HKLM" Key="${key}"${name === null ? '' : ` Name="${name}"`} Type="string" Value="${value}"/>`;

const fragment = [
  '<!-- Added by build/tools/msiServerUrlPolicy.cjs -->',
  '<Property Id="SERVER_URL" Secure="yes"/>',
  '<DirectoryRef Id="APPLICATIONFOLDER">',
  `  <Component Id="SwitchboardServerUrlPolicy" Guid="${serverUrlComponentGuid}" Permanent="yes">`,
  '    <Condition>SERVER_URL</Condition>',
  `    <RegistryValue Root="HKLM" Key="${policyKey}" Name="ServerUrl" Type="string" Value="[SERVER_URL]" KeyPath="yes"/>`,
  '  </Component>',
  `  <Component Id="SwitchboardDialLinks" Guid="${dialLinksComponentGuid}">`,
  `    <RegistryValue Root="HKLM" Key="Software\\Classes\\${progId}" Type="string" Value="Switchboard dial link" KeyPath="yes"/>`,
  `    ${reg(`Software\\Classes\\${progId}\\shell\\open\\command`, null, '&quot;[#mainExecutable]&quot; &quot;%1&quot;')}`,
  `    ${reg(capabilitiesKey, 'ApplicationName', 'Switchboard')}`,
  `    ${reg(capabilitiesKey, 'ApplicationDescription', 'Softphone and workspace for contact-center agents')}`,
  ...dialSchemes.map((s) => `    ${reg(`${capabilitiesKey}\\URLAssociations`, s, progId)}`),
  `    ${reg('Software\\RegisteredApplications', 'Switchboard', capabilitiesKey)}`,
  '  </Component>',
  '</DirectoryRef>',
];

const componentRefs = ['<ComponentRef Id="SwitchboardServerUrlPolicy"/>', '<ComponentRef Id="SwitchboardDialLinks"/>'];

/**
 * Returns the WiX project with the SERVER_URL policy and the dial-link registration added.
 * Throws when the project does not have the shape electron-builder 26's template renders (a newer
 * electron-builder changed it), so the MSI is never built silently without them.
 */
function addServerUrlPolicy(wxs) {
  const featureRef = /^([ \t]*)<ComponentGroupRef Id="ProductComponents"\/>/m;
  const productEnd = /^([ \t]*)<\/Product>/m;
  if (!featureRef.test(wxs) || !productEnd.test(wxs) || !wxs.includes('Id="mainExecutable"')) {
    throw new Error('msiServerUrlPolicy: project.wxs does not look like electron-builder 26’s MSI template; update the hook');
  }
  if (wxs.includes('Id="SERVER_URL"')) throw new Error('msiServerUrlPolicy: project.wxs already declares SERVER_URL');
  return wxs
    .replace(featureRef, (line, indent) => [line, ...componentRefs.map((r) => `${indent}${r}`)].join('\n'))
    .replace(productEnd, (line, indent) => [...fragment.map((l) => `${indent}  ${l}`), line].join('\n'));
}

/** The hook electron-builder calls with the path of the rendered project.wxs. */
async function addServerUrlPolicyToWxsFile(projectFile) {
  await writeFile(projectFile, addServerUrlPolicy(await readFile(projectFile, 'utf8')));
}

module.exports = { addServerUrlPolicy, addServerUrlPolicyToWxsFile, policyKey, progId, capabilitiesKey, dialSchemes };
