// The front door of the opt-in load test: which endpoints, within which caps, confirmed how, and the ramp itself
// (or its k6 export). The command line only parses flags, handles Ctrl-C and prints.
import type { LoadedConfig } from '../config/load.js';
import { targetEndpoint } from '../config/target.js';
import { UsageError } from '../errors.js';
import type { TargetFacts } from '../facts/index.js';
import type { TargetEndpoint } from '../facts/latency.js';
import type { LoadResult, LoadStep } from '../facts/load.js';
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
  const endpoints = selectLoadEndpoints(loaded.config.endpoints.map(targetEndpoint), flags.endpoint);
  const { envReferences, k6Script } = await import('../collect/load/k6.js');
  return envReferences(loaded.redactor.redact(k6Script(endpoints, { maxConcurrency, stepDurationSec })));
}

export interface LoadRequest {
  loaded: LoadedConfig;
  flags: LoadFlags;
  cwd: string;
  /** Resolves when the ramp should stop (Ctrl-C): what was measured until then is returned, marked interrupted. */
  stop: Promise<void>;
  /** Told once every host is confirmed, before the first request. */
  onStart?: (endpoints: readonly TargetEndpoint[], opts: { maxConcurrency: number; stepDurationSec: number }) => void;
  onStep?: (endpoint: string, step: LoadStep) => void;
}

/** Runs the bounded step ramp; every host is checked against the confirmation rule before the first request. */
export async function runLoadTest(req: LoadRequest): Promise<LoadResult> {
  const { loaded, flags } = req;
  const { confirmationProblem, normalizeHosts, runLoad } = await import('../collect/load/index.js');
  const { maxConcurrency, stepDurationSec, confirm } = await loadOptions(flags, loaded.config);
  const endpoints = selectLoadEndpoints(loaded.config.endpoints.map(targetEndpoint), flags.endpoint);
  const net = await networkFor(flags, loaded, req.cwd, 4);
  const controller = new AbortController();
  const ctx = net.context(controller.signal);
  try {
    const confirmed = normalizeHosts(confirm);
    for (const ep of endpoints) {
      const problem = await confirmationProblem(ctx, ep, confirmed);
      if (problem) throw new UsageError(problem);
    }
    void req.stop.then(() => controller.abort());
    req.onStart?.(endpoints, { maxConcurrency, stepDurationSec });
    return await runLoad(ctx, {
      endpoints, maxConcurrency, stepDurationSec,
      ...(flags.maxRequests ? { maxTotalRequests: flags.maxRequests } : {}),
      ...(req.onStep ? { onStep: req.onStep } : {}),
    });
  } finally {
    controller.abort();
  }
}
