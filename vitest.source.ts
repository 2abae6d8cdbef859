// How every vitest config here resolves @sabre/*: through the `@sabre/source` export condition, to the
// packages' TypeScript sources (no build first). Shared by the root config, `npm run test:browser` and
// `npm run test:integration`.
const conditions = ['@sabre/source', 'module', 'node', 'import', 'default'];
export const sourceResolution = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@sabre/source'] } },
};
