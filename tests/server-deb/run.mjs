// The server's Debian package on this Debian 12 (issue 18): it installs, its unit's command starts against a
// real PostgreSQL and answers /health and /ready, and removing (then purging) the package keeps the data.
// systemd is not PID 1 in this container, so the unit's ExecStart runs as the unit would run it: as its
// User, with its EnvironmentFile, from the installed files (the sandboxing lines of the unit do not apply).
// Runs in a loopback-only network namespace. Ends with `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inNetns, reexecInNetns } from '../../scripts/netns.mjs';
import { debArch, packageServer, unitName } from '../../scripts/package-server.mjs';
import { startPostgres } from '../../scripts/postgres.mjs';

if (!inNetns()) process.exit(reexecInNetns(new URL(import.meta.url).pathname, process.argv.slice(2)));

let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? '✓' : '✗'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
};
const sh = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' });
const installed = () => sh('dpkg-query', ['-W', '-f=${Status}', 'switchboard-server']).stdout.includes('install ok installed');

if (process.getuid?.() !== 0 || !existsSync('/usr/bin/dpkg')) {
  console.log('server-deb: skipped: needs root and dpkg (a Debian machine) to install a package');
  console.log('0 passed, 0 failed');
  process.exit(0);
}
if (installed()) {
  console.log('server-deb: refused: switchboard-server is already installed on this machine; this test would remove it');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'server-deb-'));
const cluster = startPostgres({ port: Number(process.env.SERVER_DEB_PG_PORT ?? 55438) });
let server = null;
try {
  const deb = await packageServer(work);
  const fields = sh('dpkg-deb', ['-f', deb, 'Package', 'Architecture', 'Depends']).stdout;
  check('the package names itself, is built for this machine (it carries the segmenter\'s native addon) and depends on Node 20.19+', /Package: switchboard-server/.test(fields) && new RegExp(`Architecture: ${debArch()}`).test(fields) && /nodejs \(>= 20\.19\)/.test(fields), fields);

  const install = sh('dpkg', ['-i', deb]);
  check('dpkg installs it', install.status === 0 && installed(), install.stderr);
  const unitFile = `/lib/systemd/system/${unitName}`;
  const unit = readFileSync(unitFile, 'utf8');
  const value = (key) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
  check('the unit runs plain JavaScript with Debian node, as its own user, configured from /etc', value('ExecStart') === '/usr/bin/node /usr/lib/switchboard-server/server/main.mjs' && value('User') === 'switchboard' && value('EnvironmentFile') === '/etc/switchboard/server.env', unit);
  const conf = statSync('/etc/switchboard/server.env');
  check('the configuration is readable by the service only (0640)', (conf.mode & 0o777) === 0o640, (conf.mode & 0o777).toString(8));
  check('the data folder belongs to the service user', existsSync('/var/lib/switchboard') && sh('stat', ['-c', '%U', '/var/lib/switchboard']).stdout.trim() === 'switchboard');

  // IT's step: point the configuration at the database (the unit reads it at start).
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query("create role switchboard login password 'deb-test'");
  await admin.query('create database switchboard owner switchboard');
  await admin.end();
  const dbUrl = cluster.url.replace('postgres@', 'switchboard:deb-test@').replace(/\/postgres$/, '/switchboard');
  const env = readFileSync('/etc/switchboard/server.env', 'utf8')
    .replace(/^SWITCHBOARD_HOST=.*$/m, 'SWITCHBOARD_HOST=127.0.0.1')
    .replace(/^SWITCHBOARD_PORT=.*$/m, 'SWITCHBOARD_PORT=7690')
    .replace(/^#DATABASE_URL=.*$/m, `DATABASE_URL=${dbUrl}`);
  writeFileSync('/etc/switchboard/server.env', env);

  // The unit's ExecStart as systemd would run it: its User, only its EnvironmentFile's variables.
  const vars = env.split('\n').filter((l) => /^[A-Z_]+=/.test(l));
  const [exe, ...args] = value('ExecStart').split(' ');
  const logs = [];
  server = spawn('runuser', ['-u', value('User'), '--', 'env', '-i', 'PATH=/usr/bin:/bin', ...vars, exe, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => logs.push(...String(d).split('\n').filter(Boolean)));
  server.stderr.on('data', (d) => logs.push(...String(d).split('\n').filter(Boolean)));
  let health = null;
  for (let i = 0; i < 150 && !health && server.exitCode === null; i++) {
    try {
      const res = await fetch('http://127.0.0.1:7690/health');
      if (res.ok) health = await res.json();
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  check('the unit command starts against PostgreSQL and /health answers', health?.status === 'ok' && health?.db === 'postgres', JSON.stringify(health) + logs.slice(-5).join('\n'));
  const ready = await fetch('http://127.0.0.1:7690/ready').then((r) => r.json(), () => null);
  check('/ready answers (no broker configured: one instance)', ready?.status === 'ready' && ready?.broker === 'none', JSON.stringify(ready));
  check('its log lines are structured (one JSON object each)', logs.length > 0 && logs.every((l) => l.startsWith('{') && JSON.parse(l).msg !== undefined), logs.slice(0, 3).join('\n'));
  const exited = new Promise((resolve) => server.once('exit', (code) => resolve(code)));
  // systemd signals the service's own process; runuser is only how this test became its user.
  const pid = Number(sh('pgrep', ['-P', String(server.pid)]).stdout.trim().split('\n')[0]);
  process.kill(pid || server.pid, 'SIGTERM');
  check('SIGTERM stops it cleanly (exit 0)', (await exited) === 0);
  server = null;
  check('it wrote its token secret into the data folder', sh('ls', ['/var/lib/switchboard']).stdout.trim().length > 0);

  const remove = sh('dpkg', ['-r', 'switchboard-server']);
  check('dpkg removes it', remove.status === 0 && !installed() && !existsSync('/usr/lib/switchboard-server/server/main.mjs'), remove.stderr);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const { rows } = await db.query("select count(*)::int as n from information_schema.tables where table_name in ('users', 'tickets', 'chat_events')");
  await db.end();
  check('after removal the data stays: the database tables, the data folder and the configuration', rows[0].n === 3 && existsSync('/var/lib/switchboard') && existsSync('/etc/switchboard/server.env'));
  const purge = sh('dpkg', ['--purge', 'switchboard-server']);
  check('a purge removes the configuration and still keeps the data folder', purge.status === 0 && !existsSync('/etc/switchboard/server.env') && existsSync('/var/lib/switchboard'), purge.stderr);
} catch (err) {
  check('the run completed', false, err instanceof Error ? err.stack : String(err));
} finally {
  server?.kill('SIGKILL');
  if (installed()) sh('dpkg', ['--purge', 'switchboard-server']);
  // This test's leftovers (the data a real removal keeps on purpose), so the next run starts clean.
  sh('rm', ['-rf', '/var/lib/switchboard', '/etc/switchboard']);
  sh('deluser', ['--system', 'switchboard']);
  sh('delgroup', ['--system', 'switchboard']);
  cluster.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
