// Builds what the app runs: the renderer (Vite → dist/renderer), the chat widget's script (Vite →
// dist/widget/widget.js, served by the server) and the Electron main + preload (esbuild → dist/electron/*.cjs).
// The server runs from source with tsx; without the widget build it builds the widget in memory on first use.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { root } from './ensure.mjs';

// SWITCHBOARD_DIST (default dist/) lets parallel work build a private copy; vite.config.ts reads it too.
const dist = process.env.SWITCHBOARD_DIST ?? `${root}/dist`;

export async function buildAll({ quiet = false } = {}) {
  const t0 = performance.now();
  await vite({ configFile: `${root}/vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });
  await vite({ configFile: `${root}/vite.widget.config.ts`, logLevel: quiet ? 'warn' : 'info' });
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], logLevel: 'warning', sourcemap: false };
  await esbuild({ ...common, entryPoints: [`${root}/electron/main.ts`], outfile: `${dist}/electron/main.cjs` });
  // The preload runs in a sandboxed renderer: it may only require('electron'); everything else is bundled.
  await esbuild({ ...common, entryPoints: [`${root}/electron/preload.ts`], outfile: `${dist}/electron/preload.cjs`, platform: 'browser' });
  if (!quiet) console.log(`[build] done in ${Math.round(performance.now() - t0)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll();
}
