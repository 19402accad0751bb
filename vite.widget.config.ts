import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The chat widget's script (server/widget/client/widget.ts), a page embedded on customers' sites: one
 * classic script (IIFE), because the widget page's CSP allows same-origin script only and no modules are
 * needed. `npm run build` writes it to dist/widget/widget.js, which the server serves; a server started
 * without that build builds it in memory from this same config (server/widget/assets.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./server/widget/client', import.meta.url)),
  // index.html and widget.css are served from server/widget/client/ as they are: nothing to copy.
  publicDir: false,
  logLevel: 'warn',
  build: {
    lib: { entry: 'widget.ts', formats: ['iife'], name: 'switchboardWidget', fileName: () => 'widget.js' },
    // SWITCHBOARD_DIST lets parallel work build a private copy, as in vite.config.ts.
    outDir: process.env.SWITCHBOARD_DIST ? `${process.env.SWITCHBOARD_DIST}/widget` : fileURLToPath(new URL('./dist/widget', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    sourcemap: false,
  },
});
