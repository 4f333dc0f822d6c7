// Load facts: the step ramp of each critical endpoint (throughput, errors, microsecond latency percentiles per
// concurrency step), the known safe concurrency, and where and how it broke.

export interface LoadStep {
  concurrency: number;
  /** Measured seconds (shorter than asked when stopped). */
  durationSec: number;
  requests: number;
  rps: number;
  /** Of the 2xx answers (ms, microsecond precision); null when none. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** (non-2xx + errors + timeouts) / (answers + errors), 0..1. */
  errorRate: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  timeouts: number;
  /** Connection errors and resets. */
  errors: number;
  /** Within budget and under the error threshold. */
  ok: boolean;
  /** Cut short (Ctrl-C, a cap): its figures cover less than a full step. */
  partial?: boolean;
}

export interface BrokeAt {
  concurrency: number;
  reason: 'latency' | 'errors' | 'timeouts';
}

export interface EndpointLoad {
  name: string;
  url: string;
  method: string;
  budgetP95Ms: number;
  /** The highest step with p95 within budget and errors under 1%; null when even the first step failed. */
  safeConcurrency: number | null;
  /** The first failing step; null when every step passed (the ramp ended at the cap). */
  brokeAt: BrokeAt | null;
  steps: LoadStep[];
  /** Where and how it broke, in words. */
  notes: string[];
  /** Why the ramp stopped early (Ctrl-C, the total-request cap, a failed destination). */
  stopped?: string;
}

/** One request step of a flow during one concurrency step. */
export interface FlowStepStats {
  /** Requests sent for this step (answered, timed out or failed). */
  requests: number;
  /** Requests that failed the step's `expect` (status, body, extraction), timed out or got no answer. */
  failed: number;
  /** Of the requests that passed (ms, microsecond precision); null when none. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Status codes of the failed answers (429s are the rate limit). */
  statusCodes: Record<string, number>;
  timeouts: number;
  /** Connection errors and resets. */
  errors: number;
}

/** One concurrency step of a flow ramp: `concurrency` virtual users each running the flow again and again. */
export interface FlowLoadStep {
  concurrency: number;
  durationSec: number;
  /** Flows started within the step's window (each counted once it ended). */
  flows: number;
  flowsPerSec: number;
  /** Requests of those flows, and per second. */
  requests: number;
  rps: number;
  /** Failed flows / flows, 0..1: a flow fails when any of its steps does. */
  errorRate: number;
  /** Of the whole flows that passed. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** p95 of each step of the flow, by step name. */
  stepP95Ms: Record<string, number | null>;
  /** Every figure of each step, by step name. */
  perStep: Record<string, FlowStepStats>;
  /** Every step's p95 within its budget and flow errors under 1%. */
  ok: boolean;
  partial?: boolean;
}

export interface FlowBrokeAt {
  concurrency: number;
  /** The step that broke it. */
  step: string;
  /** latency: the step's p95 went past its budget; rate-limited: mostly 429s. */
  reason: 'latency' | 'errors' | 'timeouts' | 'rate-limited';
}

/**
 * The statement that took most of the database's time while a flow was ramped: the growth of pg_stat_statements
 * between a snapshot just before the flow's first step and one just after its last.
 */
export interface FlowQuery {
  queryId: string;
  /** As pg_stat_statements normalizes it ($1 for every value), any literal left replaced too, on one line, cut. */
  query: string;
  calls: number;
  meanMs: number;
  totalMs: number;
  /** Its time over the time of every statement that ran in the window, 0..1. */
  share: number;
}

/** What the configured database said of a flow ramp; absent when no database is configured. */
export type FlowDatabase =
  /** calls and totalMs: of every statement that ran in the window (anyone's), for the share. */
  | { status: 'ok'; query: FlowQuery | null; calls: number; totalMs: number }
  | { status: 'error'; message: string };

/** The step whose p95 grew most as concurrency rose (the one a user waits on), from the first to the last step. */
export interface FlowBottleneck {
  step: string;
  /** p95 at the last step / p95 at the first. */
  growth: number;
  fromConcurrency: number;
  fromMs: number;
  toConcurrency: number;
  toMs: number;
  /** The database's dominant statement during the ramp, when a database is configured and one ran. */
  query?: FlowQuery;
}

export interface FlowLoad {
  name: string;
  template: string;
  /** The p95 budget of each step (its budgetMs, else 300 ms for GET/HEAD/OPTIONS and 700 ms otherwise). */
  budgets: Record<string, number>;
  /** The highest step where every flow step kept its p95 within budget and flow errors stayed under 1%. */
  safeConcurrency: number | null;
  brokeAt: FlowBrokeAt | null;
  bottleneck: FlowBottleneck | null;
  /** The database during the ramp (pg_stat_statements before and after); absent when none is configured. */
  database?: FlowDatabase;
  steps: FlowLoadStep[];
  notes: string[];
  stopped?: string;
}

export interface LoadResult {
  stepDurationSec: number;
  maxConcurrency: number;
  endpoints: EndpointLoad[];
  /** Flows ramped as virtual users (`load --flow`, flows marked critical); absent when none was asked for. */
  flows?: FlowLoad[];
  /** Ctrl-C (or the run's deadline) ended the ramp: the figures are what was measured until then. */
  interrupted: boolean;
}

/** target.load: present only when the audit was asked to load-test (--load). */
export interface LoadOptions {
  maxConcurrency: number;
  stepDurationSec: number;
  /** Non-loopback hosts confirmed for load (config load.confirm, --confirm-load). */
  confirm: string[];
}

/** The `load.ramp` fact: the ramp when asked, else why there is none. */
export type LoadFact = ({ requested: true } & LoadResult) | { requested: false };
