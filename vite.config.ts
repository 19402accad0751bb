import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the same build is served by app:// in Electron and by the central server in web mode.
  base: './',
  plugins: [react()],
  build: {
    // SWITCHBOARD_DIST lets parallel work build and serve a private copy without emptying the shared dist/.
    outDir: process.env.SWITCHBOARD_DIST ? `${process.env.SWITCHBOARD_DIST}/renderer` : fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['core/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'electron/**/*.test.ts', 'server/**/*.test.ts', 'tests/unit/**/*.test.ts', 'build/**/*.test.ts'],
    environment: 'node',
    // PGlite instances are ~100 MB-1 GB each; two cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
