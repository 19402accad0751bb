import { categoryOrder, enumValues, escapeXml as x, maxLength, productName, registryKey, schemaPolicies, type TemplatePolicies } from './defs';
import { policyStrings, type AdmlLanguage, type PolicyStrings } from './strings';

/**
 * Windows Group Policy templates. Every policy is `class="Both"`: set under Computer Configuration it
 * lands in HKLM\Software\Policies\Switchboard and is mandatory; set under User Configuration it lands in
 * HKCU\Software\Policies\Switchboard and is a user default (electron/policy/windows.ts reads both).
 * Value types by kind: boolean → REG_DWORD 1/0 (enabledValue/disabledValue), string and json → REG_SZ
 * text (json holds a JSON document), enum → REG_SZ from a drop-down list.
 */

const ns = 'Switchboard.Policies';
const supportedId = 'Supported_0_1';
const rootCategory = 'Switchboard';
const categoryId = (c: string) => `Category_${c.replace(/-/g, '_')}`;

function element(name: string, p: TemplatePolicies[string]): string {
  switch (p.kind) {
    case 'boolean':
      return '';
    case 'enum': {
      const items = enumValues(p.schema)
        .map((v) => `            <item displayName="$(string.${name}_${itemId(v)})"><value><string>${x(v)}</string></value></item>`)
        .join('\n');
      return `        <elements>\n          <enum id="${name}" valueName="${name}">\n${items}\n          </enum>\n        </elements>\n`;
    }
    case 'string':
    case 'json':
      return `        <elements>\n          <text id="${name}" valueName="${name}" maxLength="${maxLength(p.schema) ?? 4096}" />\n        </elements>\n`;
  }
}

const itemId = (value: string) => value.replace(/[^A-Za-z0-9]/g, '_');

export function generateAdmx(defs: TemplatePolicies = schemaPolicies): string {
  const used = categoryOrder.filter((c) => Object.values(defs).some((p) => p.category === c));
  const categories = used
    .map((c) => `    <category name="${categoryId(c)}" displayName="$(string.${categoryId(c)})">\n      <parentCategory ref="${rootCategory}" />\n    </category>`)
    .join('\n');
  const policies = Object.entries(defs)
    .map(([name, p]) => {
      const presentation = p.kind === 'boolean' ? '' : ` presentation="$(presentation.${name})"`;
      const onOff = p.kind === 'boolean' ? '        <enabledValue><decimal value="1" /></enabledValue>\n        <disabledValue><decimal value="0" /></disabledValue>\n' : '';
      return (
        `    <policy name="${name}" class="Both" displayName="$(string.${name})" explainText="$(string.${name}_Explain)" key="${registryKey}"` +
        `${p.kind === 'boolean' ? ` valueName="${name}"` : ''}${presentation}>\n` +
        `        <parentCategory ref="${categoryId(p.category)}" />\n        <supportedOn ref="${supportedId}" />\n${onOff}${element(name, p)}    </policy>`
      );
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated from core/policy/schema.ts by npm run policy:templates; do not edit by hand. -->
<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces>
    <target prefix="switchboard" namespace="${ns}" />
    <using prefix="windows" namespace="Microsoft.Policies.Windows" />
  </policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn>
    <definitions>
      <definition name="${supportedId}" displayName="$(string.${supportedId})" />
    </definitions>
  </supportedOn>
  <categories>
    <category name="${rootCategory}" displayName="$(string.${rootCategory})" />
${categories}
  </categories>
  <policies>
${policies}
  </policies>
</policyDefinitions>
`;
}

function stringsFor(language: AdmlLanguage): PolicyStrings {
  return policyStrings[language];
}

export function generateAdml(language: AdmlLanguage, defs: TemplatePolicies = schemaPolicies): string {
  const s = stringsFor(language);
  const rows: Array<[string, string]> = [
    [rootCategory, s.product],
    [supportedId, s.supportedOn],
    ...categoryOrder.map((c): [string, string] => [categoryId(c), s.categories[c]]),
  ];
  const presentations: string[] = [];
  for (const [name, p] of Object.entries(defs)) {
    const text = (s.policies as Record<string, { name: string; explain: string } | undefined>)[name];
    if (!text) throw new Error(`no ${language} strings for policy ${name}`);
    const explain = [text.explain, p.userSettable ? s.userSettableNote : '', s.scopeNote].filter(Boolean).join('\n\n');
    rows.push([name, text.name], [`${name}_Explain`, `${explain}\n\n(${name})`]);
    if (p.kind === 'enum') {
      for (const v of enumValues(p.schema)) rows.push([`${name}_${itemId(v)}`, s.items[`${name}.${v}`] ?? v]);
      presentations.push(`      <presentation id="${name}">\n        <dropdownList refId="${name}" noSort="true">${x(text.name)}</dropdownList>\n      </presentation>`);
    } else if (p.kind === 'string' || p.kind === 'json') {
      presentations.push(`      <presentation id="${name}">\n        <textBox refId="${name}">\n          <label>${x(text.name)}</label>\n        </textBox>\n      </presentation>`);
    }
  }
  const table = rows.map(([id, value]) => `      <string id="${id}">${x(value)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated from core/policy/schema.ts by npm run policy:templates; do not edit by hand. -->
<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>${x(s.product)}</displayName>
  <description>${x(s.productDescription)}</description>
  <resources>
    <stringTable>
${table}
    </stringTable>
    <presentationTable>
${presentations.join('\n')}
    </presentationTable>
  </resources>
</policyDefinitionResources>
`;
}

export const admxFileName = `${productName}.admx`;
