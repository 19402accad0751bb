import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { HttpError } from '../http/errors';
import { widgetAssets } from './assets';

const dir = mkdtempSync(join(tmpdir(), 'sb-widget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scriptOf = (builtDir: string, log: (line: string) => void = () => {}) => {
  const route = widgetAssets({ builtDir, log }).routes.find(([path]) => path === '/widget/widget.js');
  return route![1]();
};

describe('widget script', () => {
  test('is the built file when there is one', async () => {
    writeFileSync(join(dir, 'widget.js'), '(function(){})();');
    expect(await scriptOf(dir)).toEqual({ body: '(function(){})();', type: 'text/javascript; charset=utf-8' });
  });

  test('a configured folder without the build answers 503 and says how to build', async () => {
    const lines: string[] = [];
    const missing = join(dir, 'missing');
    await expect(scriptOf(missing, (line) => lines.push(line))).rejects.toMatchObject({ status: 503 } satisfies Partial<HttpError>);
    expect(lines).toEqual([expect.stringContaining('npm run build')]);
  });
});
