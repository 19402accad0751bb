import { startServer } from './app';
import { ConfigError, loadConfig } from './config';
import { DbError } from './db/db';

/** `npm run server`: the central server on the configuration from the environment (server/README.md). */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // Configuration and database problems are the operator's to fix: one clear line, no stack.
  if (err instanceof ConfigError || err instanceof DbError) console.error(`switchboard-server: ${err.message}`);
  else console.error('switchboard-server: failed to start', err);
  process.exit(1);
});
