import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, defaultDataDir, loadConfig } from './config';

const home = { HOME: '/home/agent' };

describe('loadConfig', () => {
  test('defaults: loopback, port 7600, embedded database in the XDG data folder, app:// allowed', () => {
    const config = loadConfig({ XDG_DATA_HOME: '/data' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 7600, databaseUrl: null, dataDir: '/data/switchboard-server', accessTtl: 900, refreshTtl: 2_592_000 });
    expect(config.allowedOrigins).toContain('app://switchboard');
    expect(config.seed).toBeUndefined();
  });

  test('environment wins over the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
    const file = join(dir, 'server.json');
    writeFileSync(file, JSON.stringify({ port: 8000, host: '0.0.0.0', accessTtl: 60 }));
    const config = loadConfig({ ...home, SWITCHBOARD_CONFIG: file, SWITCHBOARD_PORT: '9000', SWITCHBOARD_ALLOWED_ORIGINS: 'app://switchboard, http://localhost:5173' });
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', accessTtl: 60, allowedOrigins: ['app://switchboard', 'http://localhost:5173'] });
  });

  test('a bad value fails with a message naming the variable', () => {
    expect(() => loadConfig({ ...home, SWITCHBOARD_PORT: 'seventy' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...home, SWITCHBOARD_PORT: 'seventy' })).toThrow(/SWITCHBOARD_PORT/);
    expect(() => loadConfig({ ...home, SWITCHBOARD_SEED: 'lots' })).toThrow(/SWITCHBOARD_SEED/);
    expect(() => loadConfig({ ...home, SWITCHBOARD_TOKEN_SECRET: 'short' })).toThrow(/SWITCHBOARD_TOKEN_SECRET: must be at least 32/);
    expect(() => loadConfig({ ...home, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  test('an unknown key or a non-object config file is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ prot: 1 }));
    writeFileSync(join(dir, 'list.json'), '[1]');
    expect(() => loadConfig({ ...home, SWITCHBOARD_CONFIG: join(dir, 'typo.json') })).toThrow(/prot/);
    expect(() => loadConfig({ ...home, SWITCHBOARD_CONFIG: join(dir, 'list.json') })).toThrow(/not a JSON object/);
    expect(() => loadConfig({ ...home, SWITCHBOARD_CONFIG: join(dir, 'missing.json') })).toThrow(/cannot read/);
  });

  test('the data folder follows each OS convention', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming.switchboard-server$/);
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/switchboard-server$/);
    expect(defaultDataDir({}, 'linux')).toMatch(/\.local\/share\/switchboard-server$/);
  });

  test('issue 12 item 5 (login limiting): SWITCHBOARD_TRUSTED_PROXIES lists addresses and ranges; none by default', () => {
    expect(loadConfig(home).trustedProxies).toEqual([]);
    expect(loadConfig({ ...home, SWITCHBOARD_TRUSTED_PROXIES: '10.0.0.5, 10.1.0.0/16,::1,fd00::/8,loopback' }).trustedProxies).toEqual([
      '10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback',
    ]);
    for (const bad of ['proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/1', '*']) {
      expect(() => loadConfig({ ...home, SWITCHBOARD_TRUSTED_PROXIES: bad })).toThrow(/SWITCHBOARD_TRUSTED_PROXIES/);
    }
  });
});
