import { randomBytes } from 'node:crypto';
import { createHashGate, hashPassword, verifyPassword } from '../auth/password';
import type { Db, Queryable } from '../db/db';
import { demoMessagingProvider } from './chatDemo';
import { demoUsers } from './demoData';
import { demoPassword } from './seed';

/**
 * The demo seed's published credentials, wherever they are still in force: demo accounts (by name) that
 * still take the demo password, and messaging providers whose webhook secret is still the demo one. Both
 * are printed in server/README.md, so on a reachable server anyone could sign in as `admin` or post
 * webhooks. startServer refuses a non-loopback address while any is left, and warns on loopback.
 */
export type DemoLeftovers = { accounts: string[]; secrets: string[] };

/** The command that replaces them, named in the refusal and the warning. */
export const retireDemoCommand = 'npx tsx server/seed/cli.ts --retire-demo';

export async function findDemoLeftovers(db: Queryable): Promise<DemoLeftovers | null> {
  const { rows: users } = await db.query<{ username: string; password_hash: string }>(
    'select username, password_hash from users where username = any($1::text[]) and not disabled order by username',
    [demoUsers.map((u) => u.username)],
  );
  // Checked with the verifier rather than a flag, so a password set any other way (SQL, a future admin
  // screen) counts too. Its own gate: a start must not be refused because sign-ins keep the shared one busy.
  const gate = createHashGate({ concurrency: 2, queue: users.length });
  const stillDemo = await Promise.all(users.map((u) => verifyPassword(demoPassword, u.password_hash, gate)));
  const accounts = users.filter((_, i) => stillDemo[i]).map((u) => u.username);
  const { rows: providers } = await db.query<{ id: string }>('select id from messaging_providers where secret = $1 order by id', [demoMessagingProvider.secret]);
  const secrets = providers.map((p) => p.id);
  return accounts.length || secrets.length ? { accounts, secrets } : null;
}

/** Addresses only this computer can reach. A host name other than localhost may resolve anywhere. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function describeLeftovers({ accounts, secrets }: DemoLeftovers): string {
  const parts: string[] = [];
  if (accounts.length) parts.push(`the demo accounts ${accounts.join(', ')} still have the published password "${demoPassword}"`);
  if (secrets.length) parts.push(`the messaging provider${secrets.length > 1 ? 's' : ''} ${secrets.join(', ')} still use${secrets.length > 1 ? '' : 's'} the published demo webhook secret`);
  return parts.join(', and ');
}

export function demoRefusal(host: string, leftovers: DemoLeftovers): string {
  return (
    `refusing to listen on ${host}: ${describeLeftovers(leftovers)}, so anyone who can reach this address could sign in as them or post webhooks as the gateway. ` +
    `Either keep SWITCHBOARD_HOST=127.0.0.1 (the default, this computer only), or stop the server and run "${retireDemoCommand}" ` +
    '(new random passwords and secrets, printed once), or start on a new database with SWITCHBOARD_SEED=none.'
  );
}

export function demoWarning(leftovers: DemoLeftovers): string {
  return `demo data: ${describeLeftovers(leftovers)}. Fine on this computer; before SWITCHBOARD_HOST is anything but loopback, run "${retireDemoCommand}".`;
}

export type RetiredDemo = { passwords: { username: string; password: string }[]; secrets: { provider: string; secret: string }[] };

/**
 * Gives every demo account still on the demo password a new random one (and ends its sessions), and every
 * provider on the demo secret a new random secret. Returns them once, for the admin to hand out; only
 * hashes are stored for the passwords.
 */
export async function retireDemo(db: Db): Promise<RetiredDemo> {
  const leftovers = await findDemoLeftovers(db);
  if (!leftovers) return { passwords: [], secrets: [] };
  const passwords = leftovers.accounts.map((username) => ({ username, password: randomBytes(15).toString('base64url') }));
  const hashes = await Promise.all(passwords.map((p) => hashPassword(p.password)));
  const secrets = leftovers.secrets.map((provider) => ({ provider, secret: randomBytes(32).toString('base64url') }));
  await db.transaction(async (tx) => {
    for (const [i, { username }] of passwords.entries()) {
      const { rows } = await tx.query<{ id: string }>('update users set password_hash = $2 where username = $1 returning id', [username, hashes[i]]);
      await tx.query("update sessions set revoked_at = now(), revoked_reason = 'admin' where user_id = $1 and revoked_at is null", [rows[0]!.id]);
    }
    for (const { provider, secret } of secrets) {
      await tx.query('update messaging_providers set secret = $2 where id = $1 and secret = $3', [provider, secret, demoMessagingProvider.secret]);
    }
  });
  return { passwords, secrets };
}
