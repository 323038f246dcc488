import { defineConfig } from 'vitest/config';

// Unit tests run against TypeScript sources (the `tributary-source` export condition);
// integration tests share one real broker started by test/globalSetup.ts.
export default defineConfig({
  resolve: { conditions: ['tributary-source'] },
  ssr: { resolve: { conditions: ['tributary-source'] } },
  test: {
    // Tests assert results, never speed: a loaded 2-core machine must not turn a slow pass into a failure.
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
            'test/**/*.test.ts',
            'benchmarks/test/**/*.test.ts',
          ],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        // The stateful DSL suite again, every DSL store in RocksDB (issue 4: the same tests on both backends).
        extends: true,
        test: {
          name: 'unit-rocksdb',
          include: ['packages/dsl/test/**/*.test.ts', 'packages/test-driver/test/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          env: { TRIBUTARY_TEST_DSL_STORE: 'rocksdb' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // benchmarks/test: the side-by-side benchmark's --quick run, a smoke test of the harness (not of speed).
          include: [
            'packages/*/test/**/*.integration.test.ts',
            'examples/*/test/**/*.integration.test.ts',
            'benchmarks/test/**/*.integration.test.ts',
          ],
          globalSetup: ['test/globalSetup.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
