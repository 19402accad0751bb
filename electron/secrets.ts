import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SecretKey } from '../core/ipc';
import { HostError } from './ipc/hostError';

/**
 * Secrets (refresh token, SIP password) encrypted with the OS keystore through Electron's safeStorage
 * (DPAPI, Keychain, libsecret/kwallet) and kept in one file under userData. When the OS offers no real
 * encryption we refuse to store rather than write something readable: on Linux without a keyring
 * safeStorage falls back to 'basic_text', a hard-coded key, which is plaintext in all but name.
 */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?: () => string;
};

export type SecretStore = {
  get(key: SecretKey): Promise<string | null>;
  set(key: SecretKey, value: string): Promise<void>;
  delete(key: SecretKey): Promise<void>;
};

const SecretsFile = z.record(z.string(), z.string());

export function createSecretStore(file: string, safeStorage: SafeStorageLike, platform: string = process.platform): SecretStore {
  // Reads and writes are serialised so two quick `set`s cannot interleave their read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
  };

  const requireEncryption = () => {
    if (!safeStorage.isEncryptionAvailable()) throw new HostError('unavailable', 'OS encryption is not available');
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new HostError('unavailable', 'no OS keyring (libsecret/kwallet); refusing to store secrets');
    }
  };

  const readAll = async (): Promise<Record<string, string>> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const parsed = SecretsFile.safeParse(json);
    if (!parsed.success) throw new HostError('unavailable', 'the secrets file is damaged');
    return parsed.data;
  };

  const writeAll = async (all: Record<string, string>) => {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
    await rename(tmp, file);
  };

  return {
    get: (key) =>
      serial(async () => {
        const stored = (await readAll())[key];
        if (stored === undefined) return null;
        requireEncryption();
        try {
          return safeStorage.decryptString(Buffer.from(stored, 'base64'));
        } catch {
          throw new HostError('unavailable', `${key} cannot be decrypted (the OS keyring changed?)`);
        }
      }),
    set: (key, value) =>
      serial(async () => {
        requireEncryption();
        const all: Record<string, string> = await readAll().catch((err: unknown) => {
          // A damaged file must not block signing in again; it is replaced by the new contents.
          if (err instanceof HostError) return {};
          throw err;
        });
        all[key] = safeStorage.encryptString(value).toString('base64');
        await writeAll(all);
      }),
    delete: (key) =>
      serial(async () => {
        const all: Record<string, string> = await readAll().catch(() => ({}));
        if (!(key in all)) return;
        delete all[key];
        await writeAll(all);
      }),
  };
}
