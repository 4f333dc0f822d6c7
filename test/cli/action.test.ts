// The composite GitHub Action: its audit step, run as GitHub would run it, writes the verdict and exit code outputs
// and the reports, and the gate step exits with the audit's code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
interface Step { name?: string; id?: string; run?: string; uses?: string }
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { runs: { using: string; steps: Step[] }; inputs: Record<string, { default?: string }> };

function step(name: string): Step {
  const s = action.runs.steps.find((x) => x.name === name);
  if (!s?.run) throw new Error(`no run step "${name}"`);
  return s;
}

describe('action.yml', () => {
  it('the example workflow parses and uses the action with full history for the secrets scan', () => {
    const wf = parse(readFileSync(join(root, '.github/workflows/launch-ready.example.yml'), 'utf8')) as { jobs: { audit: { steps: { uses?: string; with?: Record<string, unknown> }[] } } };
    const steps = wf.jobs.audit.steps;
    expect(steps[0]!.with!['fetch-depth']).toBe(0);
    expect(steps.some((s) => s.uses?.startsWith('launch-ready/launch-ready'))).toBe(true);
  });

  it('is a composite action with documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['config', 'fail-on', 'formats', 'baseline', 'domains']));
    expect(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))).toBe(true);
  });

  it('the audit step writes reports and outputs; the gate step fails the job on NO-GO', () => {
    const work = mkdtempSync(join(tmpdir(), 'lr-action-'));
    const out = join(work, 'GITHUB_OUTPUT');
    const env = {
      ...process.env, GITHUB_ACTION_PATH: root, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
      LR_DOMAINS: '', LR_CONFIG: 'launch-ready.config.json', LR_FAIL_ON: 'high', LR_FORMATS: 'json,sarif,html', LR_OUT: join(work, 'report'),
      LR_BASELINE: '', LR_ARGS: `--from-facts ${join(root, 'fixtures/facts/broken')} --only dns,config --quiet`,
    };
    const audit = spawnSync('bash', ['-e', '-c', step('Audit').run!], { cwd: work, env, encoding: 'utf8' });
    expect(audit.status, audit.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('exit-code=1\nverdict=no-go\n');
    for (const f of ['launch-ready.json', 'launch-ready.sarif', 'launch-ready.html']) expect(existsSync(join(work, 'report', f))).toBe(true);
    expect(readFileSync(join(work, 'summary.md'), 'utf8')).toMatch(/NO-GO/);
    const gate = spawnSync('bash', ['-e', '-c', step('Gate on the verdict').run!], { env: { ...process.env, CODE: '1', VERDICT: 'no-go' }, encoding: 'utf8' });
    expect(gate.status).toBe(1);
    expect(gate.stdout).toMatch(/verdict: no-go \(exit 1\)/);
  });
});
