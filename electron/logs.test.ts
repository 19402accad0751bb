import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRotatingLog } from './logs';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const entry = (i: number, line = `renderer line ${i}`) => ({ at: Date.UTC(2026, 10, 24, 0, 0, i), level: 'info' as const, line });

describe('rotating log files', () => {
  it('writes main.log and rotates to main.1.log … keeping at most `keep` files under the size cap', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'logs-'));
    const logs = createRotatingLog({ dir: path.join(dir, 'logs'), maxBytes: 400, keep: 3 });
    for (let i = 0; i < 40; i++) await logs.append([entry(i)]);
    const names = (await readdir(path.join(dir, 'logs'))).sort();
    expect(names).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    const files = await logs.files();
    expect(files.map((f) => f.name)).toEqual(['main.2.log', 'main.1.log', 'main.log']);
    for (const f of files) expect(Buffer.byteLength(f.text)).toBeLessThanOrEqual(400);
    expect(files.at(-1)!.text).toContain('renderer line 39');
    expect(files.map((f) => f.text).join('')).not.toContain('renderer line 0\n');
  });

  it('redacts again on write (main’s own lines were never redacted)', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'logs-'));
    const logs = createRotatingLog({ dir });
    logs.write('warn', '[main] proxy auth failed: Proxy-Authorization: Basic dXNlcjpzd2l0Y2hib2FyZA==');
    await logs.append([entry(1, 'refresh=Zx81kPq0vN3mLr7TyU2wEe5sAa9dFg4hJj6kLl1ZzXc')]);
    const text = await readFile(path.join(dir, 'main.log'), 'utf8');
    expect(text).not.toContain('dXNlcjpzd2l0Y2hib2FyZA');
    expect(text).not.toContain('Zx81kPq0vN3mLr7TyU2wEe5sAa9dFg4hJj6kLl1ZzXc');
    expect(text).toMatch(/^2026-.*WARN {2}\[main\] proxy auth failed/m);
  });

  it('drops a flood beyond the per-minute budget and says how much it dropped', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'logs-'));
    let t = 0;
    const logs = createRotatingLog({ dir, bytesPerMinute: 2000, now: () => t });
    for (let i = 0; i < 100; i++) await logs.append([entry(i, `flood ${i} ${'x'.repeat(50)}`)]);
    t = 61_000;
    await logs.append([entry(200, 'after the flood')]);
    const text = (await logs.files()).map((f) => f.text).join('');
    expect(Buffer.byteLength(text)).toBeLessThan(2000 + 400);
    expect(text).toMatch(/\[logs\] \d+ line\(s\) dropped/);
    expect(text).toContain('after the flood');
  });
});
