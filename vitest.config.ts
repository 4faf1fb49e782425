import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Native addons (better-sqlite3, serialport, node-pty) are safest in forked workers.
    pool: 'forks',
    // Order matters: the seed reads CI before it is unset.
    setupFiles: ['test/setup/fast-check-seed.ts', 'test/setup/unset-ci.ts'],
    // One throwaway PostgreSQL server (Unix socket, temp dir) for the store's PostgreSQL tests.
    globalSetup: ['test/setup/postgres-server.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The JSON report lets .ci/run end with a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
