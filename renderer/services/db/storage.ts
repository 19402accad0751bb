export type PersistenceResult = 'persisted' | 'best-effort' | 'unsupported';

/**
 * Asks the browser not to evict our databases under storage pressure (navigator.storage.persist).
 * Chromium grants it silently to installed or engaged origins; Electron's app:// origin is granted.
 */
export async function requestPersistentStorage(storage: Pick<StorageManager, 'persist' | 'persisted'> | undefined): Promise<PersistenceResult> {
  if (!storage?.persist) return 'unsupported';
  if (await storage.persisted()) return 'persisted';
  return (await storage.persist()) ? 'persisted' : 'best-effort';
}

// DataLossError is the IndexedDB DOMException name (Dexie 4 has no class for it); Dexie wraps some in `inner`.
const healingErrors = new Set(['QuotaExceededError', 'DataLossError', 'DatabaseClosedError']);

/**
 * True for errors the cache cannot recover from in place: the disk is full (QuotaExceededError), the
 * browser lost data (DataLossError), or the database was closed under us (DatabaseClosedError, e.g. after
 * the browser deleted or upgraded it). The cache is rebuilt from the server; the outbox is left alone.
 */
export function isCacheLostError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth++) {
    if (healingErrors.has(e.name)) return true;
    e = 'inner' in e && e.inner instanceof Error ? e.inner : e.cause;
  }
  return false;
}
