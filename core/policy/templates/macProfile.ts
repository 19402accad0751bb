import { escapeXml as x, productName, schemaPolicies, type TemplatePolicies } from './defs';

/**
 * A macOS configuration profile (.mobileconfig) template. MDM installs it; macOS then writes the payload
 * to /Library/Managed Preferences/[<user>/]<appId>.plist, which electron/policy/mac.ts reads as mandatory
 * policy. Every policy appears with an example value and a comment; IT deletes the keys it does not
 * want to lock. json-kind policies are strings holding JSON, as in the Windows registry, so one parser
 * serves both. The UUIDs are fixed so the file is reproducible; replace them when deploying.
 */
export type MacProfileOptions = { appId: string; examples: Readonly<Record<string, unknown>> };

const profileUuid = '8B2F4C1E-6A3D-4E7B-9C51-2D0F7A6E3B91';
const payloadUuid = '3E9A1D72-5B4C-4F18-A6E2-71C0D8B94F25';

function plistValue(kind: string, value: unknown): string {
  if (kind === 'boolean') return value === true ? '<true/>' : '<false/>';
  if (kind === 'json') return `<string>${x(JSON.stringify(value))}</string>`;
  return `<string>${x(String(value))}</string>`;
}

export function generateMacProfile(options: MacProfileOptions, defs: TemplatePolicies = schemaPolicies): string {
  const keys = Object.entries(defs)
    .map(([name, p]) => {
      if (!(name in options.examples)) throw new Error(`no example value for policy ${name}`);
      // "--" may not appear inside an XML comment.
      const note = p.description.replace(/--/g, '-');
      return `\t\t\t<!-- ${x(note)} -->\n\t\t\t<key>${name}</key>\n\t\t\t${plistValue(p.kind, options.examples[name])}`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Generated from core/policy/schema.ts by npm run policy:templates; do not edit by hand. -->
<plist version="1.0">
<dict>
\t<key>PayloadContent</key>
\t<array>
\t\t<dict>
\t\t\t<key>PayloadDisplayName</key>
\t\t\t<string>${productName}</string>
\t\t\t<key>PayloadIdentifier</key>
\t\t\t<string>${x(options.appId)}.policy.${payloadUuid}</string>
\t\t\t<key>PayloadType</key>
\t\t\t<string>${x(options.appId)}</string>
\t\t\t<key>PayloadUUID</key>
\t\t\t<string>${payloadUuid}</string>
\t\t\t<key>PayloadVersion</key>
\t\t\t<integer>1</integer>
${keys}
\t\t</dict>
\t</array>
\t<key>PayloadDescription</key>
\t<string>${productName} managed settings</string>
\t<key>PayloadDisplayName</key>
\t<string>${productName}</string>
\t<key>PayloadIdentifier</key>
\t<string>${x(options.appId)}.policy</string>
\t<key>PayloadOrganization</key>
\t<string>Your organization</string>
\t<key>PayloadType</key>
\t<string>Configuration</string>
\t<key>PayloadUUID</key>
\t<string>${profileUuid}</string>
\t<key>PayloadVersion</key>
\t<integer>1</integer>
</dict>
</plist>
`;
}
