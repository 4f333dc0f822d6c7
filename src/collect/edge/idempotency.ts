// Retried writes, beside the rate-limit probe and through the same plumbing (fetchEdge, the run's client, the opt-in
// probes' gate): per write endpoint a CORS preflight asking for Idempotency-Key (and a made-up header, so a server
// that reflects whatever is asked documents nothing), and, only with idempotencyProbe: true on a loopback or
// confirmed host, the configured request sent twice in a row with one generated Idempotency-Key. Bodies are read to
// find the resource id and dropped: the facts keep statuses, sizes and hashes.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KeySignal, ReplayAnswer, ReplayProbe, RetryPreflight } from '../../facts/idempotency.js';
import { ENDPOINT_REQUEST, type TargetEndpoint } from '../../facts/latency.js';
import { KEY_HEADER, listsHeader, namesIdempotencyKey, preflightSignals, REPLAYED_HEADER, resourceId } from '../../derive/idempotency.js';
import type { CollectContext } from '../context.js';
import type { HttpClient } from '../http/fetch.js';
import { fetchEdge, FOREIGN_ORIGIN, probeRefusal, sanitizeBody } from './index.js';
import type { EdgeResponse } from '../../facts/edge.js';

/** Each replayed answer is read this far (enough for the JSON that names the created resource), then dropped. */
export const REPLAY_CAP = 64 * 1024;
/** The replay probe sends the write this many times: the request, and its retry. */
export const REPLAY_REQUESTS = 2;

function shortHash(v: string): string {
  return createHash('sha256').update(v).digest('hex').slice(0, 16);
}

/** The OPTIONS preflight a browser would send for the write with an Idempotency-Key. */
export async function retryPreflight(ctx: CollectContext, agent: HttpClient, e: TargetEndpoint): Promise<RetryPreflight> {
  const madeUp = `x-launch-ready-${randomBytes(4).toString('hex')}`;
  const r = await fetchEdge(ctx, agent, e.url, {
    method: 'OPTIONS',
    headers: { origin: FOREIGN_ORIGIN, 'access-control-request-method': e.method, 'access-control-request-headers': `content-type, ${KEY_HEADER}, ${madeUp}` },
    keep: 0,
  });
  if (r.error !== undefined || r.status === undefined) return { reflects: false, error: r.error ?? 'no answer' };
  const allow = r.headers['access-control-allow-headers'];
  return {
    status: r.status,
    ...(allow !== undefined ? { allowHeaders: allow.slice(0, 300) } : {}),
    reflects: allow !== undefined && (allow.trim() === '*' || listsHeader(allow, madeUp)),
  };
}

function replayAnswer(r: EdgeResponse): ReplayAnswer {
  const id = resourceId(r.body);
  const location = r.headers.location;
  const replayed = r.headers[REPLAYED_HEADER];
  return {
    status: r.status!, bodyBytes: r.bodyBytes, bodyHash: r.bodyHash!,
    ...(id ? { idField: id.field, idHash: shortHash(id.value) } : {}),
    ...(location !== undefined ? { location: sanitizeBody(location.split(/[?#]/)[0]!.slice(0, 200)), locationHash: shortHash(location) } : {}),
    ...(replayed !== undefined ? { replayed: replayed.slice(0, 64) } : {}),
    namesKey: namesIdempotencyKey(r.body),
  };
}

/**
 * The configured request (method, headers with their credentials, body) sent twice, one after the other, with one
 * generated Idempotency-Key (replacing a configured one). Refused, without a byte sent, on a host that is neither
 * loopback nor listed in load.confirm.
 */
export async function probeReplay(ctx: CollectContext, agent: HttpClient, e: TargetEndpoint, confirmed: readonly string[]): Promise<ReplayProbe> {
  const probe: ReplayProbe = { sent: 0, answers: [] };
  const refused = await probeRefusal(ctx, e.url, confirmed);
  if (refused) return { ...probe, ...refused };
  const configured = e[ENDPOINT_REQUEST];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(configured?.headers ?? {})) if (k.toLowerCase() !== KEY_HEADER) headers[k] = v;
  headers[KEY_HEADER] = randomUUID();
  for (let i = 0; i < REPLAY_REQUESTS; i++) {
    if (ctx.signal.aborted) return { ...probe, error: 'the run\'s deadline passed' };
    const r = await fetchEdge(ctx, agent, e.url, {
      method: e.method, headers, ...(configured?.body !== undefined ? { body: configured.body } : {}), cap: REPLAY_CAP, keep: REPLAY_CAP, raw: true,
    });
    if (r.error !== undefined || r.status === undefined) return { ...probe, error: r.error ?? 'no answer' };
    probe.sent++;
    probe.answers.push(replayAnswer(r));
  }
  return probe;
}

/** What the edge plumbing adds to a write endpoint's retry facts: the preflight, its signal, and the opt-in probe. */
export async function observeRetries(ctx: CollectContext, agent: HttpClient, e: TargetEndpoint, probe: boolean, confirmed: readonly string[]): Promise<{ preflight: RetryPreflight; signals: KeySignal[]; probe?: ReplayProbe }> {
  const preflight = await retryPreflight(ctx, agent, e);
  return {
    preflight,
    signals: preflightSignals(preflight),
    ...(probe ? { probe: await probeReplay(ctx, agent, e, confirmed) } : {}),
  };
}
