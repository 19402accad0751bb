// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePolicyLayer } from '../../core/policy/effective';
import { policyNames } from '../../core/policy/schema';
import { schemaPolicies, type TemplatePolicies } from '../../core/policy/templates/defs';
import { admlLanguages, generatePolicyTemplates } from '../../core/policy/templates/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const appId = /\bappId:\s*'([^']+)'/.exec(readFileSync(path.join(root, 'build/electron-builder.config.cjs'), 'utf8'))?.[1] ?? 'appId not found';

function parseXml(text: string, label: string): Document {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`${label} is not well-formed XML: ${error.textContent}`);
  return doc;
}

const attrs = (doc: Document, tag: string, attr: string) => [...doc.getElementsByTagName(tag)].map((e) => e.getAttribute(attr) ?? '');

/**
 * The policy names each output declares, read back from the generated text the way Windows, macOS and
 * the Linux reader would see it: ADMX <policy name>, ADML display-name strings, plist keys inside the
 * payload dict, JSON schema properties.
 */
function declaredNames(files: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [rel, text] of Object.entries(files)) {
    if (rel.endsWith('.admx')) out[rel] = attrs(parseXml(text, rel), 'policy', 'name');
    else if (rel.endsWith('.adml')) {
      const doc = parseXml(text, rel);
      const strings = new Set(attrs(doc, 'string', 'id'));
      out[rel] = [...strings].filter((id) => strings.has(`${id}_Explain`));
    } else if (rel.endsWith('.mobileconfig')) {
      const payload = parseXml(text, rel).querySelector('plist > dict > array > dict');
      out[rel] = [...(payload?.children ?? [])].filter((e) => e.tagName === 'key' && !e.textContent!.startsWith('Payload')).map((e) => e.textContent!);
    } else if (rel.endsWith('policy.schema.json')) {
      out[rel] = Object.keys((JSON.parse(text) as { properties: object }).properties);
    }
  }
  return out;
}

/** For each output, the schema's policies it lacks. */
function missingPolicies(files: Record<string, string>, names: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(Object.entries(declaredNames(files)).map(([rel, declared]) => [rel, names.filter((n) => !declared.includes(n))]));
}

const generated = generatePolicyTemplates({ appId });

describe('policy templates', () => {
  it('the committed build/policy files are exactly what the schema generates (npm run policy:templates)', () => {
    for (const [rel, content] of Object.entries(generated)) {
      const committed = readFileSync(path.join(root, 'build/policy', rel), 'utf8');
      expect(committed, `build/policy/${rel} is stale: run npm run policy:templates`).toBe(content);
    }
  });

  it('ADMX, each ADML and the macOS profile are well-formed XML', () => {
    const xml = Object.keys(generated).filter((rel) => /\.(admx|adml|mobileconfig)$/.test(rel));
    expect(xml).toHaveLength(2 + admlLanguages.length);
    for (const rel of xml) expect(() => parseXml(generated[rel]!, rel)).not.toThrow();
    expect(() => parseXml('<a><b></a>', 'broken')).toThrow(/not well-formed/);
  });

  it('every policy in the schema appears in the ADMX, each ADML, the macOS profile and the Linux schema', () => {
    const missing = missingPolicies(generated, policyNames);
    expect(Object.keys(missing).sort()).toEqual(
      ['linux/policy.schema.json', 'macos/switchboard.mobileconfig', 'windows/Switchboard.admx', ...admlLanguages.map((l) => `windows/${l}/Switchboard.adml`)].sort(),
    );
    for (const [rel, names] of Object.entries(missing)) expect(names, rel).toEqual([]);
  });

  it('the coverage check names the output a policy is missing from', () => {
    // Generate each output from the schema without StartAtLogin, then splice one stale file into the real set.
    const { StartAtLogin: _dropped, ...rest } = schemaPolicies;
    const without: TemplatePolicies = rest;
    const short = generatePolicyTemplates({ appId }, without);
    for (const rel of Object.keys(declaredNames(generated))) {
      const files = { ...generated, [rel]: short[rel]! };
      const missing = missingPolicies(files, policyNames);
      expect(missing[rel], rel).toEqual(['StartAtLogin']);
      expect(Object.entries(missing).filter(([other, names]) => other !== rel && names.length > 0)).toEqual([]);
    }
  });

  it('ADMX maps kinds to registry value types: boolean DWORD 1/0, enum items, text for strings and JSON', () => {
    const doc = parseXml(generated['windows/Switchboard.admx']!, 'admx');
    const policy = (name: string) => [...doc.getElementsByTagName('policy')].find((p) => p.getAttribute('name') === name)!;
    expect(policy('StartAtLogin').getAttribute('class')).toBe('Both');
    expect(policy('StartAtLogin').getAttribute('key')).toBe('Software\\Policies\\Switchboard');
    expect(policy('StartAtLogin').querySelector('enabledValue > decimal')?.getAttribute('value')).toBe('1');
    expect(policy('StartAtLogin').querySelector('disabledValue > decimal')?.getAttribute('value')).toBe('0');
    expect([...policy('UpdateMode').querySelectorAll('enum > item string')].map((s) => s.textContent)).toEqual(['default', 'manual', 'none', 'window']);
    expect([...policy('DefaultLanguage').querySelectorAll('enum > item string')].map((s) => s.textContent)).toEqual(['en', 'zh-CN', 'zh-TW']);
    expect(policy('ServerUrl').querySelector('elements > text')?.getAttribute('valueName')).toBe('ServerUrl');
    expect(policy('TurnServers').querySelector('elements > text')?.getAttribute('valueName')).toBe('TurnServers');
    // Every $(string.x) and $(presentation.x) the ADMX references exists in every ADML.
    const refs = [...generated['windows/Switchboard.admx']!.matchAll(/\$\((string|presentation)\.([^)]+)\)/g)];
    for (const lang of admlLanguages) {
      const adml = parseXml(generated[`windows/${lang}/Switchboard.adml`]!, lang);
      const ids = { string: new Set(attrs(adml, 'string', 'id')), presentation: new Set(attrs(adml, 'presentation', 'id')) };
      for (const [, table, id] of refs) expect(ids[table as 'string' | 'presentation'].has(id!), `${lang} ${table}.${id}`).toBe(true);
    }
  });

  it('the ADML for zh-CN and zh-TW are translated, not English copies', () => {
    const text = (lang: string, id: string) =>
      [...parseXml(generated[`windows/${lang}/Switchboard.adml`]!, lang).getElementsByTagName('string')].find((s) => s.getAttribute('id') === id)?.textContent;
    expect(text('en-US', 'ServerUrl')).toBe('Central server URL');
    expect(text('zh-CN', 'ServerUrl')).toBe('中央服务器地址');
    expect(text('zh-TW', 'ServerUrl')).toBe('中央伺服器位址');
    for (const name of policyNames) {
      expect(text('zh-CN', name), name).not.toBe(text('en-US', name));
      expect(text('zh-TW', name), name).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('the macOS profile targets the app id as its payload type', () => {
    const doc = parseXml(generated['macos/switchboard.mobileconfig']!, 'profile');
    const payload = doc.querySelector('plist > dict > array > dict')!;
    const keys = [...payload.children];
    const typeIndex = keys.findIndex((e) => e.tagName === 'key' && e.textContent === 'PayloadType');
    expect(keys[typeIndex + 1]?.textContent).toBe(appId);
    const value = (k: string) => keys[keys.findIndex((e) => e.tagName === 'key' && e.textContent === k) + 1]!;
    expect(value('StartAtLogin').tagName).toBe('true');
    expect(JSON.parse(value('TurnServers').textContent!)).toEqual([expect.objectContaining({ urls: expect.stringMatching(/^turns:/) })]);
  });

  it('the sample policy.json round-trips through parsePolicyLayer with every policy applied', () => {
    const sample: unknown = JSON.parse(generated['linux/policy.example.json']!);
    const { layer, problems } = parsePolicyLayer(sample, 'policy.example.json');
    expect(problems).toEqual([]);
    expect(Object.keys(layer).sort()).toEqual([...policyNames].sort());
    // What the JSON schema declares agrees with what the parser accepts.
    const schema = JSON.parse(generated['linux/policy.schema.json']!) as { additionalProperties: boolean; properties: Record<string, { type?: string; enum?: string[]; anyOf?: unknown[] }> };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.StartAtLogin?.type).toBe('boolean');
    expect(schema.properties.UpdateMode?.enum).toEqual(['default', 'manual', 'none', 'window']);
    const bad = parsePolicyLayer({ ...(sample as object), StartAtLogin: 'yes', UpdateMode: 'sometimes', Nope: 1 }, 'bad.json');
    expect(bad.problems).toHaveLength(3);
    expect(bad.layer.StartAtLogin).toBeUndefined();
    expect(bad.layer.ServerUrl).toBe('https://switchboard.example.com');
  });
});
