// One bounded HTTP exchange for flows and AI cases: the run's agent (our resolver, loopback guard), a deadline,
// a body cap, no redirect following and no retry. Failures come back as values.
import { request } from 'undici';
import type { CollectContext } from '../context.js';

export const BODY_CAP = 256 * 1024;

export interface Exchange {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  durationMs: number;
  truncated: boolean;
}

export interface ExchangeError {
  error: string;
  durationMs: number;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export async function exchange(ctx: CollectContext, req: OutgoingRequest): Promise<Exchange | ExchangeError> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    return { error: 'the URL is not a valid http(s) URL after filling its placeholders', durationMs: 0 };
  }
  if (!ctx.agent) return { error: 'no HTTP agent in this run', durationMs: 0 };
  try {
    const res = await request(url, {
      dispatcher: await ctx.agent(),
      method: req.method as 'GET',
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]),
    });
    const chunks: Buffer[] = [];
    let read = 0;
    let truncated = false;
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      if (read + b.length > BODY_CAP) { chunks.push(b.subarray(0, BODY_CAP - read)); truncated = true; break; }
      chunks.push(b);
      read += b.length;
    }
    if (truncated) res.body.destroy();
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    let json: unknown;
    if (!truncated && (/json/i.test(headers['content-type'] ?? '') || /^\s*[{[]/.test(body))) {
      try { json = JSON.parse(body); } catch { /* not JSON after all */ }
    }
    return { status: res.statusCode, headers, body, ...(json !== undefined ? { json } : {}), durationMs: elapsed(), truncated };
  } catch (err) {
    const e = err as Error & { code?: string; kind?: string };
    if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
      return { error: `no answer within ${ctx.timeoutMs} ms`, durationMs: elapsed() };
    }
    if (ctx.signal.aborted) return { error: 'the run\'s deadline passed', durationMs: elapsed() };
    const cause = (e.cause as (Error & { code?: string }) | undefined);
    return { error: (e.name === 'DestinationFailure' ? e.message : undefined) ?? cause?.code ?? e.code ?? e.message, durationMs: elapsed() };
  }
}

export function isExchangeError(x: Exchange | ExchangeError): x is ExchangeError {
  return 'error' in x;
}

/** The URL with query values and userinfo masked: tokens often travel in the query string. */
export function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = ''; u.password = '';
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***');
    return u.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return raw.replace(/\?.*$/, '?***');
  }
}
