import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A central server of a spec's own (embedded PGlite in memory, demo seed, the built web app), for specs
 * whose server settings would change what every other spec sees (a client policy, passwords turned off).
 * Resolves once /health answers; `stop()` ends it.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type OwnServer = { base: string; stop(): void };

export async function startOwnServer(name: string, port: number, env: Record<string, string>): Promise<OwnServer> {
  const base = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      SWITCHBOARD_PORT: String(port),
      SWITCHBOARD_HOST: '127.0.0.1',
      SWITCHBOARD_SEED: 'demo',
      SWITCHBOARD_DATA_DIR: 'memory://',
      DATABASE_URL: '',
      SWITCHBOARD_WEB_ROOT: process.env.SWITCHBOARD_DIST ? `${process.env.SWITCHBOARD_DIST}/renderer` : path.join(root, 'dist/renderer'),
      ...env,
    },
  });
  server.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name} server] ${chunk.toString()}`));
  const deadline = Date.now() + 100_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      server.kill('SIGTERM');
      throw new Error(`${name} e2e server did not start`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { base, stop: () => server.kill('SIGTERM') };
}
