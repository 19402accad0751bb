import { schemaPolicies, type TemplatePolicies } from './defs';
import { policyExamples } from './examples';
import { generateLinuxSchema, generateSamplePolicy } from './linuxSchema';
import { generateMacProfile } from './macProfile';
import { admlLanguages } from './strings';
import { admxFileName, generateAdml, generateAdmx } from './windows';

export { admlLanguages } from './strings';
export { policyExamples } from './examples';

/**
 * Every policy template, keyed by its path under build/policy/. scripts/policy-templates.mjs writes
 * them; a test compares the committed files with this output so they cannot drift from the schema.
 */
export function generatePolicyTemplates(options: { appId: string }, defs: TemplatePolicies = schemaPolicies): Record<string, string> {
  const files: Record<string, string> = {
    [`windows/${admxFileName}`]: generateAdmx(defs),
  };
  for (const lang of admlLanguages) files[`windows/${lang}/${admxFileName.replace(/\.admx$/, '.adml')}`] = generateAdml(lang, defs);
  files['macos/switchboard.mobileconfig'] = generateMacProfile({ appId: options.appId, examples: policyExamples }, defs);
  files['linux/policy.schema.json'] = generateLinuxSchema(defs);
  files['linux/policy.example.json'] = generateSamplePolicy(policyExamples, defs);
  return files;
}
