import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: run test files two at a time so worker-pool tests get a core each.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
