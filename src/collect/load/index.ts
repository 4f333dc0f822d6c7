// The load ramp: autocannon drives each endpoint at concurrency 1, 2, 4, ... for a bounded time per step, while we
// record every answer's latency in microseconds ourselves (autocannon's own histogram is whole milliseconds).
// The ramp stops at the first failing step: the step before it is the known safe concurrency.
// Connections go to the address the run's resolver gave (never the system resolver), with Host and SNI kept.
import autocannon from 'autocannon';
import { ENDPOINT_REQUEST, type TargetEndpoint } from '../../facts/latency.js';
import type { DatabaseTarget } from '../../facts/database.js';
import type { TargetFacts } from '../../facts/index.js';
import type { BrokeAt, EndpointLoad, FlowLoad, FlowLoadStep, LoadFact, LoadResult, LoadStep } from '../../facts/load.js';
import type { FlowPlan } from '../../flows/plan.js';
import { onAbort } from '../abort.js';
import type { CollectContext } from '../context.js';
import { isDestinationError, resolveDestination } from '../http/destination.js';
import { isLoopback } from '../net.js';
import { LatencyHistogram } from '../latency/histogram.js';

/** Hard caps, whatever the config or flags say: a launch check must never become a denial of service. */
/** Requests the whole run may still send, and the cap it started from (named when it cuts a step). */
export interface RequestBudget {
  requestsLeft: number;
  cap: number;
}

export const LOAD_CAPS = { maxConcurrency: 1024, maxStepDurationSec: 60, maxTotalRequests: 1_000_000, maxTotalDurationSec: 600 } as const;
export const DEFAULT_MAX_CONCURRENCY = 64;
export const DEFAULT_STEP_DURATION_SEC = 5;
/** A step fails at 1% errors, the same line as the latency check's. */
export const MAX_STEP_ERROR_RATE = 0.01;

export interface LoadPlan {
  endpoints: TargetEndpoint[];
  maxConcurrency: number;
  stepDurationSec: number;
  /** Cap on requests over the whole run (all endpoints, all steps). */
  maxTotalRequests?: number;
  onStep?: (endpoint: string, step: LoadStep) => void;
  /** Flows ramped as virtual users after the endpoints. */
  flows?: FlowPlan[];
  /** The configured database: its dominant statement during each flow ramp is named (pg_stat_statements). */
  database?: DatabaseTarget;
  onFlowStep?: (flow: string, step: FlowLoadStep) => void;
}

/** 1, 2, 4, ... up to max, with max itself as the last step when it is not a power of two. */
export function rampSteps(max: number): number[] {
  const steps: number[] = [];
  for (let c = 1; c < max; c *= 2) steps.push(c);
  steps.push(max);
  return steps;
}

interface StepRun {
  step: LoadStep;
  stoppedBy?: string;
}

/** The events of autocannon's per-connection client the step listens to (its API is untyped). */
interface AcClient {
  on(event: 'request', l: () => void): void;
  on(event: 'response', l: (status: number, bytes: number, ms: number) => void): void;
  on(event: 'timeout' | 'reset', l: () => void): void;
  on(event: 'connError', l: (err: Error) => void): void;
}

/**
 * One step. Only requests sent within the step's window count, and the step waits for them to finish (new requests
 * keep the concurrency up meanwhile): cutting the step at its end would drop exactly the slow answers and bias the
 * latency low. Each connection has one request in flight (no pipelining), so a FIFO of send times per connection
 * pairs every answer, timeout or error with the request it ends.
 */
async function runStep(
  ctx: CollectContext, url: string, ep: TargetEndpoint, host: string, concurrency: number, durationSec: number,
  budget: RequestBudget,
): Promise<StepRun> {
  const req = ep[ENDPOINT_REQUEST] ?? { headers: {} };
  const histogram = new LatencyHistogram();
  const statusCodes: Record<string, number> = {};
  const queues: number[][] = [];
  const timeoutSec = Math.max(1, Math.ceil(ctx.timeoutMs / 1000));
  let answers = 0;
  let non2xx = 0;
  let timeouts = 0;
  let errors = 0;
  let stoppedBy: string | undefined;
  const started = performance.now();
  let endAt = Infinity;
  try {
    await new Promise<void>((resolve) => {
      let finished = false;
      const timers: NodeJS.Timeout[] = [];
      const instance = autocannon({
        url,
        connections: concurrency,
        // An upper bound only: the step ends itself (window, then drain), see above.
        duration: durationSec + timeoutSec + 2,
        timeout: timeoutSec,
        // Checked every 100 ms instead of every second: steps and Ctrl-C end on time.
        sampleInt: 100,
        method: ep.method,
        headers: { host, ...req.headers },
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(url.startsWith('https:') ? { servername: host.replace(/:\d+$/, '') } : {}),
        setupClient: (c: unknown) => {
          const client = c as AcClient;
          const q: number[] = [];
          queues.push(q);
          const counts = (t: number | undefined) => t !== undefined && t <= endAt && !finished;
          client.on('request', () => {
            q.push(performance.now());
            // A request the server dropped without an answer (connection closed) leaves its send time behind.
            if (q.length > 1) setImmediate(() => { while (q.length > 1) { if (counts(q.shift())) errors++; } });
          });
          client.on('response', (status, _bytes, ms) => {
            if (!counts(q.shift())) return settle();
            answers++;
            if (status >= 200 && status < 300) histogram.recordMs(ms);
            else { non2xx++; statusCodes[String(status)] = (statusCodes[String(status)] ?? 0) + 1; }
            if (--budget.requestsLeft <= 0) stop(`the cap of ${budget.cap} requests was reached`);
            settle();
          });
          client.on('timeout', () => { if (counts(q.shift())) timeouts++; settle(); });
          client.on('connError', () => { if (counts(q.shift())) errors++; settle(); });
        },
      } as Parameters<typeof autocannon>[0], (err) => {
        if (err && !stoppedBy) stoppedBy = `autocannon failed: ${err.message}`;
        finish();
      });
      function finish() {
        if (finished) return;
        finished = true;
        for (const t of timers) clearTimeout(t);
        stopWaiting();
        resolve();
      }
      function stop(why?: string) {
        if (why && !stoppedBy) stoppedBy = why;
        if (endAt === Infinity) endAt = performance.now();
        instance.stop();
      }
      // After the window: stop once every request sent within it has ended.
      function settle() {
        if (endAt !== Infinity && !queues.some((q) => q.length > 0 && q[0]! <= endAt)) stop();
      }
      function interrupted() {
        stop((ctx.signal.reason as Error | undefined)?.name === 'TimeoutError' ? `the ${LOAD_CAPS.maxTotalDurationSec} s cap on a load run was reached` : 'interrupted');
      }
      if (ctx.signal.aborted) interrupted();
      const stopWaiting = ctx.signal.aborted ? () => {} : onAbort(ctx.signal, interrupted);
      timers.push(setTimeout(() => { endAt = performance.now(); settle(); }, durationSec * 1000));
      // The drain never outlasts the request timeout.
      timers.push(setTimeout(() => stop(), durationSec * 1000 + timeoutSec * 1000 + 500));
    });
    const windowSec = (Math.min(endAt, performance.now()) - started) / 1000;
    const failed = non2xx + timeouts + errors;
    const total = answers + timeouts + errors;
    const step: LoadStep = {
      concurrency,
      durationSec: Math.round(windowSec * 1000) / 1000,
      requests: answers,
      rps: windowSec > 0 ? Math.round((answers / windowSec) * 10) / 10 : 0,
      p50Ms: histogram.percentileMs(50),
      p95Ms: histogram.percentileMs(95),
      p99Ms: histogram.percentileMs(99),
      maxMs: histogram.maxMs(),
      errorRate: total ? Math.round((failed / total) * 10_000) / 10_000 : 0,
      non2xx, statusCodes, timeouts, errors,
      ok: false,
      ...(stoppedBy ? { partial: true } : {}),
    };
    step.ok = stepOk(step, ep.budgetP95Ms);
    return { step, ...(stoppedBy ? { stoppedBy } : {}) };
  } finally {
    histogram.destroy();
  }
}

/** A step passes on a p95 within budget and an error rate under 1%; a step with no successful answer has no p95 and fails. */
export function stepOk(s: Pick<LoadStep, 'p95Ms' | 'errorRate'>, budgetMs: number): boolean {
  return s.p95Ms !== null && s.p95Ms <= budgetMs && s.errorRate < MAX_STEP_ERROR_RATE;
}

/**
 * Why a failed step failed: errors from 1% (timeouts when they outnumber the other failures), else latency (under 1%
 * errors, only a p95 past the budget, or none at all, fails a step).
 */
export function breakReason(s: Pick<LoadStep, 'errorRate' | 'timeouts' | 'non2xx' | 'errors'>): BrokeAt['reason'] {
  if (s.errorRate >= MAX_STEP_ERROR_RATE) return s.timeouts > (s.non2xx + s.errors) ? 'timeouts' : 'errors';
  return 'latency';
}

/** Bottleneck notes: where throughput stopped growing (the knee), and how the failing step failed. */
const r = (v: number | null) => (v === null ? '—' : String(Math.round(v)));

export function bottleneckNotes(ep: { budgetP95Ms: number }, steps: readonly LoadStep[], brokeAt: BrokeAt | null): string[] {
  const notes: string[] = [];
  const full = steps.filter((s) => s.requests > 0);
  // The knee: doubling the concurrency gave under 15% more throughput while p95 grew: requests queue up.
  for (let i = 1; i < full.length; i++) {
    const a = full[i - 1]!;
    const b = full[i]!;
    if (b.rps < a.rps * 1.15 && (b.p95Ms ?? 0) > (a.p95Ms ?? 0) * 1.5) {
      notes.push(`Throughput stops growing at concurrency ${a.concurrency} (~${a.rps} req/s): from ${b.concurrency} on, requests queue and p95 rises from ${r(a.p95Ms)} ms to ${r(b.p95Ms)} ms. Something serializes requests: a small database pool, a lock, a single worker or process, or a rate limit.`);
      break;
    }
  }
  if (brokeAt) {
    const s = steps.find((x) => x.concurrency === brokeAt.concurrency)!;
    if (brokeAt.reason === 'latency') notes.push(`At concurrency ${s.concurrency}, p95 ${r(s.p95Ms)} ms exceeds the ${ep.budgetP95Ms} ms budget (p99 ${r(s.p99Ms)} ms, ${s.rps} req/s).`);
    if (brokeAt.reason === 'errors') {
      const codes = Object.entries(s.statusCodes).map(([c, n]) => `${n}× ${c}`).join(', ');
      notes.push(`At concurrency ${s.concurrency}, ${Math.round(s.errorRate * 1000) / 10}% of requests failed${codes ? ` (${codes})` : ''}${s.errors ? `, ${s.errors} connection errors` : ''}: the server or a proxy in front of it rejects load (limits on connections, workers, or a rate limit).`);
    }
    if (brokeAt.reason === 'timeouts') notes.push(`At concurrency ${s.concurrency}, ${s.timeouts} requests got no answer before the timeout: the server stops answering under load (exhausted workers or connection pool).`);
  }
  return notes;
}

/** Ramps one endpoint. Never throws: a destination that cannot be used ends the endpoint with a note. */
export async function rampEndpoint(ctx: CollectContext, ep: TargetEndpoint, plan: LoadPlan, budget: RequestBudget): Promise<EndpointLoad> {
  const base: EndpointLoad = { name: ep.name, url: ep.url, method: ep.method, budgetP95Ms: ep.budgetP95Ms, safeConcurrency: null, brokeAt: null, steps: [], notes: [] };
  const u = new URL(ep.url);
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  const dest = await resolveDestination(ctx, u.hostname, port);
  if (isDestinationError(dest)) return { ...base, stopped: `cannot connect: ${dest.message}`, notes: [`Not load-tested: ${dest.message}`] };
  const address = dest.address.includes(':') ? `[${dest.address}]` : dest.address;
  const url = `${u.protocol}//${address}:${dest.port}${u.pathname}${u.search}`;
  for (const c of rampSteps(plan.maxConcurrency)) {
    if (ctx.signal.aborted) { base.stopped = base.stopped ?? 'interrupted'; break; }
    if (budget.requestsLeft <= 0) { base.stopped = `the cap of ${budget.cap} requests was reached`; break; }
    const { step, stoppedBy } = await runStep(ctx, url, ep, u.host, c, plan.stepDurationSec, budget);
    base.steps.push(step);
    plan.onStep?.(ep.name, step);
    // A partial step (cut by the request cap, Ctrl-C or the run's time cap) still shows where it was heading, but only
    // a full one is a verdict: it sets the safe concurrency or where the ramp broke.
    if (!step.partial) {
      if (step.ok) base.safeConcurrency = c;
      else base.brokeAt = { concurrency: c, reason: breakReason(step) };
    }
    if (stoppedBy) { base.stopped = stoppedBy; break; }
    if (!step.ok) break;
  }
  base.notes = bottleneckNotes(ep, base.steps, base.brokeAt);
  if (!base.brokeAt && !base.stopped && base.safeConcurrency === plan.maxConcurrency) {
    base.notes.push(`Every step up to the maximum of ${plan.maxConcurrency} stayed within budget: the real limit is higher (raise --max-concurrency to find it).`);
  }
  return base;
}

/** Ramps each endpoint in turn (never at once: each ramp must have the server to itself). */
export async function runLoad(ctx: CollectContext, plan: LoadPlan): Promise<LoadResult> {
  const maxConcurrency = Math.min(plan.maxConcurrency, LOAD_CAPS.maxConcurrency);
  const stepDurationSec = Math.min(plan.stepDurationSec, LOAD_CAPS.maxStepDurationSec);
  const cap = Math.min(plan.maxTotalRequests ?? LOAD_CAPS.maxTotalRequests, LOAD_CAPS.maxTotalRequests);
  const budget: RequestBudget = { requestsLeft: cap, cap };
  // The whole run is capped in time too: the user's signal (Ctrl-C) or the cap, whichever comes first.
  const capped = { ...ctx, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(LOAD_CAPS.maxTotalDurationSec * 1000)]) };
  const endpoints: EndpointLoad[] = [];
  for (const ep of plan.endpoints) {
    if (capped.signal.aborted) break;
    endpoints.push(await rampEndpoint(capped, ep, { ...plan, maxConcurrency, stepDurationSec }, budget));
  }
  if (!plan.flows?.length) return { stepDurationSec, maxConcurrency, endpoints, interrupted: capped.signal.aborted };
  const { rampFlow } = await import('./flows.js');
  // One read-only session for every flow, opened before the first; a string says why the database cannot be watched.
  const database = plan.database ? await (await import('../database/statement-watch.js')).openStatementWatch(capped, { database: plan.database }) : undefined;
  const flows: FlowLoad[] = [];
  try {
    for (const f of plan.flows) {
      if (capped.signal.aborted) break;
      flows.push(await rampFlow(capped, f, {
        maxConcurrency, stepDurationSec, ...(plan.onFlowStep ? { onStep: plan.onFlowStep } : {}), ...(database !== undefined ? { database } : {}),
      }, budget));
    }
  } finally {
    if (typeof database === 'object') await database.close().catch(() => {});
  }
  return { stepDurationSec, maxConcurrency, endpoints, flows, interrupted: capped.signal.aborted };
}

/**
 * Why this endpoint may not be load-tested, if it may not: its host must be on this machine, or confirmed by name.
 * A destination the loopback guard refuses is still judged by its address: the confirmation is asked first.
 */
export async function confirmationProblem(ctx: CollectContext, ep: Pick<TargetEndpoint, 'name' | 'url'>, confirmed: ReadonlySet<string>): Promise<string | undefined> {
  const u = new URL(ep.url);
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (confirmed.has(host)) return undefined;
  const dest = await resolveDestination(ctx, host, Number(u.port) || (u.protocol === 'https:' ? 443 : 80));
  const address = isDestinationError(dest) ? (dest.kind === 'forbidden' ? dest.hostAddresses[0] : undefined) : dest.address;
  if (address === undefined) return `cannot load-test ${ep.name}: ${isDestinationError(dest) ? dest.message : host}`;
  if (isLoopback(address)) return undefined;
  return `refusing to load-test ${host} (${address}): it is not on this machine. Load only systems you own, and confirm by name: --confirm-load ${host} (or "load": {"confirm": ["${host}"]} in the config)`;
}

export function normalizeHosts(hosts: readonly string[]): Set<string> {
  return new Set(hosts.map((h) => h.toLowerCase().replace(/\.$/, '')));
}

/** The `load.ramp` collector for `audit --load`: the critical endpoints, each confirmed or left out with a note. */
export async function collectLoad(ctx: CollectContext, target: TargetFacts): Promise<LoadFact> {
  if (!target.load) return { requested: false };
  const confirmed = normalizeHosts(target.load.confirm);
  const critical = (target.endpoints ?? []).filter((e) => e.critical);
  const allowed: TargetEndpoint[] = [];
  const refused: EndpointLoad[] = [];
  for (const ep of critical) {
    const problem = await confirmationProblem(ctx, ep, confirmed);
    if (problem) refused.push({ name: ep.name, url: ep.url, method: ep.method, budgetP95Ms: ep.budgetP95Ms, safeConcurrency: null, brokeAt: null, steps: [], notes: [], stopped: problem });
    else allowed.push(ep);
  }
  const result = await runLoad(ctx, { endpoints: allowed, maxConcurrency: target.load.maxConcurrency, stepDurationSec: target.load.stepDurationSec });
  return { requested: true, ...result, endpoints: [...result.endpoints, ...refused] };
}
