import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Most of the suite's time is waiting (sandbox servers, CLI child processes, deadlines), not computing: vitest's
    // default of one worker per core less one ran a 2-core machine's files one at a time (6.2 min; 4.1 with three).
    maxWorkers: Math.max(3, availableParallelism()),
  },
});
