import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretStore, type SafeStorageLike } from './secrets';

// A reversible stand-in for the OS keystore: enough to prove nothing is written in the clear.
const fakeSafeStorage = (over: Partial<SafeStorageLike> = {}): SafeStorageLike => ({
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
  decryptString: (b) => Buffer.from(b.toString().slice(4), 'hex').toString(),
  getSelectedStorageBackend: () => 'gnome_libsecret',
  ...over,
});

const tempFile = async () => path.join(await mkdtemp(path.join(tmpdir(), 'sb-sec-')), 'secrets.json');

describe('secret store', () => {
  it('stores encrypted, reads back, deletes', async () => {
    const file = await tempFile();
    const store = createSecretStore(file, fakeSafeStorage(), 'linux');
    expect(await store.get('sip.password')).toBeNull();
    await Promise.all([store.set('sip.password', 'hunter2'), store.set('auth.refresh-token', 'rt-1')]);
    expect(await readFile(file, 'utf8')).not.toContain('hunter2');
    expect(await store.get('sip.password')).toBe('hunter2');
    expect(await store.get('auth.refresh-token')).toBe('rt-1');
    await store.delete('sip.password');
    expect(await store.get('sip.password')).toBeNull();
    expect(await store.get('auth.refresh-token')).toBe('rt-1');
  });

  it('refuses to store when the OS cannot encrypt, with a typed unavailable error', async () => {
    const file = await tempFile();
    const none = createSecretStore(file, fakeSafeStorage({ isEncryptionAvailable: () => false }), 'win32');
    await expect(none.set('sip.password', 'hunter2')).rejects.toMatchObject({ code: 'unavailable' });
    const basic = createSecretStore(file, fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }), 'linux');
    await expect(basic.set('sip.password', 'hunter2')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a damaged file as unavailable and lets a new sign-in replace it', async () => {
    const file = await tempFile();
    await writeFile(file, '{broken');
    const store = createSecretStore(file, fakeSafeStorage(), 'linux');
    await expect(store.get('auth.refresh-token')).rejects.toMatchObject({ code: 'unavailable' });
    await store.set('auth.refresh-token', 'rt-2');
    expect(await store.get('auth.refresh-token')).toBe('rt-2');
  });
});
