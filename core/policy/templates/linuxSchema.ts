import { z } from 'zod';
import { schemaPolicies, type TemplatePolicies } from './defs';

/**
 * JSON schema of /etc/switchboard/policy.json (and of the file the central server serves to web
 * clients, SWITCHBOARD_CLIENT_POLICY). Each property's schema is derived from the policy's zod schema,
 * so the file validates exactly as parsePolicyLayer validates it; json-kind policies are native JSON
 * here (an array or object), not a string as in the registry.
 */
export const linuxPolicyPath = '/etc/switchboard/policy.json';

export function generateLinuxSchema(defs: TemplatePolicies = schemaPolicies): string {
  const properties: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(defs)) {
    const { $schema: _drop, ...json } = z.toJSONSchema(p.schema, { unrepresentable: 'any' }) as Record<string, unknown>;
    properties[name] = {
      description: p.description,
      ...json,
      'x-switchboard-category': p.category,
      'x-switchboard-user-settable': p.userSettable,
    };
  }
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://switchboard.example/schemas/policy.json',
    title: 'Switchboard policy',
    description: `Mandatory policy for Switchboard on Linux (${linuxPolicyPath}) and for web clients (served by the central server). Generated from core/policy/schema.ts.`,
    type: 'object',
    additionalProperties: false,
    properties,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** A sample policy.json with every policy set to its example value. */
export function generateSamplePolicy(examples: Readonly<Record<string, unknown>>, defs: TemplatePolicies = schemaPolicies): string {
  return `${JSON.stringify(Object.fromEntries(Object.keys(defs).map((n) => [n, examples[n]])), null, 2)}\n`;
}
