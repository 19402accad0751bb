import { loadConfig } from './config';
import { migrate } from './db/migrate';
import { openDb } from './db/open';
import { demoPassword, seedDemo } from './seed/seed';

/** `tsx server/seed.ts`: migrates and loads the demo data into the configured database if it has no users. */
const config = loadConfig();
const db = await openDb(config);
try {
  await migrate(db);
  const report = await seedDemo(db);
  if (report) {
    console.log(`seeded in ${report.ms} ms: ${report.users} users, ${report.customers} customers, ${report.tickets} tickets, ` +
      `${report.comments} comments, ${report.quickReplies} quick replies. Demo password: "${demoPassword}"`);
  } else {
    console.log('not seeded: the database already has users');
  }
} finally {
  await db.close();
}
