import { z } from 'zod';
import { policies, type PolicyCategory, type PolicyKind } from '../schema';

/**
 * What a template generator needs to know about one policy. The generators take the definitions as a
 * parameter (the real schema by default) so a test can feed them a changed schema and prove that the
 * coverage check notices a policy missing from one output.
 */
export type TemplatePolicy = {
  schema: z.ZodType;
  kind: PolicyKind;
  category: PolicyCategory;
  description: string;
  default: unknown;
  userSettable: boolean;
};
export type TemplatePolicies = Readonly<Record<string, TemplatePolicy>>;

export const schemaPolicies: TemplatePolicies = policies;

export const categoryOrder: readonly PolicyCategory[] = ['connection', 'calls', 'updates', 'features', 'sign-in', 'app'];

/** Registry key (under HKLM for mandatory policies, HKCU for user defaults) and the product name. */
export const registryKey = 'Software\\Policies\\Switchboard';
export const productName = 'Switchboard';

/** The values an enum policy allows, in declaration order (a nullable enum's null is "not configured"). */
export function enumValues(schema: z.ZodType): string[] {
  const inner = schema instanceof z.ZodNullable ? (schema.unwrap() as z.ZodType) : schema;
  if (inner instanceof z.ZodEnum) return (inner.options as readonly unknown[]).map(String);
  throw new Error('enum policy without a z.enum schema');
}

/** The maximum length a string schema allows, if it declares one (used as the ADMX text maxLength). */
export function maxLength(schema: z.ZodType): number | undefined {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as { maxLength?: number; anyOf?: Array<{ maxLength?: number }> };
  return json.maxLength ?? json.anyOf?.find((s) => s.maxLength !== undefined)?.maxLength;
}

export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
