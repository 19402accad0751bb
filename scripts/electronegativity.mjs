// Runs Doyensec's electronegativity over what we ship and fails on any medium-or-higher finding that
// is not waived in build/electronegativity-waivers.json (each waiver: check, file, reason).
//
// What is scanned, staged into one temporary folder so the global checks (CSP present? navigation
// limited? permission handler set?) see the whole app at once:
// - electron/**/*.ts (tests excluded: they do not ship). Electronegativity 1.10 parses TypeScript with
//   @babel/parser's typescript plugin, which handles our sources, so findings point at real lines.
// - dist/electron/main.cjs and preload.cjs: what actually runs, after esbuild inlined core/ and zod.
//   They are bundled afresh from the sources with scripts/build.mjs's esbuild options (a stale dist/
//   would scan yesterday's code) and staged as .js: electronegativity skips .cjs files unseen.
// - dist/renderer/** when built, else renderer/index.html: the page and its CSP <meta> tag.
//
// Note: electronegativity tries to download translations and Electron's release list on every run;
// offline it prints a warning and carries on (the release-list check is then skipped).
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const waiverFile = path.join(root, 'build', 'electronegativity-waivers.json');
const MEDIUM = 2;


async function exists(dir) {
  try {
    await readdir(dir);
    return true;
  } catch {
    return false;
  }
}

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

/** Copies what we scan into `stage`; returns staged relative path → project relative path. */
async function stageInputs(stage) {
  const origin = new Map();
  const put = async (from, stagedRel, projectRel) => {
    await mkdir(path.dirname(path.join(stage, stagedRel)), { recursive: true });
    await cp(from, path.join(stage, stagedRel));
    origin.set(stagedRel, projectRel);
  };

  for (const file of await walk(path.join(root, 'electron'))) {
    const rel = path.relative(root, file);
    if (/\.test\.ts$/.test(rel) || !/\.ts$/.test(rel)) continue;
    await put(file, path.join('source', rel), rel);
  }

  const bundles = path.join(stage, '.bundles');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], logLevel: 'warning', sourcemap: false };
  await build({ ...common, entryPoints: [path.join(root, 'electron/main.ts')], outfile: path.join(bundles, 'main.cjs') });
  await build({ ...common, entryPoints: [path.join(root, 'electron/preload.ts')], outfile: path.join(bundles, 'preload.cjs'), platform: 'browser' });
  for (const file of ['main.cjs', 'preload.cjs']) {
    await put(path.join(bundles, file), path.join('bundle', file.replace(/\.cjs$/, '.js')), path.join('dist', 'electron', file));
  }
  await rm(bundles, { recursive: true, force: true });

  const rendererDist = path.join(root, 'dist', 'renderer');
  if (await exists(rendererDist)) {
    for (const file of await walk(rendererDist)) {
      const rel = path.relative(root, file);
      if (/\.(html?|js)$/.test(rel)) await put(file, path.join('renderer', rel), rel);
    }
  } else {
    await put(path.join(root, 'renderer', 'index.html'), path.join('renderer', 'index.html'), 'renderer/index.html');
    console.log('electronegativity: dist/renderer missing; scanning renderer/index.html only');
  }
  return origin;
}

async function loadWaivers() {
  const raw = JSON.parse(await readFile(waiverFile, 'utf8'));
  if (!Array.isArray(raw.waivers)) throw new Error(`${waiverFile}: expected { "waivers": [...] }`);
  for (const [i, w] of raw.waivers.entries()) {
    if (typeof w.check !== 'string' || typeof w.file !== 'string' || typeof w.reason !== 'string' || w.reason.trim().length < 20) {
      throw new Error(`${waiverFile}: waiver ${i} needs "check", "file" and a real "reason" (20+ characters)`);
    }
    if (w.match !== undefined && typeof w.match !== 'string') throw new Error(`${waiverFile}: waiver ${i}: "match" must be a string`);
  }
  return raw.waivers;
}

async function main() {
  const waivers = await loadWaivers();
  const electronVersion = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;
  const stage = await mkdtemp(path.join(tmpdir(), 'switchboard-eng-'));
  try {
    const origin = await stageInputs(stage);
    const run = require('@doyensec/electronegativity');
    const result = await run({ input: stage, isRelative: true, electronVersionOverride: electronVersion });

    const hardErrors = result.errors.filter((e) => !e.tolerable);
    for (const e of hardErrors) console.error(`electronegativity: could not parse ${origin.get(e.file) ?? e.file}: ${e.message}`);

    const serious = result.issues
      .filter((i) => i.severity.value >= MEDIUM)
      .map((i) => ({ ...i, file: origin.get(i.file) ?? i.file }));
    const used = new Set();
    const unwaived = [];
    for (const issue of serious) {
      // `match` (optional) narrows a waiver to findings whose flagged code contains it: needed for
      // bundles, where one file holds all of main and a file-wide waiver would hide new calls.
      const waiver = waivers.find((w) => w.check === issue.id && w.file === issue.file && (w.match === undefined || (issue.sample ?? '').includes(w.match)));
      if (waiver) used.add(waiver);
      else unwaived.push(issue);
    }
    for (const issue of unwaived) {
      const where = issue.location ? `${issue.file}:${issue.location.line}:${issue.location.column}` : issue.file;
      console.log(`  ${issue.severity.name} ${issue.id} at ${where}: ${issue.description}`);
      if (issue.sample) console.log(`      ${issue.sample.split('\n')[0].slice(0, 140)}`);
    }
    for (const w of waivers) {
      if (!used.has(w)) console.log(`  stale waiver (nothing matched, remove it): ${w.check} in ${w.file}`);
    }
    console.log(`electronegativity: ${serious.length} findings, ${serious.length - unwaived.length} waived, ${unwaived.length} unwaived (medium+)`);
    process.exitCode = unwaived.length > 0 || hardErrors.length > 0 ? 1 : 0;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`electronegativity: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
