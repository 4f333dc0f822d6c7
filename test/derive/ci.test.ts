// CI reading: which jobs test, which deploy, and whether a deploy waits for the tests.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeCi, deployWaitsForTests } from '../../src/derive/ci.js';
import type { CiFile } from '../../src/facts/deploy.js';

/** A GitHub Actions file as the collector delivers it: the YAML parsed. */
const ciFile = (path: string, text: string, provider: 'github-actions'): CiFile => ({ path, text, provider, doc: parse(text) as unknown });

describe('analyzeCi', () => {
  it('recognises deploy actions and test commands', () => {
    const { jobs } = analyzeCi({ ci: [ciFile('w.yml', 'jobs:\n  ship:\n    steps:\n      - uses: superfly/flyctl-actions/setup-flyctl@master\n  unit:\n    steps:\n      - run: pytest -q\n', 'github-actions')] });
    expect(jobs.map((j) => [j.id, j.deploys, j.runsTests])).toEqual([['ship', true, false], ['unit', false, true]]);
    expect(deployWaitsForTests(jobs[0]!, jobs)).toBe(false);
  });

  it('records a YAML provider file that did not parse instead of guessing its jobs', () => {
    const file: CiFile = { path: 'w.yml', text: 'jobs: [', provider: 'github-actions', parseError: 'unexpected end' };
    expect(analyzeCi({ ci: [file] })).toEqual({ jobs: [], unparsable: [{ file: 'w.yml', error: 'unexpected end' }] });
  });

  it('ignores malformed job entries instead of throwing', () => {
    const { jobs } = analyzeCi({ ci: [ciFile('w.yml', 'jobs:\n  a: 3\n  b:\n    needs: [{job: x}]\n    environment: {name: production}\n', 'github-actions')] });
    expect(jobs.map((j) => [j.id, j.deploys])).toEqual([['a', false], ['b', true]]);
  });
});
