import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Threads and child processes run dist/: build it first when any file is older than its source.
    globalSetup: ['./test/setup/fresh-dist.ts', './test/setup/run-tmp.ts'],
    // A private TMPDIR per test file (and a check that the file cleaned up), warnings reset per test.
    setupFiles: ['./test/setup/private-tmp.ts'],
    restoreMocks: true,
    // Tests within a file run in a random order (the seed is printed): one that needs another
    // to run first fails early. Reproduce with --sequence.seed=N.
    sequence: { shuffle: { files: false, tests: true } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: run test files two at a time so worker-pool tests get a core each.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
