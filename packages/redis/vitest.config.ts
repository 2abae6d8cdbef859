import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:integration`: @sabre/redis against a real redis-server (the tests start their own on
// 127.0.0.1), which the root config leaves out of `npm test`. Same source conditions as the root config.
const conditions = ['@sabre/source', 'module', 'node', 'import', 'default'];
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@sabre/source'] } },
  test: {
    include: ['packages/redis/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
