import { linkSsoIdentity } from './ssoAccounts';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDb } from '../db/open';

/**
 * `npx tsx server/auth/linkSso.ts <username> <subject> [issuer]`: links a company identity to an account, which
 * team leads and admins need before their first single sign-on (server/auth/ssoAccounts.ts findSsoUser).
 * The subject is the ID token's `sub`; a refused sign-in logs it ("audit: sso-refused … subject …"). The
 * issuer defaults to SWITCHBOARD_OIDC_ISSUER. Stop the server first when it runs on the embedded database.
 */
const [username, subject, issuerArg] = process.argv.slice(2);
const config = loadConfig();
const issuer = issuerArg ?? config.oidcIssuer;
if (!username || !subject || !issuer) {
  console.error('usage: npx tsx server/auth/linkSso.ts <username> <subject> [issuer]   (issuer defaults to SWITCHBOARD_OIDC_ISSUER)');
  process.exit(2);
}
const db = await openDb(config);
const linked = await migrate(db)
  .then(() => linkSsoIdentity(db, { username, issuer, subject }))
  .finally(() => db.close());
console.log(linked ? `linked ${issuer} subject ${subject} to ${username}` : `no account has the username ${JSON.stringify(username)}`);
process.exitCode = linked ? 0 : 1;
