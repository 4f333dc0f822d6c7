// Lint config: typescript-eslint recommended rules over src, test and bench.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
        paths: ['fs', 'net', 'dgram', 'tls', 'dns', 'http', 'https', 'child_process', 'undici', 'dns-packet', 'node-forge']
          .map((name) => ({ name, message: 'Checks are pure: do I/O in src/collect and declare the facts you need.' })),
        patterns: [
          { group: ['node:*'], message: 'Checks are pure: do I/O in src/collect.' },
          { group: ['**/collect/**'], message: 'Checks are pure: use the facts they declare.' },
        ],
      }],
    },
  },
  {
    files: ['bench/**', 'bin/**', 'test/**'],
    // Tests assert on ANSI escapes, which this rule forbids in regexes.
    rules: { 'no-console': 'off', 'no-control-regex': 'off' },
  },
);
