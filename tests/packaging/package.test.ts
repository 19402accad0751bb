import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What `npm run package` produced (globalSetup ran it): release/ unless SWITCHBOARD_RELEASE says otherwise.
const root = fileURLToPath(new URL('../..', import.meta.url));
const release = process.env.SWITCHBOARD_RELEASE ?? path.join(root, 'release');
const require = createRequire(path.join(root, 'package.json'));
const asar = require('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[]; extractFile(archive: string, file: string): Buffer };

type PackageJson = { name: string; version: string; main: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
type EbConfig = {
  electronFuses: Record<string, boolean>;
  linux: { synopsis: string; maintainer: string; executableName: string };
  deb: { depends: string[]; recommends: string[] };
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
const config = require(path.join(root, 'build/electron-builder.config.cjs')) as EbConfig;

// The same rule scripts/package.mjs applies: a real Electron exists, or the build was made on the stand-in.
const realElectron = Boolean(process.env.ELECTRON_DIST) || existsSync(path.join(root, 'node_modules/electron/dist/electron'));
const releaseFiles = existsSync(release) ? readdirSync(release) : [];
const debFile = path.join(release, releaseFiles.find((f) => f.endsWith('.deb')) ?? 'no .deb in release/');
const tarFile = path.join(release, releaseFiles.find((f) => f.endsWith('.tar.gz')) ?? 'no .tar.gz in release/');
const unpacked = path.join(release, 'linux-unpacked');
const appAsar = path.join(unpacked, 'resources/app.asar');
const installDir = '/opt/Switchboard';

const dpkgDeb = (...args: string[]) => execFileSync('dpkg-deb', args, { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });

/** The .deb's files (paths without the leading `.`), with their mode string. */
function debContents(): Map<string, string> {
  const lines = dpkgDeb('-c', debFile).trim().split('\n');
  return new Map(lines.map((l) => { const parts = l.split(/\s+/); return [parts[5]!.replace(/^\./, ''), parts[0]!]; }));
}

/** `Key=Value` lines of the [Desktop Entry] group. */
function parseDesktopEntry(text: string): Record<string, string> {
  const group = text.split(/^\[/m).find((g) => g.startsWith('Desktop Entry]')) ?? '';
  return Object.fromEntries(group.split('\n').slice(1).filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('npm run package: linux dir, tar.gz and deb', () => {
  it('produced a .deb, a .tar.gz and the unpacked app', () => {
    expect(releaseFiles.filter((f) => f.endsWith('.deb'))).toHaveLength(1);
    expect(releaseFiles.filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1);
    expect(existsSync(appAsar)).toBe(true);
  });

  it(realElectron ? 'is not labelled NOT RUNNABLE (a real Electron was packaged)' : 'labels the stand-in build NOT RUNNABLE: beside the artifacts, inside them, and in their names', () => {
    const label = path.join(release, 'NOT-RUNNABLE.txt');
    if (realElectron) {
      expect(existsSync(label)).toBe(false);
      expect(releaseFiles.filter((f) => f.includes('NOT-RUNNABLE'))).toEqual([]);
      return;
    }
    expect(readFileSync(label, 'utf8')).toMatch(/CANNOT RUN/);
    expect(path.basename(debFile)).toBe(`${pkg.name}_${pkg.version}_amd64-NOT-RUNNABLE.deb`);
    expect(path.basename(tarFile)).toMatch(/-NOT-RUNNABLE\.tar\.gz$/);
    expect(debContents().has(`${installDir}/NOT-RUNNABLE.txt`)).toBe(true);
    expect(execFileSync('tar', ['-tzf', tarFile], { encoding: 'utf8' })).toMatch(/\/NOT-RUNNABLE\.txt$/m);
    // and the stand-in executable says what it is instead of failing obscurely
    const run = spawnSync(path.join(unpacked, config.linux.executableName), { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/stand-in, not Electron/);
  });
});

describe('app.asar', () => {
  const entries = existsSync(appAsar) ? asar.listPackage(appAsar, { isPack: false }) : [];
  const productionDeps = Object.keys(pkg.dependencies ?? {});

  it('holds only the built app (dist/), package.json and production dependencies', () => {
    const outside = entries.filter(
      (e) => e !== '/package.json' && !e.startsWith('/dist/') && e !== '/dist' && !productionDeps.some((d) => e === '/node_modules' || e.startsWith(`/node_modules/${d}`)),
    );
    expect(outside).toEqual([]);
    // What the app starts from is there: package.json's main, the preload and the renderer's page.
    expect(entries).toEqual(expect.arrayContaining([`/${pkg.main}`, '/dist/electron/preload.cjs', '/dist/renderer/index.html']));
    const shippedPkg = JSON.parse(asar.extractFile(appAsar, 'package.json').toString('utf8')) as PackageJson;
    expect(shippedPkg.main).toBe(pkg.main);
  });

  it('has no sources, tests, source maps, .env files or dev dependencies', () => {
    const forbidden = entries.filter(
      (e) =>
        /\.(ts|tsx|mts|cts|map)$/.test(e) ||
        /\.(test|spec)\.[cm]?[jt]sx?$/.test(e) ||
        /(^|\/)\.env(\.|$)/.test(e) ||
        /^\/(core|renderer|electron|server|tests|scripts|bench|build)(\/|$)/.test(e) ||
        /(^|\/)(README|CHANGELOG)[^/]*$/i.test(e) ||
        Object.keys(pkg.devDependencies ?? {}).some((d) => e.startsWith(`/node_modules/${d}/`) || e === `/node_modules/${d}`),
    );
    expect(forbidden).toEqual([]);
    // Bundles do not point at maps that would have to ship beside them.
    const main = asar.extractFile(appAsar, pkg.main).toString('utf8');
    expect(main).not.toMatch(/sourceMappingURL=/);
  });

  it('package.json keeps `dependencies` empty: everything the app runs is bundled into dist/', () => {
    // A dependency added here would ship in app.asar's node_modules; the test above would then let it in.
    expect(productionDeps).toEqual([]);
    expect(entries.some((e) => e.startsWith('/node_modules'))).toBe(false);
  });
});

describe('Electron fuses', () => {
  it(realElectron ? 'are flipped in the packaged binary' : 'are set in the release config (the stand-in binary has no fuse wire to flip)', async () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    if (!realElectron) {
      console.log('packaging: fuses checked in the config only: the stand-in Electron cannot carry them (real builds flip them in the binary).');
      expect(readFileSync(path.join(unpacked, config.linux.executableName), 'utf8')).toMatch(/packaging stand-in/);
      return;
    }
    const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses') as typeof import('@electron/fuses');
    // The wire holds ASCII '0' / '1' (@electron/fuses' FuseState, which it does not export at run time).
    const [off, on] = [48, 49];
    const wire = await getCurrentFuseWire(path.join(unpacked, config.linux.executableName));
    expect(wire[FuseV1Options.RunAsNode]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
  });
});

describe('the .deb', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'switchboard-deb-'));
  const fsys = path.join(work, 'root');
  const control = path.join(work, 'DEBIAN');
  beforeAll(() => {
    execFileSync('mkdir', ['-p', fsys]);
    execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2"', 'sh', debFile, fsys]);
    dpkgDeb('-e', debFile, control);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has the right control fields: Package, Version, Architecture, Maintainer, Depends, Description', () => {
    const fields = Object.fromEntries(
      ['Package', 'Version', 'Architecture', 'Maintainer', 'Depends', 'Recommends', 'Description'].map((f) => [f, dpkgDeb('-f', debFile, f).trim()]),
    );
    expect(fields).toEqual({
      Package: pkg.name,
      Version: pkg.version.replace(/-/g, '~'),
      Architecture: 'amd64',
      Maintainer: config.linux.maintainer,
      Depends: config.deb.depends.join(', '),
      Recommends: config.deb.recommends.join(', '),
      Description: expect.stringMatching(new RegExp(`^${config.linux.synopsis}\\n .+`)),
    });
    expect(fields.Maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^>\s]+>$/);
    // dpkg itself accepts the control file
    expect(spawnSync('dpkg-deb', ['--info', debFile]).status).toBe(0);
  });

  it('installs the app under /opt/Switchboard with an executable launcher', () => {
    const files = debContents();
    expect(files.get(`${installDir}/${config.linux.executableName}`)).toMatch(/^-rwxr-xr-x/);
    expect(files.has(`${installDir}/resources/app.asar`)).toBe(true);
  });

  it('its desktop entry starts the app with the link (%U) and claims tel:, sip: and callto:', () => {
    const file = path.join(fsys, `usr/share/applications/${config.linux.executableName}.desktop`);
    const entry = parseDesktopEntry(readFileSync(file, 'utf8'));
    expect(entry.Exec).toBe(`${installDir}/${config.linux.executableName} %U`);
    expect(entry.MimeType).toBe('x-scheme-handler/tel;x-scheme-handler/sip;x-scheme-handler/callto;');
    expect(entry).toMatchObject({ Type: 'Application', Name: 'Switchboard', Terminal: 'false', Icon: config.linux.executableName });
    const validate = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
    if (validate.error) console.log('packaging: desktop-file-validate not installed (Debian desktop-file-utils); entry checked field by field only.');
    else expect(validate.stdout.split('\n').filter((l) => /error|warning/.test(l))).toEqual([]);
  });

  it('postinst links /usr/bin/switchboard and refreshes the desktop and MIME databases; postrm undoes the link', () => {
    const postinst = readFileSync(path.join(control, 'postinst'), 'utf8');
    const exe = config.linux.executableName;
    expect(postinst).toContain(`update-alternatives --install '/usr/bin/${exe}' '${exe}' '${installDir}/${exe}'`);
    expect(postinst).toMatch(/update-desktop-database \/usr\/share\/applications/);
    expect(postinst).toMatch(/update-mime-database \/usr\/share\/mime/);
    expect(readFileSync(path.join(control, 'postrm'), 'utf8')).toContain(`update-alternatives --remove '${exe}' '${installDir}/${exe}'`);
    for (const script of ['postinst', 'postrm']) expect(spawnSync('bash', ['-n', path.join(control, script)]).status).toBe(0);
  });

  it("after postinst's update-desktop-database, the desktop's MIME cache sends tel:, sip: and callto: to Switchboard", (ctx) => {
    const apps = path.join(fsys, 'usr/share/applications');
    const r = spawnSync('update-desktop-database', [apps], { encoding: 'utf8' });
    if (r.error) console.log('packaging: update-desktop-database not installed (Debian desktop-file-utils); MIME cache check skipped.');
    ctx.skip(Boolean(r.error), 'update-desktop-database not installed (Debian desktop-file-utils)');
    const cache = readFileSync(path.join(apps, 'mimeinfo.cache'), 'utf8');
    for (const scheme of ['tel', 'sip', 'callto']) expect(cache).toContain(`x-scheme-handler/${scheme}=${config.linux.executableName}.desktop;`);
  });

  it('ships every policy template at /usr/share/switchboard/policy/ and in resources/policy/', () => {
    const policyDir = path.join(root, 'build/policy');
    const templates = readdirSync(policyDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(admx|adml|mobileconfig|plist|json|md)$/.test(e.name))
      .map((e) => path.relative(policyDir, path.join(e.parentPath, e.name)));
    expect(templates.length).toBeGreaterThan(0);
    const files = debContents();
    for (const t of templates) {
      expect(files.has(`/usr/share/switchboard/policy/${t}`), t).toBe(true);
      expect(files.has(`${installDir}/resources/policy/${t}`), t).toBe(true);
    }
    // only templates: the generator's sources and tests stay out
    expect([...files.keys()].filter((f) => f.includes('/policy/') && /\.(ts|mjs|cjs|js)$/.test(f))).toEqual([]);
  });
});

describe('the .tar.gz', () => {
  it('holds the same app: launcher, app.asar and policy templates in one top folder', () => {
    const listing = execFileSync('tar', ['-tzf', tarFile], { encoding: 'utf8' }).trim().split('\n');
    const top = listing[0]!.split('/')[0]!;
    expect(listing.every((l) => l.startsWith(`${top}/`))).toBe(true);
    expect(listing).toEqual(expect.arrayContaining([`${top}/${config.linux.executableName}`, `${top}/resources/app.asar`]));
    expect(listing.some((l) => l.startsWith(`${top}/resources/policy/`))).toBe(true);
  });
});
