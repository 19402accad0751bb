import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryDataDir } from './config';

/**
 * The access-token signing key when SWITCHBOARD_TOKEN_SECRET is not set: generated on the first start
 * and kept in the data folder, readable by its owner only, so tokens survive restarts.
 */
export function loadOrCreateTokenSecret(dataDir: string): string {
  // Nothing persists in memory mode, so neither need the key.
  if (dataDir === memoryDataDir) return randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'token-secret');
  try {
    writeFileSync(path, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path} holds too short a token secret; delete it to generate a new one`);
  return secret;
}
