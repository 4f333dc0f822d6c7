// The front door of the opt-in load test: which endpoints, within which caps, confirmed how, and the ramp itself
// (or its k6 export). The command line only parses flags, handles Ctrl-C and prints.
import type { LoadedConfig } from '../config/load.js';
import { databaseTarget, targetEndpoint } from '../config/target.js';
import { UsageError } from '../errors.js';
import type { TargetFacts } from '../facts/index.js';
import type { TargetEndpoint } from '../facts/latency.js';
import type { FlowLoadStep, LoadResult, LoadStep } from '../facts/load.js';
import { planFlow, type FlowPlan } from '../flows/plan.js';
import type { FlowConfig } from '../flows/schema.js';
import type { LoadFlags } from './flags.js';
import { networkFor } from './network.js';

/** The endpoints to ramp: the named ones, else those marked critical. */
export function selectLoadEndpoints(all: readonly TargetEndpoint[], names: readonly string[]): TargetEndpoint[] {
  if (names.length) {
    const unknown = names.filter((n) => !all.some((e) => e.name === n));
    if (unknown.length) throw new UsageError(`--endpoint ${unknown.join(', ')}: not in the config's endpoints (${all.map((e) => e.name).join(', ') || 'none'})`);
    return all.filter((e) => names.includes(e.name));
  }
  const critical = all.filter((e) => e.critical);
  if (critical.length === 0) throw new UsageError('nothing to load-test: mark endpoints of critical flows with "critical": true in the config, or name them with --endpoint <name>');
  return critical;
}

/**
 * What to ramp: the named endpoints and flows; with neither named, the endpoints and flows marked critical. Naming
 * only flows ramps only flows (and only endpoints, only endpoints).
 */
export function selectLoadTargets(
  endpoints: readonly TargetEndpoint[], flows: readonly FlowConfig[], flags: { endpoint: readonly string[]; flow?: readonly string[] },
): { endpoints: TargetEndpoint[]; flows: FlowConfig[] } {
  const flowNames = flags.flow ?? [];
  if (flowNames.length) {
    const unknown = flowNames.filter((n) => !flows.some((f) => f.name === n));
    if (unknown.length) throw new UsageError(`--flow ${unknown.join(', ')}: not in the config's flows (${flows.map((f) => f.name).join(', ') || 'none'})`);
  }
  if (flags.endpoint.length || flowNames.length) {
    return {
      endpoints: flags.endpoint.length ? selectLoadEndpoints(endpoints, flags.endpoint) : [],
      flows: flows.filter((f) => flowNames.includes(f.name)),
    };
  }
  const criticalFlows = flows.filter((f) => f.critical);
  if (!criticalFlows.length) return { endpoints: selectLoadEndpoints(endpoints, []), flows: [] };
  return { endpoints: endpoints.filter((e) => e.critical), flows: criticalFlows };
}

/** The ramp's options (`load`, and `audit --load` for the target), within the hard caps (a usage error past them). */
export async function loadOptions(flags: { confirmLoad?: string[]; maxConcurrency?: number; stepDuration?: number }, config: LoadedConfig['config']): Promise<NonNullable<TargetFacts['load']>> {
  const { DEFAULT_MAX_CONCURRENCY, DEFAULT_STEP_DURATION_SEC, LOAD_CAPS } = await import('../collect/load/index.js');
  const maxConcurrency = flags.maxConcurrency ?? config.load?.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const stepDurationSec = flags.stepDuration ?? config.load?.stepDurationSec ?? DEFAULT_STEP_DURATION_SEC;
  if (maxConcurrency > LOAD_CAPS.maxConcurrency) throw new UsageError(`--max-concurrency ${maxConcurrency}: the hard cap is ${LOAD_CAPS.maxConcurrency}`);
  if (stepDurationSec > LOAD_CAPS.maxStepDurationSec) throw new UsageError(`--step-duration ${stepDurationSec}: the hard cap is ${LOAD_CAPS.maxStepDurationSec} s`);
  return { maxConcurrency, stepDurationSec, confirm: [...(flags.confirmLoad ?? []), ...(config.load?.confirm ?? [])] };
}

/** The ramp as a k6 script (same steps and thresholds), secrets replaced by environment references. */
export async function exportLoadScript(loaded: LoadedConfig, flags: LoadFlags): Promise<string> {
  const { maxConcurrency, stepDurationSec } = await loadOptions(flags, loaded.config);
  const { endpoints, flows } = selectLoadTargets(loaded.config.endpoints.map(targetEndpoint), loaded.config.flows, flags);
  const { envReferences, k6Script } = await import('../collect/load/k6.js');
  const plans = flows.map((f) => planFlow(f));
  return envReferences(loaded.redactor.redact(k6Script(endpoints, { maxConcurrency, stepDurationSec }, plans)));
}

export interface LoadRequest {
  loaded: LoadedConfig;
  flags: LoadFlags;
  cwd: string;
  /** Resolves when the ramp should stop (Ctrl-C): what was measured until then is returned, marked interrupted. */
  stop: Promise<void>;
  /** Told once every host is confirmed, before the first request. */
  onStart?: (endpoints: readonly TargetEndpoint[], opts: { maxConcurrency: number; stepDurationSec: number }, flows: readonly FlowPlan[]) => void;
  onStep?: (endpoint: string, step: LoadStep) => void;
  onFlowStep?: (flow: string, step: FlowLoadStep) => void;
}

/** The URL of each flow step, for the confirmation rule; a host made of placeholders cannot be confirmed. */
function flowHosts(plan: FlowPlan): { name: string; url: string }[] {
  return plan.steps.map((s) => {
    let host = '';
    try { host = new URL(s.url).hostname; } catch { /* checked below */ }
    if (!host || host.includes('{{') || host.includes('%7B')) throw new UsageError(`cannot load-test flow ${plan.name}: the host of step "${s.name}" is not fixed (${s.url}), so it cannot be confirmed`);
    return { name: `${plan.name} › ${s.name}`, url: s.url };
  });
}

/** Runs the bounded step ramp; every host is checked against the confirmation rule before the first request. */
export async function runLoadTest(req: LoadRequest): Promise<LoadResult> {
  const { loaded, flags } = req;
  const { confirmationProblem, normalizeHosts, runLoad } = await import('../collect/load/index.js');
  const { maxConcurrency, stepDurationSec, confirm } = await loadOptions(flags, loaded.config);
  const { endpoints, flows } = selectLoadTargets(loaded.config.endpoints.map(targetEndpoint), loaded.config.flows, flags);
  const plans = flows.map((f) => planFlow(f));
  const net = await networkFor(flags, loaded, req.cwd, 4);
  const controller = new AbortController();
  const ctx = net.context(controller.signal);
  try {
    const confirmed = normalizeHosts(confirm);
    for (const ep of [...endpoints, ...plans.flatMap(flowHosts)]) {
      const problem = await confirmationProblem(ctx, ep, confirmed);
      if (problem) throw new UsageError(problem);
    }
    void req.stop.then(() => controller.abort());
    req.onStart?.(endpoints, { maxConcurrency, stepDurationSec }, plans);
    return await runLoad(ctx, {
      endpoints, maxConcurrency, stepDurationSec,
      ...(plans.length ? { flows: plans } : {}),
      // Flows name the database's dominant statement during their ramp when a database is configured.
      ...(plans.length && loaded.config.database ? { database: databaseTarget(loaded.config.database) } : {}),
      ...(flags.maxRequests ? { maxTotalRequests: flags.maxRequests } : {}),
      ...(req.onStep ? { onStep: req.onStep } : {}),
      ...(req.onFlowStep ? { onFlowStep: req.onFlowStep } : {}),
    });
  } finally {
    controller.abort();
  }
}
