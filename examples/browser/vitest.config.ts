import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.source.js';

// `npm run test:browser`: only the real-browser test, which the root config leaves out of `npm test`.
// Resolved from source like the root config. The test takes ~5 s here (bundling and starting Chromium
// included); the 60 s limits leave room for a busy machine.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  ...sourceResolution,
  test: {
    include: ['examples/browser/browser.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
