// `npm run package`: builds the app (scripts/build.mjs), then runs electron-builder with
// build/electron-builder.config.cjs for the Linux targets this machine can build offline: dir, tar.gz
// and deb. Output goes to release/ (SWITCHBOARD_RELEASE overrides it), which is emptied first.
//
// The Electron binary: node_modules/electron/dist when it exists (a normal `npm ci`), else ELECTRON_DIST
// (a directory or electron-v<version>-linux-x64.zip). When neither exists (this CI machine: the binary
// cannot be downloaded), a stand-in is generated: a shell stub named `electron` that only says what it
// is. Artifacts built on it check structure, app.asar contents and packaging metadata, but CANNOT RUN;
// they carry -NOT-RUNNABLE in their names, a NOT-RUNNABLE.txt beside and inside them, and are built
// without electronFuses (fuses are flipped inside the real binary; a stub has none to flip).
//
// Usage: npm run package [-- --targets dir,tar.gz,deb]
// Tools: deb needs fpm; without one on PATH build/tools/fpm-deb-shim.mjs builds it with dpkg-deb.
// tar.gz needs 7za (Debian p7zip-full) instead of the 7-Zip electron-builder would download.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAll } from './build.mjs';
import { root } from './ensure.mjs';

const offlineTargets = ['dir', 'tar.gz', 'deb'];
const { values: args } = parseArgs({ options: { targets: { type: 'string', default: offlineTargets.join(',') } } });
const targets = args.targets.split(',').map((t) => t.trim()).filter(Boolean);

const require = createRequire(join(root, 'package.json'));
const { Arch, Platform, build } = require('electron-builder');
const baseConfig = require(join(root, 'build/electron-builder.config.cjs'));

const dist = process.env.SWITCHBOARD_DIST ?? join(root, 'dist');
const output = process.env.SWITCHBOARD_RELEASE ?? join(root, 'release');
const notRunnableFile = 'NOT-RUNNABLE.txt';
const notRunnableText = `This build was packaged on a stand-in for the Electron binary (none was available on the
build machine). It checks structure, app.asar contents and installer metadata only and CANNOT RUN.
Build releases where the real Electron exists: node_modules/electron/dist after a normal npm ci, or
ELECTRON_DIST=/path/to/electron-v<version>-linux-x64.zip npm run package.
`;

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;

/** The real Electron, or null. */
function realElectronDist() {
  if (process.env.ELECTRON_DIST) return process.env.ELECTRON_DIST;
  const dir = join(root, 'node_modules/electron/dist');
  return existsSync(join(dir, 'electron')) ? dir : null;
}

/** A directory shaped like Electron's linux-x64 zip: electron-builder copies it and renames `electron`. */
function makeStandInElectronDist() {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-electron-standin-'));
  mkdirSync(join(dir, 'resources'));
  mkdirSync(join(dir, 'locales'));
  const stub = join(dir, 'electron');
  writeFileSync(stub, `#!/bin/sh\necho "Switchboard: this is a packaging stand-in, not Electron. It cannot run." >&2\nexit 1\n`);
  chmodSync(stub, 0o755);
  writeFileSync(join(dir, 'chrome-sandbox'), '');
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for the Electron binary (MIT, Copyright (c) Electron contributors).\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<!-- stand-in -->\n');
  writeFileSync(join(dir, notRunnableFile), notRunnableText);
  return dir;
}

/** Config for this run: the shipped config plus what the machine forces (stand-in, private dist). */
function runConfig({ standIn, electronDist }) {
  const config = { ...baseConfig, electronDist, directories: { ...baseConfig.directories, output } };
  if (dist !== join(root, 'dist')) {
    // A private build (SWITCHBOARD_DIST): pack it as dist/ with the same exclusions.
    const excludes = baseConfig.files.filter((f) => f.startsWith('!'));
    config.files = ['package.json', { from: dist, to: 'dist', filter: ['**/*', ...excludes.map((f) => f.replace('!dist/', '!'))] }];
  }
  if (standIn) {
    delete config.electronFuses;
    // NOT-RUNNABLE.txt travels inside the stand-in itself, so it lands in every artifact's app folder.
    config.linux = { ...baseConfig.linux, artifactName: '${productName}-${version}-${arch}-NOT-RUNNABLE.${ext}' };
    config.deb = { ...baseConfig.deb, artifactName: '${name}_${version}_${arch}-NOT-RUNNABLE.${ext}' };
  }
  return config;
}

function listArtifacts(dir) {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('builder-') && statSync(join(dir, f)).isFile())
    .map((f) => `  ${relative(root, join(dir, f))}  ${(statSync(join(dir, f)).size / 1e6).toFixed(1)} MB`);
}

const t0 = performance.now();
await buildAll({ quiet: true });
const tBuild = performance.now();

const real = realElectronDist();
const electronDist = real ?? makeStandInElectronDist();
const standIn = real === null;
if (standIn) {
  console.log('\n' + '!'.repeat(78));
  console.log('!! No Electron binary here: packaging a STAND-IN. The output is NOT RUNNABLE.');
  console.log('!! It checks app.asar contents and installer metadata only; fuses are not applied.');
  console.log('!'.repeat(78) + '\n');
}

// electron-builder would download 7-Zip and fpm from GitHub; use the system's, or our dpkg-deb shim.
if (!process.env.ELECTRON_BUILDER_7ZIP_PATH && existsSync('/usr/bin/7za')) process.env.ELECTRON_BUILDER_7ZIP_PATH = '/usr/bin/7za';
if (!process.env.CUSTOM_FPM_PATH && targets.includes('deb')) {
  const fpm = which('fpm');
  process.env.CUSTOM_FPM_PATH = fpm ?? join(root, 'build/tools/fpm-deb-shim.mjs');
}

rmSync(output, { recursive: true, force: true });
try {
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget(targets, Arch.x64),
    config: runConfig({ standIn, electronDist }),
    publish: 'never',
  });
} finally {
  if (standIn) rmSync(electronDist, { recursive: true, force: true });
}
if (standIn) writeFileSync(join(output, notRunnableFile), notRunnableText);

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(`\n[package] ${targets.join(', ')} in ${seconds(performance.now() - t0)} (app build ${seconds(tBuild - t0)}, electron-builder ${seconds(performance.now() - tBuild)})`);
for (const line of listArtifacts(output)) console.log(line);
if (standIn) console.log(`[package] NOT RUNNABLE: built on a stand-in Electron (see ${relative(root, join(output, notRunnableFile))}).`);
