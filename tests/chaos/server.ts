// The real server as a child process of the chaos run, so it can be killed with SIGKILL or stopped
// with SIGTERM. Env: CHAOS_DB (postgres URL), CHAOS_PORT, CHAOS_SEED ('demo' on the first start).
import { startServer } from '../../server/app';
import { makeConfig } from '../../server/config';

const server = await startServer(
  makeConfig({
    databaseUrl: process.env.CHAOS_DB ?? null,
    port: Number(process.env.CHAOS_PORT),
    dataDir: '/tmp/switchboard-chaos',
    seed: process.env.CHAOS_SEED === 'demo' ? 'demo' : 'none',
    tokenSecret: 'chaos-test-secret-that-is-long-enough-0123456789',
    accessTtl: 3600,
    logLevel: 'warn',
  }),
);
process.stdout.write('READY\n');
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
