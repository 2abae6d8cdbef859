import { configDefaults, defineConfig } from 'vitest/config';
import { sourceResolution } from './vitest.source.js';

// Tests run on source: the `@sabre/source` export condition resolves @sabre/* to src/*.ts (no build first).
export default defineConfig({
  ...sourceResolution,
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'benchmarks/**/*.test.ts', 'examples/**/*.test.ts'],
    // The real-browser test needs Chromium: `npm run test:browser` runs it (examples/browser/vitest.config.ts);
    // @sabre/redis's tests need redis-server: `npm run test:integration` (packages/redis/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'examples/browser/**', 'packages/redis/test/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts', 'packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.check.json' },
  },
});
