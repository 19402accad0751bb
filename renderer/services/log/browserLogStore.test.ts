import { describe, expect, it } from 'vitest';
import { createBrowserLogStore } from './browserLogStore';

const memoryStorage = (quota = Infinity) => {
  const m = new Map<string, string>();
  const used = () => [...m.values()].reduce((n, v) => n + v.length, 0);
  return {
    m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (used() - (m.get(k)?.length ?? 0) + v.length > quota) throw new DOMException('full', 'QuotaExceededError');
      m.set(k, v);
    },
    removeItem: (k: string) => void m.delete(k),
  };
};

describe('browser log store', () => {
  it('rotates size-capped segments and returns them oldest first, redacted', () => {
    const storage = memoryStorage();
    const logs = createBrowserLogStore(storage, { segmentChars: 200, keep: 3 });
    for (let i = 0; i < 30; i++) logs.append([{ at: 0, level: 'info', line: `line ${i} password=switchboard` }]);
    const files = logs.files();
    expect(files.map((f) => f.name)).toEqual(['main.2.log', 'main.1.log', 'main.log']);
    const all = files.map((f) => f.text).join('');
    expect(all).not.toContain('switchboard');
    expect(all).toContain('line 29');
    expect(all).not.toContain('line 0 ');
    for (const f of files) expect(f.text.length).toBeLessThanOrEqual(200);
  });

  it('gives up old segments when storage is full rather than the newest lines', () => {
    const storage = memoryStorage(600);
    storage.setItem('other-app-setting', 'x'.repeat(300));
    const logs = createBrowserLogStore(storage, { segmentChars: 250, keep: 4 });
    for (let i = 0; i < 20; i++) logs.append([{ at: 0, level: 'warn', line: `event ${i}` }]);
    expect(logs.files().map((f) => f.text).join('')).toContain('event 19');
    expect(storage.getItem('other-app-setting')).toHaveLength(300);
  });
});
