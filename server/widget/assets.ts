import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../http/errors';

type Asset = () => Promise<{ body: string; type: string }>;

const clientDir = fileURLToPath(new URL('./client/', import.meta.url));
const viteConfig = fileURLToPath(new URL('../../vite.widget.config.ts', import.meta.url));

/** Where the widget's script comes from: the built file, or (no build) a build in memory from source. */
export type WidgetScriptSource = { builtDir: string | null; log: (line: string) => void };

/**
 * The widget's page, script and style. The script is built by `npm run build` with Vite
 * (vite.widget.config.ts → dist/widget/widget.js) and served from `builtDir`. A server run from source
 * without that build (`npm run server`, the unit tests) builds it once in memory with the same config,
 * and says so. The CSP allows only same-origin script, style and connections (the API and /widget/socket),
 * no inline code at all: customer and agent text is put in the page as text nodes, never parsed as HTML.
 */
export function widgetAssets({ builtDir, log }: WidgetScriptSource): { routes: [string, Asset][]; csp: string } {
  let inMemory: Promise<string> | null = null;
  const script = async () => {
    if (builtDir) {
      try {
        return await readFile(`${builtDir}/widget.js`, 'utf8');
      } catch (err) {
        log(`widget: cannot read the built script in ${builtDir} (${(err as Error).message}); run \`npm run build\``);
        throw new HttpError(503, 'unavailable', 'The chat widget is not built on this server.');
      }
    }
    inMemory ??= buildInMemory(log).catch((err: unknown) => {
      inMemory = null;
      throw err;
    });
    return inMemory;
  };
  const file = (name: string) => readFile(`${clientDir}${name}`, 'utf8');
  return {
    routes: [
      ['/widget/', async () => ({ body: await file('index.html'), type: 'text/html; charset=utf-8' })],
      ['/widget/widget.css', async () => ({ body: await file('widget.css'), type: 'text/css; charset=utf-8' })],
      ['/widget/widget.js', async () => ({ body: await script(), type: 'text/javascript; charset=utf-8' })],
    ],
    csp: [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self' ws: wss:",
      "img-src 'self' blob:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}

async function buildInMemory(log: (line: string) => void): Promise<string> {
  // Loaded only here: a server with the built script never loads Vite.
  const { build } = await import('vite');
  const t0 = performance.now();
  const result = await build({ configFile: viteConfig, build: { write: false }, logLevel: 'silent' });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunk = outputs.find((o) => o.type === 'chunk' && o.fileName === 'widget.js');
  if (!chunk || chunk.type !== 'chunk') throw new Error('widget: the Vite build produced no widget.js');
  log(`widget: no built script (npm run build); built it in memory from source in ${Math.round(performance.now() - t0)} ms`);
  return chunk.code;
}
