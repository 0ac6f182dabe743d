import { defineConfig } from 'vitest/config'

// One runner for every package. Browser tests (tests/e2e) start the real server and
// Debian's chromium; storage tests run on PGlite and on the PostgreSQL server.
export default defineConfig({
  test: {
    globals: true,
    include: [
      'core/test/**/*.test.ts',
      'plugin-sdk/test/**/*.test.ts',
      'plugins/*/test/**/*.test.ts',
      'tests/**/*.test.ts'
    ],
    exclude: ['**/node_modules/**', 'tests/bench/**'],
    setupFiles: ['tests/support/setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2
  }
})
