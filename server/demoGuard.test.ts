import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startServer } from './app';
import { verifyPassword } from './auth/password';
import { makeConfig, memoryDataDir } from './config';
import { openPglite } from './db/pglite';
import { migrate } from './db/migrate';
import { findDemoLeftovers, isLoopbackHost, retireDemo } from './seed/demoGuard';
import { demoPassword, seedDemo } from './seed/seed';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const config = (host: string, dataDir: string) => makeConfig({ host, port: 0, dataDir, tokenSecret: 'test-secret-that-is-long-enough-0123456789', logLevel: 'silent' });

describe('issue 12 item 7 (demo data)', () => {
  test('issue 12 item 7 (demo data): a first start on a non-loopback address is refused, saying how to fix it', { timeout: 90_000 }, async () => {
    const start = startServer(config('0.0.0.0', memoryDataDir));
    await expect(start).rejects.toThrow(/refusing to listen on 0\.0\.0\.0: the demo accounts .*admin.* "switchboard".*demo-sms/);
    await expect(start).rejects.toThrow(/SWITCHBOARD_HOST=127\.0\.0\.1.*npx tsx server\/seed\/cli\.ts --retire-demo/);
    // What an old build did: listen. Close it so a failing run does not leave a port open.
    await start.then((s) => s.close(), () => undefined);
  });

  test('issue 12 item 7 (demo data): on loopback it starts, and warns at every start while demo credentials are in force', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-demo-'));
    dirs.push(dir);
    for (let i = 0; i < 2; i++) {
      const server = await startServer(config('127.0.0.1', dir));
      try {
        expect(server.warnings).toEqual([expect.stringMatching(/demo accounts .*admin.*--retire-demo/)]);
      } finally {
        await server.close();
      }
    }
  });

  test('issue 12 item 7 (demo data): after --retire-demo the server listens anywhere; the demo password no longer works', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-demo-'));
    dirs.push(dir);
    const db = await openPglite(dir);
    try {
      await migrate(db);
      await seedDemo(db, { tickets: 3, customers: 3, kpiHistory: false });
      // A changed password alone is not enough while the demo webhook secret is still in force.
      await db.query(`update users set password_hash = 'scrypt$bad' where username <> 'admin'`);
      expect(await findDemoLeftovers(db)).toEqual({ accounts: ['admin'], secrets: ['demo-sms'] });
      const retired = await retireDemo(db);
      expect(retired.passwords.map((p) => p.username)).toEqual(['admin']);
      expect(retired.secrets.map((s) => s.provider)).toEqual(['demo-sms']);
      expect(await findDemoLeftovers(db)).toBeNull();
      const { rows } = await db.query<{ password_hash: string }>(`select password_hash from users where username = 'admin'`);
      expect(await verifyPassword(demoPassword, rows[0]!.password_hash)).toBe(false);
      expect(await verifyPassword(retired.passwords[0]!.password, rows[0]!.password_hash)).toBe(true);
    } finally {
      await db.close();
    }
    const server = await startServer(config('0.0.0.0', dir));
    expect(server.warnings).toEqual([]);
    await server.close();
  });

  test('issue 12 item 7 (demo data): what counts as loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'switchboard.example.com', '']) expect(isLoopbackHost(host)).toBe(false);
  });
});
