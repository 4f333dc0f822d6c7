// The unit tests of the decision modules, for Stryker (npm run mutate): fast, no build, no end-to-end suites.
import { defineConfig } from 'vitest/config';

export const MUTATION_TESTS = [
  'test/boundaries.test.ts',
  'test/safety.test.ts',
  'test/load-judgement.test.ts',
  'test/load-flow-judgement.test.ts',
  'test/run.test.ts',
  'test/rank.test.ts',
  'test/checks/tls.test.ts',
  'test/checks/email.test.ts',
  'test/checks/latency.test.ts',
  'test/checks/headers.test.ts',
  'test/checks/deploy.test.ts',
  'test/email/spf.test.ts',
];

export default defineConfig({
  test: {
    include: MUTATION_TESTS,
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
