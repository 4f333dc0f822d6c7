// The flow runner: runs each configured flow's steps in order (one request each, no retry), carrying extracted
// values forward; a step whose inputs an earlier failure left unset is recorded as not run.
import type { TargetFacts } from '../../facts/index.js';
import { FLOW_SPECS, type FlowRun, type StepOutcome } from '../../facts/flows.js';
import { judgeStep, extractVars, type StepResponse } from '../../flows/judge.js';
import { fill, fillJson, generatedIdentity, missingVars, planFlow, type PlannedStep } from '../../flows/plan.js';
import type { CollectContext } from '../context.js';
import { exchange, isExchangeError, maskUrl } from './http.js';

function hasHeader(h: Record<string, string>, name: string): boolean {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}

/** The request of one step with its placeholders filled (also what each virtual user of a load ramp sends). */
export function buildRequest(step: PlannedStep, vars: ReadonlyMap<string, string>) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.headers)) headers[k] = fill(v, vars);
  let body: string | undefined;
  if (step.json !== undefined) {
    body = JSON.stringify(fillJson(step.json, vars));
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  } else if (step.body !== undefined) {
    body = fill(step.body, vars);
  }
  if (!hasHeader(headers, 'accept')) headers.accept = 'application/json, */*;q=0.5';
  return { method: step.method, url: fill(step.url, vars, true), headers, ...(body !== undefined ? { body } : {}) };
}

/** The step's URL as configured: placeholders stay {{name}} (tokens can travel in paths), query values masked. */
function shownUrl(template: string): string {
  return maskUrl(template).replace(/%7B%7B([A-Za-z0-9_]+)%7D%7D/g, '{{$1}}');
}

export async function runFlow(ctx: CollectContext, plan: ReturnType<typeof planFlow>): Promise<FlowRun> {
  // A sign-up needs an address no earlier run registered.
  const vars = plan.identity ? generatedIdentity(plan.identity.emailDomain, Date.now().toString(36), 0, 0) : new Map<string, string>();
  const earlier = new Map<string, { response: StepResponse; normalize: readonly string[] }>();
  const steps: StepOutcome[] = [];
  let stopped: string | undefined;
  for (const step of plan.steps) {
    const base = {
      name: step.name, method: step.method, url: shownUrl(step.url), userImpact: step.userImpact,
      ...(step.budgetMs !== undefined ? { budgetMs: step.budgetMs } : {}),
    };
    const missing = missingVars(step, vars);
    if (stopped || missing.length) {
      steps.push({ ...base, ran: false, skippedBecause: stopped ?? `needs ${missing.map((m) => `{{${m}}}`).join(', ')}, which no earlier step provided`, failures: [] });
      continue;
    }
    if (ctx.signal.aborted) { stopped = 'the run\'s deadline passed'; steps.push({ ...base, ran: false, skippedBecause: stopped, failures: [] }); continue; }
    const res = await ctx.limiter.run(() => exchange(ctx, buildRequest(step, vars)));
    if (isExchangeError(res)) {
      steps.push({ ...base, ran: true, durationMs: res.durationMs, failures: [{ kind: 'unreachable', expected: 'an HTTP answer', actual: res.error }] });
      stopped = `"${step.name}" got no answer`;
      continue;
    }
    const { vars: got, missing: notFound } = extractVars(step, res);
    for (const [k, v] of got) vars.set(k, v);
    const failures = judgeStep({ step, response: res, durationMs: res.durationMs, vars, earlier });
    // Extraction failures only matter when the answer was the expected kind: a 401 already says why.
    if (notFound.length && !failures.some((f) => f.kind === 'unexpected-status')) {
      failures.push({ kind: 'missing-value', expected: `a value at ${notFound.join(', ')}`, actual: `not in the response (status ${res.status})` });
    }
    earlier.set(step.name, { response: res, normalize: step.normalize ?? [] });
    steps.push({ ...base, ran: true, status: res.status, durationMs: res.durationMs, failures });
  }
  return { name: plan.name, template: plan.template, steps };
}

export async function collectFlows(ctx: CollectContext, target: TargetFacts): Promise<FlowRun[]> {
  const specs = target.flows?.[FLOW_SPECS] ?? [];
  const runs: FlowRun[] = [];
  // Flows run one after another: auth servers rate-limit logins, and steps of different flows must not interleave.
  for (const spec of specs) runs.push(await runFlow(ctx, planFlow(spec, target.now)));
  return runs;
}
