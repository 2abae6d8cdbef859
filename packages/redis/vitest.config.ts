import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.source.js';

// `npm run test:integration`: @sabre/redis against a real redis-server (the tests start their own on
// 127.0.0.1), which the root config leaves out of `npm test`. Resolved from source like the root config.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  ...sourceResolution,
  test: {
    include: ['packages/redis/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
