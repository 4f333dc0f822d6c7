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

export interface LoadResult {
  stepDurationSec: number;
  maxConcurrency: number;
  endpoints: EndpointLoad[];
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
