import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ protocol: {} }));
const { createAppRequestHandler, resolveAppPath } = await import('./protocol');

let root = '';
let outside = '';
const csp = "default-src 'none'; script-src 'self'";

beforeAll(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'sb-proto-'));
  root = path.join(base, 'renderer');
  outside = path.join(base, 'secret.txt');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Switchboard</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(outside, 'agent password');
  await symlink(outside, path.join(root, 'assets', 'leak.txt'));
});

describe('app:// protocol', () => {
  it('serves the renderer with the CSP header and the right content type', async () => {
    const handler = createAppRequestHandler({ root, csp, log: () => undefined });
    const index = await handler(new Request('app://switchboard/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(csp);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('Switchboard');
    const js = await handler(new Request('app://switchboard/assets/app.js'));
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses path traversal, encoded separators, other hosts and symlinks out of the folder', async () => {
    const handler = createAppRequestHandler({ root, csp, log: () => undefined });
    // URL parsing already folds literal and %2e%2e dot segments into the root (they then 404 as
    // root/secret.txt); what is left to refuse is what decodes into a separator afterwards.
    expect((await handler(new Request('app://switchboard/%2e%2e/secret.txt'))).status).toBe(404);
    expect(resolveAppPath(root, 'app://switchboard/%2e%2e/%2e%2e/secret.txt')).toBe(path.join(root, 'secret.txt'));
    const refused = [
      'app://switchboard/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://switchboard/..%5csecret.txt',
      'app://switchboard/assets/%00.js',
      'app://other/index.html',
      'app://switchboard/assets/leak.txt',
    ];
    for (const url of refused) {
      const res = await handler(new Request(url));
      expect(res.status, url).toBe(403);
      expect(await res.text(), url).not.toContain('agent password');
      expect(res.headers.get('content-security-policy')).toBe(csp);
    }
    expect(resolveAppPath(root, 'app://switchboard/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveAppPath(root, 'file:///etc/passwd')).toBeNull();
  });

  it('answers 404 for a missing file and 405 for a POST', async () => {
    const handler = createAppRequestHandler({ root, csp, log: () => undefined });
    expect((await handler(new Request('app://switchboard/nope.js'))).status).toBe(404);
    expect((await handler(new Request('app://switchboard/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
