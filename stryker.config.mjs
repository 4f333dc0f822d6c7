// Mutation testing of the modules that decide (npm run mutate; a scheduled CI job, never on every push): verdict
// and ranking, the loopback guard, redaction, the load step judgement and confirmation, acceptance, SPF limits and
// each check's threshold logic. Ranges keep it to the deciding code; wording is not a decision.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  // CPU is shared: one test process, and each mutant runs only the tests that cover it.
  concurrency: 1,
  coverageAnalysis: 'perTest',
  mutate: [
    'src/rank/index.ts',
    'src/redact.ts',
    'src/collect/net.ts:72-78',
    'src/collect/net.ts:111-118',
    'src/collect/load/index.ts:156-156',
    'src/collect/load/index.ts:163-166',
    'src/collect/load/index.ts:245-258',
    'src/run/audit.ts:57-66',
    'src/run/audit.ts:130-136',
    'src/facts/index.ts:35-37',
    'src/email/spf/evaluate.ts:134-147',
    'src/email/spf/evaluate.ts:259-262',
    'src/checks/tls/cert-expiry.ts:48-84',
    'src/checks/tls/hsts-policy.ts:68-97',
    'src/checks/email/spf-lookup-limit.ts:33-48',
    'src/checks/email/spf-void-lookup.ts:28-45',
    'src/checks/latency/slow-endpoint.ts:31-54',
    'src/checks/headers/missing-auth-rate-limit.ts:26-58',
    'src/checks/deploy/low-coverage.ts:30-78',
    'src/checks/config/expired-acceptance.ts:19-38',
  ],
  mutator: { excludedMutations: ['StringLiteral'] },
  ignorePatterns: ['dist', 'coverage', 'reports', 'dist-typecheck'],
  // Inside node_modules: lint, typecheck and git already look away from it.
  tempDirName: 'node_modules/.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 90, low: 80, break: 80 },
  timeoutMS: 20000,
  // Only our sources need their type checks off (a golden HTML fixture under test/ does not parse as a page).
  disableTypeChecks: 'src/**/*.ts',
};
