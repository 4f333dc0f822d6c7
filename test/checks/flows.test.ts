// Table tests for flows.broken-flow-step: a clean session flow baseline, each case breaks one step one way.
import { describe } from 'vitest';
import brokenFlowStep from '../../src/checks/flows/broken-flow-step.js';
import type { AnyCheck } from '../../src/checks/define.js';
import type { FlowRun, StepOutcome } from '../../src/facts/flows.js';
import type { FactMap } from '../../src/facts/index.js';
import { checkTable } from '../helpers/check-tester.js';

type Facts = Pick<FactMap, 'target' | 'flows.runs'>;

const step = (name: string, status: number): StepOutcome => ({
  name, method: 'GET', url: `https://api.shop.test/${name.replace(/ /g, '-')}`, ran: true, status, durationMs: 40, userImpact: `users cannot ${name}`, failures: [],
});

function baseline(): Facts {
  const run: FlowRun = {
    name: 'session', template: 'session',
    steps: [step('login', 200), step('authenticated read', 200), step('token refresh', 200), step('read after logout', 401)],
  };
  return {
    target: { domains: [], now: '2026-11-29T10:00:00.000Z', accept: [], flows: { names: [{ name: 'session', template: 'session' }] } },
    'flows.runs': [run],
  };
}

const fail = (f: Facts, i: number, kind: StepOutcome['failures'][number]['kind'], expected = 'status 2xx', actual = 'status 500') => {
  f['flows.runs'][0]!.steps[i]!.failures.push({ kind, expected, actual });
};

describe('broken-flow-step', () => {
  checkTable(brokenFlowStep as unknown as AnyCheck, baseline, [
    { name: 'every step as expected passes', status: 'pass' },
    { name: 'no flows configured is not applicable', mutate: (f) => { f['flows.runs'] = []; delete f.target.flows; }, status: 'not-applicable' },
    {
      name: 'a failing login names the step, expected vs actual and what users see',
      mutate: (f) => fail(f, 0, 'unexpected-status'),
      status: 'fail',
      findings: [{ code: 'unexpected-status', severity: 'high', message: /^session › login: expected status 2xx, got status 500\. Users: users cannot login$/ }],
    },
    { name: 'an unreachable step', mutate: (f) => fail(f, 0, 'unreachable', 'an HTTP answer', 'ECONNREFUSED'), status: 'fail', findings: [{ code: 'unreachable', severity: 'high' }] },
    { name: 'a slow step is a medium performance finding', mutate: (f) => fail(f, 1, 'over-budget', 'within 300 ms', '950 ms'), status: 'fail', findings: [{ code: 'over-budget', severity: 'medium', message: /took 950 ms \(budget: within 300 ms\)/ }] },
    { name: 'a missing token', mutate: (f) => fail(f, 0, 'missing-value', 'a value at accessToken (/access_token)', 'not in the response (status 200)'), status: 'fail', findings: ['missing-value'] },
    { name: 'an unexpected body', mutate: (f) => fail(f, 1, 'unexpected-body', '/email = "a@b.test"', '/email missing'), status: 'fail', findings: ['unexpected-body'] },
    { name: 'a reusable refresh token is high', mutate: (f) => fail(f, 2, 'refresh-token-reusable', 'status 4xx', 'status 200'), status: 'fail', findings: [{ code: 'refresh-token-reusable', severity: 'high' }] },
    { name: 'an unrotated refresh token is medium', mutate: (f) => fail(f, 2, 'refresh-token-not-rotated', 'a new refresh token', 'the same one'), status: 'fail', findings: [{ code: 'refresh-token-not-rotated', severity: 'medium' }] },
    { name: 'a session surviving logout', mutate: (f) => fail(f, 3, 'session-survives-logout', 'status 4xx', 'status 200'), status: 'fail', findings: [{ code: 'session-survives-logout', severity: 'high', message: /still works after logout/ }] },
    { name: 'account enumeration is medium', mutate: (f) => fail(f, 0, 'account-enumeration', 'the same answer', 'status 404'), status: 'fail', findings: [{ code: 'account-enumeration', severity: 'medium' }] },
    { name: 'a leaked reset token is critical', mutate: (f) => fail(f, 0, 'reset-token-leaked', 'no token', '/reset_token = abcd…'), status: 'fail', findings: [{ code: 'reset-token-leaked', severity: 'critical' }] },
    { name: 'a callback error', mutate: (f) => fail(f, 0, 'callback-error', 'no error', 'error=redirect_uri_mismatch'), status: 'fail', findings: [{ code: 'callback-error', severity: 'high' }] },
    {
      name: 'steps not run are no findings of their own',
      mutate: (f) => { fail(f, 0, 'unreachable'); for (const s of f['flows.runs'][0]!.steps.slice(1)) { s.ran = false; s.skippedBecause = '"login" got no answer'; delete s.status; } },
      status: 'fail',
      findings: ['unreachable'],
    },
  ]);
});
