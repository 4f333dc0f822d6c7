// The flow ramp: at concurrency 1, 2, 4, ... each virtual user runs a flow's steps in order with its own extracted
// values (tokens, ids; a fresh identity for a sign-up), then starts again, on its own keep-alive connections
// (./wire.ts) opened by the run's connector (our resolver, --connect-to, the loopback guard), latency recorded per step
// and per flow in microseconds. Same window/drain rule, caps and stop rule as the endpoint ramp.
import { randomBytes } from 'node:crypto';
import type { FlowDatabase, FlowLoad, FlowLoadStep, FlowStepStats } from '../../facts/load.js';
import { extractVars, judgeStep, type StepResponse } from '../../flows/judge.js';
import { generatedIdentity, missingVars, type FlowPlan, type PlannedStep } from '../../flows/plan.js';
import { onAbort } from '../abort.js';
import type { CollectContext } from '../context.js';
import { buildRequest } from '../flows/index.js';
import { answerJson, BODY_CAP } from '../flows/http.js';
import { createConnector } from '../http/agent.js';
import { LatencyHistogram } from '../latency/histogram.js';
import type { StatementWatch } from '../database/statement-watch.js';
import { flowBottleneck, flowBreak, flowNotes, flowQuery, flowStepOk, stepBudgetMs } from './flow-judge.js';
import { LOAD_CAPS, rampSteps, type RequestBudget } from './index.js';
import { encodeRequest, KeepAliveUser, WireFailure, type WireRequest } from './wire.js';

export interface FlowRampPlan {
  maxConcurrency: number;
  stepDurationSec: number;
  onStep?: (flow: string, step: FlowLoadStep) => void;
  /** The configured database's statement counters (a string: why they cannot be read); absent without a database. */
  database?: StatementWatch | string;
}

interface StepRecorder {
  stats: FlowStepStats;
  hist: LatencyHistogram;
}

type Outcome = 'ok' | 'failed' | 'aborted';

/** What each step's requests share, found once rather than per request. */
interface PreparedStep {
  /** The placeholders the step needs. */
  needs: string[];
  /** Whether judging or extracting reads the answer as JSON. */
  json: boolean;
  /** The last URL text parsed: most steps' URLs hold no placeholder, so it is parsed once. */
  lastUrl?: { text: string; url: URL };
  /** A step without placeholders sends the same bytes every time: encoded once. */
  constant?: { request: WireRequest; payload: string | Buffer };
}

function prepare(step: PlannedStep): PreparedStep {
  const json = step.expect.json !== undefined || step.expect.noToken === true || Object.values(step.extract).some((src) => !src.startsWith('header:'));
  return { needs: missingVars(step, new Map()), json };
}

function urlOf(prep: PreparedStep, text: string): URL {
  if (prep.lastUrl?.text === text) return prep.lastUrl.url;
  const url = new URL(text);
  prep.lastUrl = { text, url };
  return url;
}

/** One run of the flow by one virtual user. Aborted runs (the step ended, Ctrl-C) record nothing. */
async function iterate(
  user: KeepAliveUser, plan: FlowPlan, prepared: ReadonlyMap<PlannedStep, PreparedStep>, rec: Map<string, StepRecorder>, seed: Map<string, string>,
  signal: AbortSignal, budget: RequestBudget, onRequest: () => void, record: boolean,
): Promise<{ outcome: Outcome; ms: number; requests: number }> {
  const vars = new Map(seed);
  const earlier = new Map<string, { response: StepResponse; normalize: readonly string[] }>();
  const started = performance.now();
  let requests = 0;
  for (const step of plan.steps) {
    const r = rec.get(step.name)!;
    const fail = (kind?: 'timeouts' | 'errors', status?: number): { outcome: Outcome; ms: number; requests: number } => {
      if (record) {
        r.stats.failed++;
        if (kind) r.stats[kind]++;
        if (status !== undefined) r.stats.statusCodes[String(status)] = (r.stats.statusCodes[String(status)] ?? 0) + 1;
      }
      return { outcome: 'failed', ms: performance.now() - started, requests };
    };
    if (signal.aborted || budget.requestsLeft <= 0) return { outcome: 'aborted', ms: 0, requests };
    const prep = prepared.get(step)!;
    if (prep.needs.some((v) => !vars.has(v))) { if (record) r.stats.requests++; return fail(); }
    let request: WireRequest;
    let payload: string | Buffer;
    try {
      if (prep.constant) ({ request, payload } = prep.constant);
      else {
        const req = buildRequest(step, vars);
        request = { method: req.method, url: urlOf(prep, req.url), headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) };
        payload = encodeRequest(request);
        if (prep.needs.length === 0) prep.constant = { request, payload };
      }
    } catch {
      // A URL that does not parse, a header value that would split the request: nothing is sent.
      if (record) r.stats.requests++;
      return fail('errors');
    }
    budget.requestsLeft--;
    requests++;
    onRequest();
    if (record) r.stats.requests++;
    const t0 = performance.now();
    let res: StepResponse;
    try {
      const { status, headers, body } = await user.request(request, payload);
      const json = prep.json ? answerJson(headers, body) : undefined;
      res = { status, headers, body, ...(json !== undefined ? { json } : {}) };
    } catch (err) {
      if (signal.aborted) return { outcome: 'aborted', ms: 0, requests };
      return fail(err instanceof WireFailure && err.timeout ? 'timeouts' : 'errors');
    }
    const ms = performance.now() - t0;
    const { vars: got, missing } = extractVars(step, res);
    for (const [k, v] of got) vars.set(k, v);
    // Latency is judged on p95 over the step, not per answer: a single slow answer is not a failed flow.
    const failures = judgeStep({ step, response: res, durationMs: ms, vars, earlier }).filter((f) => f.kind !== 'over-budget');
    if (failures.length || missing.length) return fail(undefined, res.status);
    earlier.set(step.name, { response: res, normalize: step.normalize ?? [] });
    if (record) r.hist.recordMs(ms);
  }
  return { outcome: 'ok', ms: performance.now() - started, requests };
}

/**
 * One concurrency step. Flows started within the window count and the step waits for them (new, uncounted flows keep
 * the concurrency up meanwhile), as for endpoints: cutting at the window's end would drop exactly the slow flows.
 */
async function runFlowStep(
  ctx: CollectContext, users: KeepAliveUser[], plan: FlowPlan, budgets: Record<string, number>, concurrency: number,
  durationSec: number, budget: RequestBudget, run: string, iterations: number[],
): Promise<{ step: FlowLoadStep; stoppedBy?: string }> {
  const rec = new Map<string, StepRecorder>(plan.steps.map((s) => [s.name, {
    stats: { requests: 0, failed: 0, p50Ms: null, p95Ms: null, p99Ms: null, statusCodes: {}, timeouts: 0, errors: 0 },
    hist: new LatencyHistogram(),
  }]));
  const flowHist = new LatencyHistogram();
  const prepared = new Map(plan.steps.map((st) => [st, prepare(st)]));
  const stepAbort = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stepAbort.signal]);
  const started = performance.now();
  const endAt = started + durationSec * 1000;
  let flows = 0;
  let failedFlows = 0;
  let requests = 0;
  let countedInFlight = 0;
  let stoppedBy: string | undefined;
  let windowEnd = Infinity;
  const finish = (why?: string) => {
    if (why && !stoppedBy) stoppedBy = why;
    if (windowEnd === Infinity) windowEnd = performance.now();
    stepAbort.abort();
  };
  const interrupted = () => finish((ctx.signal.reason as Error | undefined)?.name === 'TimeoutError' ? `the ${LOAD_CAPS.maxTotalDurationSec} s cap on a load run was reached` : 'interrupted');
  if (ctx.signal.aborted) interrupted();
  const stopWaiting = ctx.signal.aborted ? () => {} : onAbort(ctx.signal, interrupted);
  const onRequest = () => { if (budget.requestsLeft <= 0) finish(`the cap of ${budget.cap} requests was reached`); };
  // The drain never outlasts a request timeout per flow step.
  const hardStop = setTimeout(() => finish(), durationSec * 1000 + ctx.timeoutMs * plan.steps.length + 500);
  const windowTimer = setTimeout(() => { windowEnd = Math.min(windowEnd, performance.now()); if (countedInFlight === 0) finish(); }, durationSec * 1000);
  try {
    await Promise.all(Array.from({ length: concurrency }, async (_, user) => {
      // One signal per user, so each request adds its abort listener there, not all of them on the step's.
      const mine = new AbortController();
      if (signal.aborted) mine.abort();
      const client = users[user]!;
      const stopMine = onAbort(signal, () => { mine.abort(); client.cancel('the load step ended'); });
      while (!mine.signal.aborted) {
        const counted = performance.now() <= endAt && windowEnd === Infinity;
        const iteration = iterations[user] = (iterations[user] ?? -1) + 1;
        const seed = plan.identity ? generatedIdentity(plan.identity.emailDomain, run, user, iteration) : new Map<string, string>();
        if (counted) countedInFlight++;
        const { outcome, ms, requests: sent } = await iterate(client, plan, prepared, rec, seed, mine.signal, budget, onRequest, counted);
        if (counted) {
          countedInFlight--;
          if (outcome !== 'aborted') {
            flows++;
            requests += sent;
            if (outcome === 'ok') flowHist.recordMs(ms);
            else failedFlows++;
          }
        }
        if (performance.now() > endAt && countedInFlight === 0) finish();
        // A flow that fails at once (a refused connection) must not spin the event loop.
        if (outcome === 'failed' && ms < 1) await new Promise((res) => setImmediate(res));
      }
      stopMine();
    }));
  } finally {
    clearTimeout(hardStop);
    clearTimeout(windowTimer);
    stopWaiting();
  }
  const windowSec = (Math.min(windowEnd, performance.now()) - started) / 1000;
  const perStep: Record<string, FlowStepStats> = {};
  const stepP95Ms: Record<string, number | null> = {};
  for (const [name, { stats, hist }] of rec) {
    perStep[name] = { ...stats, p50Ms: hist.percentileMs(50), p95Ms: hist.percentileMs(95), p99Ms: hist.percentileMs(99) };
    stepP95Ms[name] = perStep[name].p95Ms;
    hist.destroy();
  }
  const per = (n: number) => (windowSec > 0 ? Math.round((n / windowSec) * 10) / 10 : 0);
  const step: FlowLoadStep = {
    concurrency, durationSec: Math.round(windowSec * 100) / 100, flows, flowsPerSec: per(flows), requests, rps: per(requests),
    errorRate: flows ? failedFlows / flows : 0,
    p50Ms: flowHist.percentileMs(50), p95Ms: flowHist.percentileMs(95), p99Ms: flowHist.percentileMs(99),
    stepP95Ms, perStep, ok: false, ...(stoppedBy ? { partial: true } : {}),
  };
  flowHist.destroy();
  step.ok = flowStepOk(step, budgets);
  return { step, ...(stoppedBy ? { stoppedBy } : {}) };
}

/** Ramps one flow. Never throws: what could not be measured ends the flow with a note. */
export async function rampFlow(ctx: CollectContext, plan: FlowPlan, ramp: FlowRampPlan, budget: RequestBudget): Promise<FlowLoad> {
  const budgets = Object.fromEntries(plan.steps.map((s) => [s.name, stepBudgetMs(s)]));
  const out: FlowLoad = { name: plan.name, template: plan.template, budgets, safeConcurrency: null, brokeAt: null, bottleneck: null, steps: [], notes: [] };
  // A user per slot for the whole ramp, its connections kept alive across its flows (and steps) as a browser would.
  const connect = createConnector(ctx);
  const users = Array.from({ length: ramp.maxConcurrency }, () => new KeepAliveUser(connect, ctx.timeoutMs, BODY_CAP));
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  // Per user across the whole ramp: user 0 of the next step must not sign up user 0's first address again.
  const iterations: number[] = [];
  // The database's statement counters just before the first step and just after the last: what grew in between is
  // the ramp's (a string: why the database cannot be watched).
  const watch = ramp.database;
  const before = typeof watch === 'object' ? await watch.snapshot() : undefined;
  try {
    for (const c of rampSteps(ramp.maxConcurrency)) {
      if (ctx.signal.aborted) { out.stopped = out.stopped ?? 'interrupted'; break; }
      if (budget.requestsLeft <= 0) { out.stopped = `the cap of ${budget.cap} requests was reached`; break; }
      const { step, stoppedBy } = await runFlowStep(ctx, users, plan, budgets, c, ramp.stepDurationSec, budget, run, iterations);
      out.steps.push(step);
      ramp.onStep?.(plan.name, step);
      if (stoppedBy) { out.stopped = stoppedBy; if (!step.ok || step.flows === 0) break; }
      if (!step.ok) {
        if (!step.partial) out.brokeAt = { concurrency: c, ...flowBreak(step, budgets) };
        break;
      }
      if (!step.partial) out.safeConcurrency = c;
      if (stoppedBy) break;
    }
  } finally {
    for (const u of users) u.close();
  }
  if (watch !== undefined) out.database = await databaseDuring(watch, before, out.steps.reduce((n, s) => n + s.flows, 0));
  const query = out.database?.status === 'ok' ? out.database.query : null;
  out.bottleneck = flowBottleneck(out.steps, plan.steps.map((s) => s.name));
  if (out.bottleneck && query) out.bottleneck.query = query;
  out.notes = flowNotes(out.steps, budgets, out.brokeAt, out.bottleneck, query);
  if (!out.brokeAt && !out.stopped && out.safeConcurrency === ramp.maxConcurrency) {
    out.notes.push(`Every step up to the maximum of ${ramp.maxConcurrency} concurrent users stayed within budget: the real limit is higher (raise --max-concurrency to find it).`);
  }
  return out;
}

/** The database's side of a flow ramp: its dominant statement, or why it is not known. */
async function databaseDuring(watch: StatementWatch | string, before: Awaited<ReturnType<StatementWatch['snapshot']>>, flows: number): Promise<FlowDatabase> {
  if (typeof watch === 'string') return { status: 'error', message: watch };
  const after = before ? await watch.snapshot() : undefined;
  if (!before || !after) return { status: 'error', message: `pg_stat_statements could not be read: ${watch.error() ?? 'no answer'}` };
  const window = await watch.window(before, after, flows);
  return { status: 'ok', query: flowQuery(window), calls: window.totalCalls, totalMs: window.totalMs };
}
