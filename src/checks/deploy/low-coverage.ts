// Critical backend paths need tests: line coverage per configured critical glob against the minimum.
import { defineCheck, repoOrSkip } from '../define.js';
import { type FileCoverage, globToRegExp, readCoverage } from '../../derive/coverage.js';

export default defineCheck({
  id: 'low-coverage',
  area: 'deploy',
  severity: 'medium',
  impact: 'auth',
  title: 'Critical backend paths have enough test coverage',
  description:
    'Login, payments and data access change without tests exercising them: a regression there locks users out or charges them wrongly, and nobody finds out before customers do.',
  remediation: 'Add tests for the uncovered critical paths until they reach the minimum (write the tests for the failure cases users would hit first), and keep the coverage report in CI.',
  references: ['https://martinfowler.com/bliki/TestCoverage.html'],
  requires: ['deploy.repo'],
  messages: {
    'below-minimum': { message: '{glob}: {percent}% of {lines} lines covered, below the {min}% minimum ({files} files; least covered: {worst}).' },
    'no-match': {
      message: '{glob} matches no file in the coverage report {report}: its code is not measured at all.',
      remediation: 'Check the glob against the report\'s paths, and make sure the test run includes those files (coverage `all: true` / `include`).',
    },
    'no-report': {
      message: 'No coverage report was found (lcov.info, coverage-summary.json, coverage-final.json or Cobertura XML).',
      severity: 'info',
      remediation: 'Produce one in CI before the audit, e.g. `vitest run --coverage --coverage.reporter=lcov` or `jest --coverage`, `pytest --cov --cov-report=xml`, and set `coverage.report` in the config if it lives elsewhere.',
    },
    unparsable: { message: 'The coverage report {report} could not be read: {error}.', severity: 'low' },
  },
  run({ 'deploy.repo': repo, target }, ctx) {
    const facts = repoOrSkip(target, repo, ctx);
    if (!facts) return;
    const config = facts.coverageConfig;
    if (facts.coverage.length === 0) {
      ctx.report({ code: 'no-report', location: { file: config?.report ?? 'coverage/' } });
      return;
    }
    const files: FileCoverage[] = [];
    for (const report of facts.coverage) {
      try {
        files.push(...readCoverage(report, facts.root));
      } catch (err) {
        // Stryker disable next-line MethodExpression: the readers only throw JSON.parse's messages, all far under 200 characters; the cap guards the report against a future reader's long one
        ctx.report({ code: 'unparsable', args: { report: report.path, error: (err instanceof Error ? err.message : String(err)).slice(0, 200) }, location: { file: report.path } });
      }
    }
    const total = files.reduce((s, f) => s + f.lines, 0);
    const covered = files.reduce((s, f) => s + f.covered, 0);
    const details: Record<string, unknown> = { reports: facts.coverage.map((c) => c.path), overallPercent: total ? Math.round((covered / total) * 1000) / 10 : null };
    if (!config || config.critical.length === 0) {
      details.note = 'no critical paths configured (coverage.critical in the config): overall figure only';
      ctx.details(details);
      return;
    }
    const perGlob: Record<string, number | null> = {};
    for (const glob of config.critical) {
      const re = globToRegExp(glob);
      const matched = files.filter((f) => re.test(f.file));
      const lines = matched.reduce((s, f) => s + f.lines, 0);
      // No file matched, or only files without lines (type-only modules): either way the glob is not measured.
      if (lines === 0) {
        perGlob[glob] = null;
        ctx.report({ code: 'no-match', args: { glob, report: facts.coverage.map((c) => c.path) }, location: { file: facts.coverage[0]!.path } });
        continue;
      }
      const hit = matched.reduce((s, f) => s + f.covered, 0);
      const percent = Math.round((hit / lines) * 1000) / 10;
      perGlob[glob] = percent;
      if (percent < config.min) {
        const worst = [...matched].filter((f) => f.lines > 0).sort((a, b) => a.covered / a.lines - b.covered / b.lines)[0]!;
        ctx.report({
          code: 'below-minimum',
          args: { glob, percent, lines, min: config.min, files: matched.length, worst: `${worst.file} ${Math.round((worst.covered / worst.lines) * 100)}%` },
          location: { file: worst.file },
        });
      }
    }
    ctx.details({ ...details, critical: perGlob, min: config.min });
  },
});
