// Lint config: typescript-eslint recommended rules over src, test and bench, plus the walls between layers
// (test/lint/walls.test.ts proves each wall by linting a deliberate violation).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Libraries that talk to the network, disks or databases: only src/collect (and the sandbox) may load them. */
const IO_LIBRARIES = ['undici', 'dns-packet', 'node-forge', 'pg', 'autocannon'];
const NODE_IO = ['fs', 'fs/promises', 'net', 'dgram', 'tls', 'dns', 'http', 'https', 'http2', 'child_process'];

const wall = (names, message) => names.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['dist/**', 'schemas/**', 'dist-typecheck/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { performance: 'readonly', process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/checks/**/*.ts'],
    rules: {
      // Checks are pure functions over facts: no I/O modules, no collectors.
      'no-restricted-imports': ['error', {
        paths: wall([...NODE_IO, ...IO_LIBRARIES], 'Checks are pure: do I/O in src/collect and declare the facts you need.'),
        patterns: [
          { group: ['node:*'], message: 'Checks are pure: do I/O in src/collect.' },
          { group: ['**/collect/**'], message: 'Checks are pure: use the facts they declare.' },
          { group: ['**/run/**', '**/cli/**', '**/report/**', '**/rank/**'], message: 'Checks know only define, facts, derive and providers.' },
        ],
      }],
    },
  },
  {
    files: ['src/checks/*/*.ts'],
    rules: {
      // A check module never imports another check (shared code lives in src/derive), and never asserts types:
      // defineCheck already types its facts, and unknown data is parsed in derive.
      'no-restricted-imports': ['error', {
        paths: wall([...NODE_IO, ...IO_LIBRARIES], 'Checks are pure: do I/O in src/collect and declare the facts you need.'),
        patterns: [
          { group: ['node:*'], message: 'Checks are pure: do I/O in src/collect.' },
          { group: ['**/collect/**'], message: 'Checks are pure: use the facts they declare.' },
          { group: ['**/run/**', '**/cli/**', '**/report/**', '**/rank/**'], message: 'Checks know only define, facts, derive and providers.' },
          { regex: '^\\./', message: 'A check never imports another check: move shared code to src/derive.' },
          { regex: '^\\.\\./(?!define\\.js$)[^./][^/]*(/|$)', message: 'A check never imports another check: move shared code to src/derive.' },
        ],
      }],
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/collect/**', 'src/checks/**', 'src/cli/**', 'src/rank/**', 'src/report/**'],
    rules: {
      // One bounded fetch: undici is loaded by src/collect/http (the fetch and its dispatcher) and the load generator only.
      'no-restricted-imports': ['error', { paths: wall(['undici'], 'Every HTTP request goes through the one bounded fetch in src/collect/http.') }],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      // The command line parses, prints and maps errors to exit codes; everything else goes through src/run.
      'no-restricted-imports': ['error', {
        paths: wall(IO_LIBRARIES, 'The CLI does no collecting: go through the front door (src/run).'),
        patterns: [{
          regex: '^\\.\\./(?!(run|config|report)/|(errors|types|redact)\\.js$)',
          message: 'src/cli imports only the front door (src/run), config, report and the shared errors/types/redact modules.',
        }],
      }],
    },
  },
  {
    files: ['src/rank/**/*.ts', 'src/report/**/*.ts'],
    rules: {
      // Ranking and rendering are pure functions of a report: no I/O, no collectors, no checks.
      'no-restricted-imports': ['error', {
        paths: wall([...NODE_IO, ...IO_LIBRARIES], 'Rank and report are pure: they get a report, not the network.'),
        patterns: [
          { group: ['node:*'], message: 'Rank and report are pure: no I/O modules.' },
          { group: ['**/collect/**', '**/checks/**', '**/run/**', '**/cli/**'], message: 'Rank and report read the report only: no collectors, checks, run or CLI.' },
        ],
      }],
    },
  },
  ...[
    { files: ['src/collect/**/*.ts'], ignores: ['src/collect/http/**', 'src/collect/load/**'], undici: true },
    { files: ['src/collect/http/**/*.ts', 'src/collect/load/**/*.ts'], undici: false },
  ].map(({ files, ignores, undici }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      // Collectors gather facts; judging them is the checks' job, and collectors never reach up into run or CLI.
      'no-restricted-imports': ['error', {
        ...(undici ? { paths: wall(['undici'], 'Every HTTP request goes through the one bounded fetch in src/collect/http.') } : {}),
        patterns: [
          { group: ['**/checks/**', '**/run/**', '**/cli/**', '**/report/**', '**/rank/**'], message: 'Collectors gather facts: no checks, run, CLI, rank or report.' },
        ],
      }],
    },
  })),
  {
    files: ['bench/**', 'bin/**', 'test/**'],
    // Tests assert on ANSI escapes, which this rule forbids in regexes.
    rules: { 'no-console': 'off', 'no-control-regex': 'off' },
  },
);
