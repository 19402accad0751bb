import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type Asset = () => Promise<{ body: string; type: string }>;

const clientDir = fileURLToPath(new URL('./client/', import.meta.url));

/**
 * The widget's page, script and style. The script is bundled from client/widget.ts with esbuild on the
 * first request and kept in memory, so `npm start` needs no build step and a source edit shows on restart.
 * The CSP allows only same-origin script, style and connections (the API and /widget/socket), no inline
 * code at all: customer and agent text is put in the page as text nodes, never parsed as HTML.
 */
export function widgetAssets(): { routes: [string, Asset][]; csp: string } {
  let script: Promise<string> | null = null;
  const bundle = async () => {
    const result = await build({
      entryPoints: [`${clientDir}widget.ts`],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  };
  const file = (name: string) => readFile(`${clientDir}${name}`, 'utf8');
  return {
    routes: [
      ['/widget/', async () => ({ body: await file('index.html'), type: 'text/html; charset=utf-8' })],
      ['/widget/widget.css', async () => ({ body: await file('widget.css'), type: 'text/css; charset=utf-8' })],
      [
        '/widget/widget.js',
        async () => {
          script ??= bundle().catch((err: unknown) => {
            script = null;
            throw err;
          });
          return { body: await script, type: 'text/javascript; charset=utf-8' };
        },
      ],
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
