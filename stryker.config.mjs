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
    'src/collect/load/index.ts:170-170',
    'src/collect/load/index.ts:177-189',
    'src/collect/load/index.ts:231-242',
    'src/collect/load/flow-judge.ts',
    'src/run/audit.ts:67-77',
    'src/run/audit.ts:153-160',
    'src/facts/index.ts:37-39',
    'src/email/spf/evaluate.ts:134-150',
    'src/email/spf/evaluate.ts:255-262',
    'src/checks/tls/cert-expiry.ts:47-82',
    'src/checks/tls/hsts-policy.ts:71-110',
    'src/checks/email/spf-lookup-limit.ts:33-47',
    'src/checks/email/spf-void-lookup.ts:27-43',
    'src/checks/latency/slow-endpoint.ts:53-133',
    'src/checks/edge/missing-auth-rate-limit.ts:25-56',
    'src/checks/deploy/low-coverage.ts:29-78',
    'src/checks/config/expired-acceptance.ts:19-37',
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
