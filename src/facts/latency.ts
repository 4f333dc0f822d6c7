// Latency facts: per configured endpoint, what N sequential requests measured (microsecond histogram percentiles,
// per-phase split for cold and warm connections, failures counted apart) and the cache headers it answered with.
import type { StatementPlan } from './database.js';
import type { WriteRetries } from './idempotency.js';

/** The config's endpoints as the target carries them; headers and body (may hold secrets) under a symbol key. */
export const ENDPOINT_REQUEST: unique symbol = Symbol('launch-ready.endpoint.request');

export interface TargetEndpoint {
  name: string;
  url: string;
  method: string;
  kind: 'read' | 'auth' | 'write';
  /** Always set: the configured budget, else 300 ms for reads and 700 ms for auth and write. */
  budgetP95Ms: number;
  critical: boolean;
  cacheable: boolean;
  /** Sends credentials (kind auth, or an Authorization/Cookie header): its responses must never be shared caches'. */
  authenticated: boolean;
  /** Never serialized (JSON skips symbol keys): the collector alone reads them. */
  [ENDPOINT_REQUEST]?: { headers: Record<string, string>; body?: string };
}

export interface LatencyOptions {
  /** Measured sequential requests per endpoint (default 30). */
  samples: number;
  /** Requests sent first and not recorded (default 2), after the cold one. */
  warmup: number;
}

export const DEFAULT_LATENCY_OPTIONS: LatencyOptions = { samples: 30, warmup: 2 };

export function defaultBudget(kind: TargetEndpoint['kind']): number {
  return kind === 'read' ? 300 : 700;
}

/** Milliseconds with microsecond precision (3 decimals). */
export interface PhaseSplit {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
  downloadMs: number;
  totalMs: number;
}

export interface LatencyErrors {
  /** Answers outside 2xx, by status code. */
  non2xx: number;
  statusCodes: Record<string, number>;
  /** No answer (or no complete body) within the deadline. */
  timeouts: number;
  /** Connection reset or closed mid-request. */
  resets: number;
  /** Refused connections, DNS failures, anything else. */
  other: number;
  /** First error message of each kind, for the report. */
  examples: string[];
}

export interface CacheObservation {
  cacheControl?: string;
  etag?: string;
  lastModified?: string;
  vary?: string;
  age?: string;
  /** Status of a conditional repeat (If-None-Match / If-Modified-Since), when a validator was sent. */
  conditionalStatus?: number;
  /** Time to first byte of the first request, and the median of the repeats (ms). */
  firstTtfbMs?: number;
  repeatTtfbP50Ms?: number;
}

/** What the first answer sent over the wire, for the weak-network checks (compression, payload size). */
export interface TransferObservation {
  /** Content-Type without parameters, lower-cased. */
  contentType?: string;
  /** Content-Encoding as sent (gzip, br, ...); absent when the body went uncompressed. */
  contentEncoding?: string;
  /** Bytes on the wire (encoded when compressed). */
  wireBytes: number;
  /** The body gzipped here (level 6), when it came uncompressed: what compression would have made it. */
  gzipBytes?: number;
  /** The body was cut at the read cap: sizes are lower bounds. */
  truncated: boolean;
}

/** Whether the server kept connections open between the sequential requests. */
export interface ConnectionReuse {
  /** Requests that got an answer, and how many of them had to open a new connection. */
  requests: number;
  newConnections: number;
  /** Median DNS + TCP + TLS time of the requests that opened a connection (ms). */
  setupMs: number;
  /** The server said `Connection: close`. */
  closeHeader: boolean;
}

export interface EndpointLatency {
  name: string;
  url: string;
  method: string;
  kind: TargetEndpoint['kind'];
  budgetP95Ms: number;
  critical: boolean;
  cacheable: boolean;
  authenticated: boolean;
  /** ok: at least one 2xx sample; failed: no request got a 2xx answer (see errors). */
  status: 'ok' | 'failed';
  /** Why sampling stopped early, if it did (e.g. three timeouts in a row, run deadline). */
  stoppedEarly?: string;
  /** Measured requests sent (warm-up excluded). */
  attempted: number;
  /** 2xx samples recorded in the histogram. */
  recorded: number;
  errors: LatencyErrors;
  /** errors / attempted, 0..1. */
  errorRate: number;
  /** Percentiles of the 2xx samples (ms, microsecond precision); null when none was recorded. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  minMs: number | null;
  /** The first request, on a fresh connection (DNS, TCP, TLS included). */
  cold: PhaseSplit | null;
  /** Median of each phase over the warm (reused connection) samples. */
  warm: PhaseSplit | null;
  /** Median response body size in bytes. */
  responseBytes: number;
  cache: CacheObservation;
  /** Set when the endpoint answered (sent with `Accept-Encoding: gzip, br` unless the config sets its own). */
  transfer?: TransferObservation;
  connections?: ConnectionReuse;
  /** The measured requests in order (warm-ups excluded): what the cause readings in src/derive work from. */
  trace?: SampleTrace[];
  /** pg_stat_statements growth between just before and just after the measured requests (database configured). */
  statements?: StatementWindow;
  /** Write endpoints (POST/PUT/PATCH of kind write) only: what shows whether a retried write is deduplicated. */
  idempotency?: WriteRetries;
}

/** Why a request got no answer: the fetch's failure kind (dns-failure, no-address, tls, refused, timeout, reset...). */
export type SampleFailure = string;

/** One measured request. */
export interface SampleTrace {
  /** Set when the server answered. */
  phases?: PhaseSplit;
  status?: number;
  failure?: SampleFailure;
  /** The request opened a new connection. */
  cold: boolean;
  /** The Server-Timing header as sent, cut. */
  serverTiming?: string;
  /** What an error answer's body looked like (never the body itself): see derive/failures. */
  bodyCause?: 'database' | 'auth' | 'upstream';
  /** Each configured dependency's probe time just before this request (ms; null: the probe failed), in LatencyFacts.dependencies order. */
  dependencyMs?: (number | null)[];
}

/** How much one statement grew in pg_stat_statements between two snapshots. */
export interface StatementDelta {
  queryId: string;
  /** Normalized text (PostgreSQL's $n placeholders), bounded. */
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
  /** shared_blks_read: blocks that were not in PostgreSQL's buffer cache. */
  blocksRead: number;
}

export interface StatementWindow {
  /** Requests sent between the two snapshots (each measured request, answered or not). */
  requests: number;
  /** Statements whose calls grew, most time first, at most STATEMENT_WINDOW_CAP. */
  statements: StatementDelta[];
  /** Growth of every statement of the database between the snapshots (the listed ones included). */
  totalCalls: number;
  totalMs: number;
}

export const STATEMENT_WINDOW_CAP = 20;

/** A configured third-party dependency, probed just before each measured request of every endpoint. */
export interface DependencyLatency {
  name: string;
  url: string;
  attempted: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface LatencyFacts {
  options: LatencyOptions;
  endpoints: EndpointLatency[];
  dependencies?: DependencyLatency[];
  /** Set when a database is configured: whether its statements could be watched around each endpoint. */
  database?: { status: 'ok' | 'error'; message?: string };
  /** Generic plans (EXPLAIN, no ANALYZE) of the statements the endpoints ran once or more per request. */
  plans?: StatementPlan[];
}
