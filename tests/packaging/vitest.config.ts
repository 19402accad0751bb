import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The packaging test (`npm test -- package`, or `npx vitest run -c tests/packaging/vitest.config.ts`):
 * globalSetup runs `npm run package` once, then the tests read what it produced in release/
 * (SWITCHBOARD_RELEASE). Kept out of the unit step's include: it packages the app, which takes seconds.
 */
// eslint-disable-next-line no-restricted-exports -- vitest loads a config file's default export
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/packaging/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/packaging/globalSetup.ts'],
    testTimeout: 30_000,
  },
});
