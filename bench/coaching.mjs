// bench/coaching: how long a lead's mode switch (listen → whisper → barge → listen) takes to reach the
// agent's audio mix, on the real Kamailio + rtpengine + baresip stack with the real app pages. Each run is
// the coaching e2e's first two tests (the customer's call, then the timed switches, measured in the agent's
// page from the lead's click to the change in what the agent hears); the figures come from the test's
// `switch-ms` annotations. Goal (issue 7): each switch takes effect within 500 ms.
// Usage: npm run bench:coaching [-- runs]   (default 3 runs, 3 switches each). Ends with one JSON line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../scripts/ensure.mjs';

const runs = Number(process.argv[2] ?? 3);
const grep = 'the customer calls agent1|listen → whisper → barge → listen';
const dir = mkdtempSync(join(tmpdir(), 'bench-coaching-'));
const byStep = {};

for (let i = 1; i <= runs; i++) {
  const report = join(dir, `run-${i}.json`);
  const r = spawnSync(process.execPath, ['tests/e2e-sip/run.mjs', 'tests/e2e-sip/coaching.spec.ts', '--grep', grep], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SWITCHBOARD_SIP_JSON: report },
    maxBuffer: 64 * 1024 * 1024,
  });
  let times;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    const visit = (suite) => [
      ...(suite.specs ?? []).flatMap((s) => s.tests.flatMap((t) => t.annotations ?? [])),
      ...(suite.suites ?? []).flatMap(visit),
    ];
    const note = json.suites.flatMap(visit).find((a) => a.type === 'switch-ms');
    times = note ? JSON.parse(note.description) : null;
  } catch {
    times = null;
  }
  if (!times) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    console.error(`run ${i}: no switch times (exit ${r.status}); see the output above`);
    process.exit(1);
  }
  console.log(`run ${i}: ${Object.entries(times).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
  for (const [k, v] of Object.entries(times)) (byStep[k] ??= []).push(v);
}

const all = Object.values(byStep).flat().sort((a, b) => a - b);
const q = (xs, p) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
const steps = Object.fromEntries(
  Object.entries(byStep).map(([k, v]) => {
    const s = [...v].sort((a, b) => a - b);
    return [k, { min: Math.round(s[0]), median: Math.round(q(s, 0.5)), max: Math.round(s[s.length - 1]) }];
  }),
);
const result = {
  bench: 'coaching',
  runs,
  switches: all.length,
  switchMs: { median: Math.round(q(all, 0.5)), p95: Math.round(q(all, 0.95)), max: Math.round(all[all.length - 1]) },
  steps,
  goals: { everySwitchUnder500ms: all[all.length - 1] < 500 },
};
console.log(`switch → agent's mix: median ${result.switchMs.median} ms, p95 ${result.switchMs.p95} ms, max ${result.switchMs.max} ms over ${all.length} switches`);
console.log(JSON.stringify(result));
