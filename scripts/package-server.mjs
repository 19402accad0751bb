// The central server as IT runs it: plain JavaScript (esbuild bundle, no TypeScript loader at run time) in a
// Debian package with a systemd unit and its configuration under /etc/switchboard.
//   /usr/lib/switchboard-server/server/main.mjs   the bundle (ExecStart runs it with Debian's node)
//   /usr/lib/switchboard-server/server/migrations the SQL the server applies at start
//   /usr/lib/switchboard-server/node_modules/@electric-sql/pglite  loaded from disk (its WASM files)
//   /etc/switchboard/server.env                   EnvironmentFile (a conffile: kept on removal and upgrade)
//   /lib/systemd/system/switchboard-server.service
//   /var/lib/switchboard                          data folder (token secret, embedded database); never removed
// Usage: node scripts/package-server.mjs [outDir]   prints the .deb's path.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './ensure.mjs';

export const unitName = 'switchboard-server.service';

/** The .deb's architecture: the package carries a native addon (@node-rs/jieba's prebuilt binary for this machine). */
export function debArch() {
  const r = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : 'amd64';
}

/**
 * The server as plain JavaScript in `lib`: server/main.mjs (one esbuild bundle), server/migrations,
 * package.json (the version), node_modules/@electric-sql/pglite. `node lib/server/main.mjs` runs it.
 */
export async function stageServer(lib, version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) {
  mkdirSync(join(lib, 'server'), { recursive: true });

  await build({
    entryPoints: [join(root, 'server/main.ts')],
    outfile: join(lib, 'server/main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // PGlite reads its WASM and data files next to its own module; vite is only the widget's dev build,
    // which a packaged server never runs (it serves prebuilt assets or none); pg-native is pg's optional addon;
    // @node-rs/jieba (the mood scorer's segmenter) loads its native addon for this platform at run time.
    external: ['@electric-sql/pglite', 'vite', 'pg-native', '@node-rs/*'],
    // CommonJS dependencies bundled into ESM still call require() for Node's own modules.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  cpSync(join(root, 'server/db/migrations'), join(lib, 'server/migrations'), { recursive: true });
  cpSync(join(root, 'node_modules/@electric-sql/pglite'), join(lib, 'node_modules/@electric-sql/pglite'), { recursive: true });
  // The segmenter and the prebuilt addon npm installed for this machine (so the package is for this architecture).
  cpSync(join(root, 'node_modules/@node-rs'), join(lib, 'node_modules/@node-rs'), { recursive: true });
  // app.ts reads the version from ../package.json beside the bundle's folder.
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'switchboard-server', version, type: 'module', private: true }, null, 2));

  return join(lib, 'server/main.mjs');
}

export async function packageServer(outDir = join(root, 'dist', 'server-deb')) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const stage = join(outDir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  await stageServer(join(stage, 'usr/lib/switchboard-server'), version);

  mkdirSync(join(stage, 'etc/switchboard'), { recursive: true });
  writeFileSync(
    join(stage, 'etc/switchboard/server.env'),
    `# Switchboard server settings (server/README.md lists them all). Restart after a change:
#   systemctl restart switchboard-server
# Listen on every interface (behind your balancer); the default is loopback only.
SWITCHBOARD_HOST=0.0.0.0
SWITCHBOARD_PORT=7600
SWITCHBOARD_DATA_DIR=/var/lib/switchboard
SWITCHBOARD_LOG_LEVEL=info
# No demo accounts on a real server (their password is published).
SWITCHBOARD_SEED=none
# PostgreSQL; without it the embedded database under SWITCHBOARD_DATA_DIR is used (one instance only).
#DATABASE_URL=postgres://switchboard:secret@db.example.com/switchboard
# Several instances: the same Redis for all of them, and the same token secret (32+ characters).
#SWITCHBOARD_BROKER_URL=redis://broker.example.com:6379
#SWITCHBOARD_TOKEN_SECRET=
# Prometheus: when set, GET /metrics needs "Authorization: Bearer <token>".
#SWITCHBOARD_METRICS_TOKEN=
`,
  );
  mkdirSync(join(stage, 'lib/systemd/system'), { recursive: true });
  writeFileSync(
    join(stage, 'lib/systemd/system', unitName),
    `[Unit]
Description=Switchboard contact-center server
Documentation=https://github.com/switchboard/switchboard/blob/main/server/README.md
After=network-online.target postgresql.service redis-server.service
Wants=network-online.target

[Service]
Type=simple
User=switchboard
Group=switchboard
EnvironmentFile=/etc/switchboard/server.env
ExecStart=/usr/bin/node /usr/lib/switchboard-server/server/main.mjs
Restart=on-failure
RestartSec=2
# Logs are JSON lines on stdout (pino): journald keeps them, \`journalctl -u switchboard-server -o cat\` reads them.
StandardOutput=journal
StandardError=journal
LimitNOFILE=65536
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=/var/lib/switchboard

[Install]
WantedBy=multi-user.target
`,
  );

  const debian = join(stage, 'DEBIAN');
  mkdirSync(debian, { recursive: true });
  const size = Number(spawnSync('du', ['-sk', join(stage, 'usr')], { encoding: 'utf8' }).stdout.split('\t')[0]);
  writeFileSync(
    join(debian, 'control'),
    `Package: switchboard-server
Version: ${version}
Architecture: ${debArch()}
Maintainer: Switchboard <it@switchboard.invalid>
Depends: nodejs (>= 20.19), adduser
Recommends: postgresql, redis-server
Installed-Size: ${size}
Section: net
Priority: optional
Description: Switchboard contact-center server
 The central server of Switchboard (tickets, chat, sync, realtime), built to
 plain JavaScript, run by systemd. Several instances share PostgreSQL and Redis.
`,
  );
  writeFileSync(join(debian, 'conffiles'), '/etc/switchboard/server.env\n');
  const script = (name, body) => {
    writeFileSync(join(debian, name), `#!/bin/sh\nset -e\n${body}\n#DEBHELPER#\nexit 0\n`.replace('#DEBHELPER#\n', ''));
    chmodSync(join(debian, name), 0o755);
  };
  script(
    'postinst',
    `if [ "$1" = configure ]; then
  getent group switchboard >/dev/null || addgroup --system switchboard
  getent passwd switchboard >/dev/null || adduser --system --ingroup switchboard --home /var/lib/switchboard --no-create-home --shell /usr/sbin/nologin switchboard
  mkdir -p /var/lib/switchboard
  chown switchboard:switchboard /var/lib/switchboard
  chmod 0750 /var/lib/switchboard
  chown root:switchboard /etc/switchboard/server.env
  chmod 0640 /etc/switchboard/server.env
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null || true
    systemctl enable ${unitName} >/dev/null || true
    systemctl restart ${unitName} || true
  fi
fi`,
  );
  script('prerm', `if [ -d /run/systemd/system ]; then systemctl stop ${unitName} >/dev/null 2>&1 || true; fi`);
  // Removal and purge both keep /var/lib/switchboard (the token secret and the embedded database) and the
  // user owning it: data is IT's to delete. Purge removes the configuration (dpkg does, for the conffile).
  script('postrm', `if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi`);

  const deb = join(outDir, `switchboard-server_${version}_all.deb`);
  const r = spawnSync('dpkg-deb', ['--root-owner-group', '--build', stage, deb], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dpkg-deb failed: ${r.stderr}`);
  return deb;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await packageServer(process.argv[2]));
