import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * A central server process of a spec's own on a PostgreSQL database of its own (created on the e2e run's
 * PostgreSQL, dropped at the end), which the spec can stop and start again: what the database holds
 * survives, what the process held in memory does not. For "nothing lost, nothing twice across a restart".
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `databaseUrl`: the spec's own database, for a fixture that must write the past (review's last month). */
export type RestartableServer = { base: string; databaseUrl: string; restart(): Promise<void>; stop(): Promise<void>; drop(): Promise<void> };

export async function startRestartableServer(name: string, port: number, baseDatabaseUrl: string, env: Record<string, string> = {}): Promise<RestartableServer> {
  const database = `${name.replace(/\W/g, '_')}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(baseDatabaseUrl);
  url.pathname = `/${database}`;
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        SWITCHBOARD_PORT: String(port),
        SWITCHBOARD_HOST: '127.0.0.1',
        // Seeds once: a restart finds the users and skips it.
        SWITCHBOARD_SEED: 'demo',
        DATABASE_URL: url.toString(),
        SWITCHBOARD_WEB_ROOT: process.env.SWITCHBOARD_DIST ? `${process.env.SWITCHBOARD_DIST}/renderer` : path.join(root, 'dist/renderer'),
        ...env,
      },
    });
    server.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name} server] ${chunk.toString()}`));
    child = server;
    const deadline = Date.now() + 100_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`${name} e2e server did not start`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    base,
    databaseUrl: url.toString(),
    async restart() {
      await stop();
      await start();
    },
    stop,
    async drop() {
      await stop();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    },
  };
}
