// The latency collector: per configured endpoint, one cold request on a fresh connection, unrecorded warm-ups,
// then N sequential samples on the kept-alive connection, each timed per phase and recorded in microseconds.
// Non-2xx answers, timeouts and resets are counted apart and never enter the histogram. Each measured request is
// also traced (phases, Server-Timing, failure kind, the configured dependencies' probe times just before it), and
// with a database configured, pg_stat_statements is snapshotted just before and after the measured requests.
import type { TargetFacts } from '../../facts/index.js';
import {
  DEFAULT_LATENCY_OPTIONS, ENDPOINT_REQUEST, type CacheObservation, type EndpointLatency, type LatencyErrors,
  type DependencyLatency, type LatencyFacts, type LatencyOptions, type PhaseSplit, type SampleTrace, type StatementWindow,
  type TargetEndpoint, type TransferObservation,
} from '../../facts/latency.js';
import { attribute } from '../../derive/attribution.js';
import { errorBodyCause } from '../../derive/failures.js';
import { openStatementWatch, type StatementWatch } from '../database/statement-watch.js';
import { brotliDecompressSync, constants as zlibConstants, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { isCompressible, COMPRESSION_MIN_BYTES } from '../../derive/mobile.js';
import type { CollectContext } from '../context.js';
import { createHttpClient, httpFetch, isFetchFailure, runClient, type FetchErrorKind, type HttpClient } from '../http/fetch.js';
import { answerSignals, isRetriedWrite } from '../../derive/idempotency.js';
import type { WriteRetries } from '../../facts/idempotency.js';
import { observeRetries } from '../edge/idempotency.js';
import { LatencyHistogram, median } from './histogram.js';

/** Bodies are read (download time is part of what users wait for) up to this, then the rest is dropped. */
const BODY_CAP = 4 * 1024 * 1024;
const MAX_HEADER_VALUE = 512;
/** An endpoint that does not answer three times in a row is not sampled further: more tries would only wait. */
const MAX_CONSECUTIVE_FAILURES = 3;

export type FailureKind = 'timeout' | 'reset' | 'other';

export interface Sample {
  /** Set when the server answered. */
  status?: number;
  failure?: { kind: FailureKind; message: string };
  phases?: PhaseSplit;
  /** A new connection was opened for this request. */
  cold: boolean;
  bytes: number;
  headers?: Record<string, string>;
  /** Only when asked (keepBody): the first answer's body, for the local compression estimate. */
  body?: Buffer;
  truncated?: boolean;
  /** The fetch's own failure kind, finer than FailureKind (dns-failure, tls, refused...). */
  fetchKind?: FetchErrorKind;
  serverTiming?: string;
  bodyCause?: SampleTrace['bodyCause'];
}

/** An error answer's body is read this far for its shape (a database error, an auth error), then dropped. */
const ERROR_BODY_CAP = 16 * 1024;

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The run's own deadline is counted with the rest: it is not a timeout of the endpoint. */
export function classifyFailure(kind: FetchErrorKind): FailureKind {
  if (kind === 'timeout') return 'timeout';
  if (kind === 'reset') return 'reset';
  return 'other';
}

function pickHeaders(recorded: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [
    'cache-control', 'etag', 'last-modified', 'vary', 'age', 'content-type', 'content-encoding', 'connection', 'server-timing',
    'idempotency-key', 'idempotent-replayed', 'access-control-expose-headers',
  ]) {
    const v = recorded[name];
    if (v !== undefined) out[name] = v.slice(0, MAX_HEADER_VALUE);
  }
  return out;
}

export interface RequestSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** An error body as text; a compressed one is inflated as far as it goes (it may be cut at the cap). */
function decoded(body: Buffer, encoding: string | undefined): string {
  const e = encoding?.trim().toLowerCase();
  try {
    if (e === 'gzip') return gunzipSync(body, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: ERROR_BODY_CAP * 4 }).toString('utf8');
    if (e === 'deflate') return inflateSync(body, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: ERROR_BODY_CAP * 4 }).toString('utf8');
    if (e === 'br') return brotliDecompressSync(body, { finishFlush: zlibConstants.BROTLI_OPERATION_FLUSH, maxOutputLength: ERROR_BODY_CAP * 4 }).toString('utf8');
  } catch {
    return '';
  }
  return body.toString('utf8');
}

/** One timed request. Never throws: a failure is a value. */
export async function timedRequest(ctx: CollectContext, client: HttpClient, spec: RequestSpec, keepBody = false): Promise<Sample> {
  const r = await httpFetch(ctx, {
    url: spec.url, method: spec.method, headers: spec.headers, ...(spec.body !== undefined ? { body: spec.body } : {}),
    // Bodies are read (download time is part of what users wait for) but not kept, except the first one.
    read: (head) => (head.status >= 400 ? { maxBytes: ERROR_BODY_CAP, keep: true } : { maxBytes: BODY_CAP, keep: keepBody }),
    client,
  });
  if (isFetchFailure(r)) return { failure: { kind: classifyFailure(r.error.kind), message: r.error.message }, cold: false, bytes: 0, fetchKind: r.error.kind };
  const t = r.timing;
  const phases: PhaseSplit = {
    dnsMs: round3(t.dns), connectMs: round3(t.connect), tlsMs: round3(t.tls),
    ttfbMs: round3(t.ttfb), downloadMs: round3(t.download), totalMs: round3(t.total),
  };
  const bodyCause = r.status >= 400 ? errorBodyCause(decoded(r.body, r.headers['content-encoding'])) : undefined;
  const serverTiming = r.headers['server-timing'];
  return {
    status: r.status, phases, cold: !t.reused, bytes: r.bodyBytes, headers: pickHeaders(r.headers),
    ...(keepBody ? { body: r.body, truncated: r.truncated } : {}),
    ...(serverTiming ? { serverTiming: serverTiming.slice(0, MAX_HEADER_VALUE) } : {}),
    ...(bodyCause ? { bodyCause } : {}),
  };
}

function emptyErrors(): LatencyErrors {
  return { non2xx: 0, statusCodes: {}, timeouts: 0, resets: 0, other: 0, examples: [] };
}

function countError(errors: LatencyErrors, s: Sample): void {
  if (s.status !== undefined) {
    errors.non2xx++;
    errors.statusCodes[String(s.status)] = (errors.statusCodes[String(s.status)] ?? 0) + 1;
    if (!errors.examples.some((e) => e.startsWith('HTTP '))) errors.examples.push(`HTTP ${s.status}`);
    return;
  }
  const kind = s.failure!.kind;
  if (kind === 'timeout') errors.timeouts++;
  else if (kind === 'reset') errors.resets++;
  else errors.other++;
  if (errors.examples.length < 4 && !errors.examples.includes(s.failure!.message)) errors.examples.push(s.failure!.message);
}

function medianSplit(samples: readonly PhaseSplit[]): PhaseSplit | null {
  if (samples.length === 0) return null;
  const m = (k: keyof PhaseSplit) => round3(median(samples.map((s) => s[k])));
  return { dnsMs: m('dnsMs'), connectMs: m('connectMs'), tlsMs: m('tlsMs'), ttfbMs: m('ttfbMs'), downloadMs: m('downloadMs'), totalMs: m('totalMs') };
}

const ok = (s: Sample) => s.status !== undefined && s.status >= 200 && s.status < 300;

/** What runs beside the measured requests: the statement watch and the dependency probes. */
export interface Beside {
  watch?: StatementWatch;
  /** Probed, in order, just before each measured request; their times go into the request's trace. */
  dependencies?: { name: string; url: string; client: HttpClient; times: (number | null)[] }[];
}

function traceOf(s: Sample, dependencyMs: (number | null)[] | undefined): SampleTrace {
  return {
    cold: s.cold,
    ...(s.phases ? { phases: s.phases } : {}),
    ...(s.status !== undefined ? { status: s.status } : {}),
    ...(s.fetchKind ? { failure: s.fetchKind } : {}),
    ...(s.serverTiming ? { serverTiming: s.serverTiming } : {}),
    ...(s.bodyCause ? { bodyCause: s.bodyCause } : {}),
    ...(dependencyMs ? { dependencyMs } : {}),
  };
}

/** Measures one endpoint on a connection pool of its own, so its first request is really cold. */
export async function measureEndpoint(ctx: CollectContext, ep: TargetEndpoint, options: LatencyOptions, beside: Beside = {}): Promise<EndpointLatency> {
  const req = ep[ENDPOINT_REQUEST] ?? { headers: {} };
  // A phone's HTTP stack always asks for compressed bodies; a configured Accept-Encoding wins.
  const headers = Object.keys(req.headers).some((k) => k.toLowerCase() === 'accept-encoding') ? req.headers : { ...req.headers, 'accept-encoding': 'gzip, br' };
  const spec: RequestSpec = { url: ep.url, method: ep.method, headers, ...(req.body !== undefined ? { body: req.body } : {}) };
  const client = createHttpClient(ctx);
  const histogram = new LatencyHistogram();
  const errors = emptyErrors();
  const warm: PhaseSplit[] = [];
  const sizes: number[] = [];
  const repeatTtfb: number[] = [];
  let cold: PhaseSplit | null = null;
  let attempted = 0;
  let stoppedEarly: string | undefined;
  let first: Sample | undefined;
  let answered = 0;
  let closeHeader = false;
  const setups: number[] = [];
  const trace: SampleTrace[] = [];
  let before: Awaited<ReturnType<StatementWatch['snapshot']>>;
  let statements: StatementWindow | undefined;
  try {
    let failuresInRow = 0;
    const total = 1 + options.warmup + options.samples;
    for (let i = 0; i < total; i++) {
      if (ctx.signal.aborted) { stoppedEarly = 'the run\'s deadline passed'; break; }
      const recorded = i > options.warmup;
      if (recorded && attempted === 0 && beside.watch) before = await beside.watch.snapshot();
      const dependencyMs = recorded && beside.dependencies?.length ? await probeDependencies(ctx, beside.dependencies) : undefined;
      const s = await timedRequest(ctx, client, spec, i === 0);
      if (recorded) trace.push(traceOf(s, dependencyMs));
      if (s.phases) {
        answered++;
        if (s.cold) setups.push(s.phases.dnsMs + s.phases.connectMs + s.phases.tlsMs);
        if (/\bclose\b/i.test(s.headers?.connection ?? '')) closeHeader = true;
      }
      if (i === 0) first = s;
      if (s.phases && s.cold && !cold) cold = s.phases;
      if (recorded) {
        attempted++;
        if (ok(s)) {
          histogram.recordMs(s.phases!.totalMs);
          sizes.push(s.bytes);
          if (!s.cold) warm.push(s.phases!);
          repeatTtfb.push(s.phases!.ttfbMs);
        } else {
          countError(errors, s);
        }
      }
      failuresInRow = s.failure ? failuresInRow + 1 : 0;
      if (failuresInRow >= MAX_CONSECUTIVE_FAILURES) {
        // Requests that failed before sampling began still tell what is wrong: count the last one.
        if (attempted === 0) { attempted++; countError(errors, s); }
        stoppedEarly = `${MAX_CONSECUTIVE_FAILURES} requests in a row got no answer (${s.failure!.message})`;
        break;
      }
    }
    if (before && beside.watch && trace.length > 0) {
      const after = await beside.watch.snapshot();
      if (after) statements = await beside.watch.window(before, after, trace.length);
    }
    const cache: CacheObservation = {};
    const h = first?.headers ?? {};
    if (h['cache-control'] !== undefined) cache.cacheControl = h['cache-control'];
    if (h.etag !== undefined) cache.etag = h.etag;
    if (h['last-modified'] !== undefined) cache.lastModified = h['last-modified'];
    if (h.vary !== undefined) cache.vary = h.vary;
    if (h.age !== undefined) cache.age = h.age;
    if (first?.phases) cache.firstTtfbMs = first.phases.ttfbMs;
    if (repeatTtfb.length) cache.repeatTtfbP50Ms = round3(median(repeatTtfb));
    // A conditional repeat shows whether the validators actually save the transfer (304 Not Modified).
    if (ep.cacheable && (cache.etag || cache.lastModified) && !ctx.signal.aborted) {
      const cond = await timedRequest(ctx, client, {
        ...spec,
        headers: { ...spec.headers, ...(cache.etag ? { 'if-none-match': cache.etag } : { 'if-modified-since': cache.lastModified! }) },
      });
      if (cond.status !== undefined) cache.conditionalStatus = cond.status;
    }
    const errorCount = errors.non2xx + errors.timeouts + errors.resets + errors.other;
    return {
      name: ep.name, url: ep.url, method: ep.method, kind: ep.kind, budgetP95Ms: ep.budgetP95Ms,
      critical: ep.critical, cacheable: ep.cacheable, authenticated: ep.authenticated,
      status: histogram.count > 0 ? 'ok' : 'failed',
      ...(stoppedEarly ? { stoppedEarly } : {}),
      attempted,
      recorded: histogram.count,
      errors,
      errorRate: attempted ? Math.round((errorCount / attempted) * 10_000) / 10_000 : 0,
      p50Ms: histogram.percentileMs(50),
      p95Ms: histogram.percentileMs(95),
      p99Ms: histogram.percentileMs(99),
      maxMs: histogram.maxMs(),
      minMs: histogram.minMs(),
      cold,
      warm: medianSplit(warm),
      responseBytes: Math.round(median(sizes)),
      cache,
      ...(first?.status !== undefined ? { transfer: transferOf(first) } : {}),
      ...(answered > 0 ? { connections: { requests: answered, newConnections: setups.length, setupMs: round3(median(setups)), closeHeader } } : {}),
      ...(trace.length > 0 ? { trace } : {}),
      ...(statements ? { statements } : {}),
      ...(isRetriedWrite(ep) ? { idempotency: retriesSeen(first) } : {}),
    };
  } finally {
    histogram.destroy();
    await client.destroy().catch(() => {});
  }
}

/** What the first answer to a write (sent without a key) shows about Idempotency-Key support. */
function retriesSeen(first: Sample | undefined): WriteRetries {
  if (first?.status === undefined) return { signals: [] };
  const h = first.headers ?? {};
  const body = first.status >= 400 && first.body ? decoded(first.body, h['content-encoding']).slice(0, ERROR_BODY_CAP) : undefined;
  return { answerStatus: first.status, signals: answerSignals({ status: first.status, headers: h, ...(body !== undefined ? { body } : {}) }) };
}

/** Sizes of the first answer; the body is gzipped here only when it came uncompressed and compression would apply. */
function transferOf(s: Sample): TransferObservation {
  const h = s.headers ?? {};
  const contentType = h['content-type']?.split(';')[0]?.trim().toLowerCase();
  const encoding = h['content-encoding']?.trim().toLowerCase();
  const out: TransferObservation = { wireBytes: s.bytes, truncated: s.truncated ?? false };
  if (contentType) out.contentType = contentType;
  if (encoding && encoding !== 'identity') out.contentEncoding = encoding;
  else if (s.body && s.body.length > COMPRESSION_MIN_BYTES && isCompressible(contentType)) out.gzipBytes = gzipSync(s.body, { level: 6 }).length;
  return out;
}

/** One probe per dependency, one after another (never beside the endpoint's request: that would add contention). */
async function probeDependencies(ctx: CollectContext, deps: NonNullable<Beside['dependencies']>): Promise<(number | null)[]> {
  const out: (number | null)[] = [];
  for (const d of deps) {
    const r = await httpFetch(ctx, { url: d.url, read: { maxBytes: 64 * 1024, keep: false }, client: d.client });
    const ms = isFetchFailure(r) || r.status >= 500 ? null : round3(r.timing.total);
    d.times.push(ms);
    out.push(ms);
  }
  return out;
}

function dependencyFigures(d: NonNullable<Beside['dependencies']>[number]): DependencyLatency {
  const ok = d.times.filter((t): t is number => t !== null).sort((a, b) => a - b);
  const pick = (p: number) => (ok.length ? ok[Math.min(ok.length - 1, Math.max(0, Math.ceil((p / 100) * ok.length) - 1))]! : null);
  return { name: d.name, url: d.url, attempted: d.times.length, failed: d.times.length - ok.length, p50Ms: pick(50), p95Ms: pick(95) };
}

/** Plans are read for the statements an endpoint runs per request, at most this many over the run. */
const PLANNED_STATEMENTS = 10;

/** Endpoints are measured one after another: concurrent sampling would measure our own contention. */
export async function collectLatency(ctx: CollectContext, target: TargetFacts): Promise<LatencyFacts> {
  const options = { ...DEFAULT_LATENCY_OPTIONS, ...target.latency };
  const endpoints: EndpointLatency[] = [];
  const opened = (target.endpoints ?? []).length > 0 ? await openStatementWatch(ctx, target) : undefined;
  const watch = typeof opened === 'object' ? opened : undefined;
  const dependencies = (target.dependencies ?? []).map((d) => ({ ...d, client: createHttpClient(ctx), times: [] as (number | null)[] }));
  try {
    for (const ep of target.endpoints ?? []) {
      const measuredEp = await measureEndpoint(ctx, ep, options, { ...(watch ? { watch } : {}), dependencies });
      // After the measured requests (never beside them): the preflight, and the opt-in replay probe of a write.
      if (measuredEp.idempotency) {
        const seen = await observeRetries(ctx, await runClient(ctx), ep, target.idempotencyProbes?.includes(ep.name) ?? false, target.loadConfirm ?? []);
        measuredEp.idempotency = { ...measuredEp.idempotency, ...seen, signals: [...measuredEp.idempotency.signals, ...seen.signals] };
      }
      endpoints.push(measuredEp);
    }
    let plans: LatencyFacts['plans'];
    if (watch) {
      // The statements each endpoint runs per request, costliest first: their plans show the scans behind them.
      const ids = [...new Set(endpoints.flatMap((e) => attribute(e.statements, 0)?.statements.map((a) => a.statement.queryId) ?? []))];
      const cost = new Map(endpoints.flatMap((e) => e.statements?.statements.map((s) => [s.queryId, s.totalMs] as const) ?? []));
      ids.sort((a, b) => (cost.get(b) ?? 0) - (cost.get(a) ?? 0));
      if (ids.length > 0 && !ctx.signal.aborted) plans = await watch.explain(ids.slice(0, PLANNED_STATEMENTS));
    }
    const error = typeof opened === 'string' ? opened : watch?.error();
    return {
      options, endpoints,
      ...(dependencies.length ? { dependencies: dependencies.map(dependencyFigures) } : {}),
      ...(opened !== undefined ? { database: error ? { status: 'error' as const, message: error } : { status: 'ok' as const } } : {}),
      ...(plans ? { plans } : {}),
    };
  } finally {
    await watch?.close().catch(() => {});
    await Promise.all(dependencies.map((d) => d.client.destroy().catch(() => {})));
  }
}
