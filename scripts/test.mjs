// `npm test`: the whole suite, from a fresh clone. Installs what is missing, then runs each step and ends
// with one line `N passed, N failed` (tests counted from vitest and Playwright; each static check counts one).
// Usage: npm test [-- step ...]   steps: typecheck lint unit build package electronegativity e2e server-deb chaos sip sip-app desk
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackages, ensureNode, ensureNpmPackages, root } from './ensure.mjs';

ensureNode();
ensureNpmPackages();
ensureDebianPackages('test');

const out = join(root, 'test-results');
mkdirSync(out, { recursive: true });
const bin = (name) => join(root, 'node_modules/.bin', name);

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};
const check = (ok) => ({ passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

/** Vitest's JSON report → counts; a crashed run without a report counts as one failure. */
function vitestCounts(file, ok) {
  const report = readJson(file);
  if (!report) return check(false);
  const failed = report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : 1);
  const failures = [];
  for (const file of report.testResults ?? []) {
    for (const a of file.assertionResults ?? []) {
      if (a.status === 'failed') failures.push(`${file.name.replace(`${root}/`, '')} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
  }
  return { passed: report.numPassedTests, failed, failures };
}

/** The first line of an error, without colour codes, so the summary names why (CI shows only the tail). */
const firstLine = (text) => String(text ?? '').replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '').split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';

/** Playwright's JSON report → counts (unexpected and flaky are failures; skips print their reason). */
function playwrightCounts(file, ok) {
  const report = readJson(file);
  if (!report) return check(false);
  const s = report.stats;
  // A skipped test must say why: print each skip's reason so it is visible in every run.
  const failures = [];
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'unexpected' || t.status === 'flaky') {
          const error = (t.results ?? []).map((r) => r.error?.message).find(Boolean);
          failures.push(`${spec.file}:${spec.line} › ${spec.title}: ${firstLine(error)}`);
        }
        if (t.status !== 'skipped') continue;
        // A test Playwright never started (no results) was cut off by an earlier failure in its serial group.
        const why = (t.annotations ?? []).find((a) => a.type === 'skip')?.description
          ?? ((t.results ?? []).length === 0 ? 'did not run: an earlier test in its serial group failed' : 'no reason given');
        console.log(`skipped: ${spec.title}: ${why}`);
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
  const failed = s.unexpected + s.flaky + (ok || s.unexpected + s.flaky > 0 ? 0 : 1);
  return { passed: s.expected, failed, failures };
}

const steps = {
  typecheck: () => check(run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) && run(bin('tsc'), ['-p', 'core/tsconfig.json', '--noEmit'])),
  lint: () => check(run(bin('eslint'), ['--max-warnings', '0', '.'])),
  unit: async () => {
    const file = join(out, 'unit.json');
    rmSync(file, { force: true });
    // Unit tests use PGlite; the data layer's PostgreSQL tests get a real Debian PostgreSQL (loopback only).
    const { startPostgres } = await import('./postgres.mjs');
    const pg = startPostgres({ port: 55433 });
    try {
      // Files named *.timing.test.ts hold wall-clock bounds an issue asks for (an event loop that answers
      // in 50 ms while hostile input is processed): they run after the rest, one file at a time, so no
      // other test shares the two cores with a measurement.
      const ok = run(bin('vitest'), ['run', '--exclude', '**/*.timing.test.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], { DATABASE_URL: pg.url });
      const counts = vitestCounts(file, ok);
      const timingFile = join(out, 'unit-timing.json');
      rmSync(timingFile, { force: true });
      const timingOk = run(bin('vitest'), ['run', '--maxWorkers=1', '--no-file-parallelism', '--reporter=default', '--reporter=json', `--outputFile.json=${timingFile}`, '.timing.test.'], { DATABASE_URL: pg.url });
      const timing = vitestCounts(timingFile, timingOk);
      return { passed: counts.passed + timing.passed, failed: counts.failed + timing.failed, failures: [...(counts.failures ?? []), ...(timing.failures ?? [])] };
    } finally {
      pg.stop();
    }
  },
  build: () => check(run(process.execPath, ['scripts/build.mjs'])),
  // `npm run package` (linux dir, tar.gz, deb; a labelled stand-in when there is no Electron binary),
  // then what would ship is inspected: app.asar contents, the .deb's control fields, desktop entry, postinst.
  package: () => {
    const file = join(out, 'packaging.json');
    rmSync(file, { force: true });
    const ok = run(bin('vitest'), ['run', '-c', 'tests/packaging/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
    return vitestCounts(file, ok);
  },
  electronegativity: () => check(run(process.execPath, ['scripts/electronegativity.mjs'])),
  e2e: () => {
    const file = join(out, 'e2e.json');
    rmSync(file, { force: true });
    const ok = run(process.execPath, ['scripts/e2e.mjs'], { SWITCHBOARD_E2E_JSON: file });
    return playwrightCounts(file, ok);
  },
};
/** Runs a command that ends with its own `N passed, N failed` line, echoing its output. */
function summaryCounts(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const m = /(\d+) passed, (\d+) failed\s*$/.exec((r.stdout ?? '').trim());
  if (!m) return check(false);
  const failed = Number(m[2]) + (r.status === 0 || Number(m[2]) > 0 ? 0 : 1);
  return { passed: Number(m[1]), failed };
}
// The server's Debian package: installs, its unit's command starts on PostgreSQL, /health, removal keeps data.
steps['server-deb'] = () => summaryCounts(process.execPath, ['tests/server-deb/run.mjs']);
// Three clients, random mutations, network cuts, server restarts, a client killed mid-write.
steps.chaos = () => summaryCounts(process.execPath, ['tests/chaos/run.mjs']);
// The softphone service against a real Kamailio + rtpengine + baresip (its own netns runner).
steps.sip = () => summaryCounts('bash', ['tests/sip/run.sh']);
if (existsSync(join(root, 'tests/e2e-sip/run.mjs'))) {
  // The app's phone UI against the same real stack.
  steps['sip-app'] = () => {
    const file = join(out, 'sip-app.json');
    rmSync(file, { force: true });
    const ok = run(process.execPath, ['tests/e2e-sip/run.mjs'], { SWITCHBOARD_SIP_JSON: file });
    return playwrightCounts(file, ok);
  };
}
// The home agent's desk (issue 15): the embedded phone server as `npm start` runs it, the readiness check,
// rings and missed calls, offers that cover nothing; in a namespace with a second address (tests/e2e-desk/run.mjs).
steps.desk = () => {
  const file = join(out, 'desk.json');
  rmSync(file, { force: true });
  const ok = run(process.execPath, ['tests/e2e-desk/run.mjs'], { SWITCHBOARD_DESK_JSON: file });
  return playwrightCounts(file, ok);
};

const wanted = process.argv.slice(2);
const order = wanted.length ? wanted : Object.keys(steps);
const results = [];
for (const name of order) {
  if (!steps[name]) {
    console.error(`unknown step ${name}; steps: ${Object.keys(steps).join(' ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name}`);
  const t0 = performance.now();
  const r = await steps[name]();
  results.push({ name, ...r, seconds: Math.round((performance.now() - t0) / 100) / 10 });
}
console.log('\n=== summary');
for (const r of results) {
  console.log(`${r.failed ? 'FAIL' : 'ok  '} ${r.name.padEnd(18)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds}s`);
  for (const f of r.failures ?? []) console.log(`       ✘ ${f}`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
