// Writes the managed-policy templates (ADMX/ADML, macOS profile, Linux JSON schema and sample) to
// build/policy/ from the one schema in core/policy/schema.ts. `--check` exits 1 if a committed file
// differs from what the schema produces (the unit test checks the same).
// Run through `npm run policy:templates` (node --import tsx, so the TypeScript generators load as is).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'build', 'policy');
// Read as text, not required: the config requires packaging helpers this script has no need to load.
const builderConfig = readFileSync(path.join(root, 'build', 'electron-builder.config.cjs'), 'utf8');
const appId = /\bappId:\s*'([^']+)'/.exec(builderConfig)?.[1];
if (!appId) throw new Error('build/electron-builder.config.cjs: no appId found');
const { generatePolicyTemplates } = await import('../core/policy/templates/index.ts');

const check = process.argv.includes('--check');
const stale = [];
for (const [rel, content] of Object.entries(generatePolicyTemplates({ appId }))) {
  const file = path.join(outDir, rel);
  let current = null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: written below, or reported in --check mode
  }
  if (current === content) continue;
  if (check) {
    stale.push(rel);
    continue;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`wrote build/policy/${rel}`);
}
if (stale.length) {
  console.error(`build/policy is out of date (run npm run policy:templates): ${stale.join(', ')}`);
  process.exit(1);
}
