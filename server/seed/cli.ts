import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDb } from '../db/open';
import { retireDemo } from './demoGuard';
import { demoPassword, seedDemo } from './seed';

/**
 * `tsx server/seed/cli.ts`: migrates and loads the demo data into the configured database if it has no users.
 * `tsx server/seed/cli.ts --retire-demo`: replaces the demo's published passwords and webhook secrets with
 * random ones, printed once (the server refuses other addresses than loopback until then). Stop the server
 * first: the embedded database is opened by one process at a time.
 */
const config = loadConfig();
const db = await openDb(config);
try {
  await migrate(db);
  if (process.argv.includes('--retire-demo')) {
    const retired = await retireDemo(db);
    if (!retired.passwords.length && !retired.secrets.length) console.log('nothing to retire: no demo password or demo secret is in force');
    for (const { username, password } of retired.passwords) console.log(`password of ${username}: ${password}`);
    for (const { provider, secret } of retired.secrets) console.log(`webhook secret of messaging provider ${provider}: ${secret}`);
    if (retired.passwords.length) console.log('Hand these to their owners; their old sessions were ended. They are not stored or shown again.');
  } else {
    const report = await seedDemo(db);
    if (report) {
      console.log(`seeded in ${report.ms} ms: ${report.users} users, ${report.customers} customers, ${report.tickets} tickets, ` +
        `${report.comments} comments, ${report.quickReplies} quick replies. Demo password: "${demoPassword}"`);
    } else {
      console.log('not seeded: the database already has users');
    }
  }
} finally {
  await db.close();
}
