import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/contract/**/*.test.ts',
      'tests/property/**/*.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: a single fork on a 2-core machine. Most
    // suites wait on sockets, child processes and PostgreSQL as much as they compute, so one more
    // fork than cores keeps both cores busy.
    maxWorkers: os.availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
