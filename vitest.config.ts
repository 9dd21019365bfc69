import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// mercurius loads graphql through require (CommonJS); Warden's own imports must
// reach the same module instance, not graphql's ESM build, or schemas from one
// are "from another realm" to the other.
const graphqlCjs = createRequire(new URL('./gateway/package.json', import.meta.url)).resolve('graphql');

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'policies/**/*.test.ts',
      'lineage/src/**/*.test.ts',
      'gateway/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
